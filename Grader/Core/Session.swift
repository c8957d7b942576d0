import Foundation
import GradeProtocol

#if canImport(Glibc)
  import Glibc
#endif

/// One run of a student's program: the process, its request pipe, its channel and its
/// captured output.
final class Session {
  enum Served {
    case answered(outputs: [UInt8], seconds: Double)
    case tampered(String)
    case stopped
  }

  private let process = Process()
  private let sandbox: Sandbox
  /// The run's control group, whose counters say after the run whether it ran out of memory.
  private let group: RunGroup?
  private let requests: FileHandle
  private let channel: ChannelReader
  private let stderr: PipeReader
  private let finished = DispatchSemaphore(value: 0)
  private let start = Date()
  private let deadline: Date
  private let wallSeconds: Double
  private var timedOut = false
  private var violation: String?
  private var stoppedEarly = false
  private let writes = DispatchQueue(label: "gradwork.requests")

  init(sandbox: Sandbox, executable: URL, folder: URL, wallSeconds: Double) throws {
    self.sandbox = sandbox
    self.wallSeconds = wallSeconds
    deadline = Date().addingTimeInterval(wallSeconds)
    let prepared = sandbox.prepareRun(workFolder: folder.path)
    group = prepared.group
    let command = prepared.command + [executable.path]
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.environment = [
      "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
      "SWIFT_BACKTRACE": "enable=no",
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
    let pipes = process.attachPipes()
    requests = pipes.input
    channel = ChannelReader(fd: pipes.output.fileDescriptor)
    let outputCap = sandbox.limits.outputBytes * 8
    let process = self.process
    stderr = PipeReader(pipes.error, limit: sandbox.limits.outputBytes) {
      total in
      if total > outputCap { kill(process.processIdentifier, SIGKILL) }
    }
    let finished = self.finished
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    stderr.start()
  }

  /// Waits for the program to be ready, sends the request, and waits for its answer.
  func serve(_ request: Runner.Request) -> Served {
    let served = exchange(request)
    if case .stopped = served { stoppedEarly = true }
    return served
  }

  private func exchange(_ request: Runner.Request) -> Served {
    switch next() {
    case .frame(.ready): break
    case .frame(let other):
      violation = "the program sent \(describe(other)) when no case was running"
      return .stopped
    case .end: return .stopped
    }
    let bytes = Frame.request(
      id: request.id, nonce: UInt64.random(in: 0...UInt64.max), inputs: request.inputs)
    guard case .request(_, let nonce, _) = bytes else { return .stopped }
    let expected = Frame.digest(nonce: nonce, inputs: request.inputs)
    let fd = requests.fileDescriptor
    let payload = bytes.bytes
    let sent = Date()
    // Written from another thread: a program that never reads must not block the grader.
    writes.async {
      payload.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
          if n <= 0 { break }
          offset += n
        }
      }
    }
    var begun = false
    while true {
      switch next() {
      case .frame(.begin(let id)) where id == request.id && !begun:
        begun = true
      case .frame(.outputs(let id, let digest, let values)):
        let seconds = Date().timeIntervalSince(sent)
        guard id == request.id else {
          return .tampered("tampering detected: an answer for case \(id) arrived for \(request.id)")
        }
        guard digest == expected else {
          return .tampered("tampering detected: the answer does not match this case's inputs")
        }
        return .answered(outputs: values, seconds: seconds)
      case .frame(let other):
        return .tampered("tampering detected: the program sent \(describe(other)) during the case")
      case .end:
        return .stopped
      }
    }
  }

  private func describe(_ frame: Frame) -> String {
    switch frame {
    case .ready: "a second ready signal"
    case .begin(let id): "a start of case \(id)"
    case .outputs(let id, _, _): "an answer for case \(id)"
    case .request: "a request"
    }
  }

  private enum Read {
    case frame(Frame)
    case end
  }

  private func next() -> Read {
    switch channel.next(deadline: deadline) {
    case .frame(let frame): return .frame(frame)
    case .timeout:
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      return .end
    case .end, .malformed: return .end
    }
  }

  /// Closes the requests, waits for the program to end, and says how it ended.
  func finish() -> Runner.RunRecord {
    if stoppedEarly { kill(process.processIdentifier, SIGKILL) }
    // A program that stops reading leaves a write blocked: killing it unblocks the write.
    let drained = DispatchSemaphore(value: 0)
    writes.async { drained.signal() }
    if drained.wait(timeout: .now() + 2) == .timedOut {
      kill(process.processIdentifier, SIGKILL)
      drained.wait()
    }
    try? requests.close()
    if finished.wait(timeout: .now() + Swift.max(0.1, deadline.timeIntervalSinceNow)) == .timedOut {
      if !timedOut && process.isRunning { timedOut = true }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    // After the last request the program may still write: anything but the final ready
    // signal is a frame no request asked for.
    while case .frame(let frame) = channel.next(deadline: Date().addingTimeInterval(1)) {
      if frame != .ready, violation == nil {
        violation = "tampering detected: the program sent \(describe(frame)) after its last case"
      }
    }
    stderr.wait(seconds: 5)
    var signal: Int32 = process.terminationReason == .uncaughtSignal ? process.terminationStatus : 0
    var status: Int32 = signal == 0 ? process.terminationStatus : 0
    // bubblewrap reports a child killed by signal s as exit status 128 + s.
    if sandbox.usesBubblewrap && signal == 0 && status > 128 && status < 160 {
      signal = status - 128
      status = 0
    }
    // The program has ended: the kernel's counters of its group are final.
    let memory = group?.memoryCounters()
    return Runner.RunRecord(
      stderr: stderr.buffer.text, status: status, signal: signal, timedOut: timedOut,
      outputOverflowed: stderr.buffer.total > sandbox.limits.outputBytes * 8,
      cpuLimited: Date().timeIntervalSince(start) >= Double(sandbox.limits.cpuSeconds),
      memoryLimitBytes: memory?.limitReached == true ? memory?.limitBytes : nil,
      wallSeconds: wallSeconds, protocolViolation: violation)
  }
}

/// Reads frames from the channel with a deadline.
final class ChannelReader {
  enum Result {
    case frame(Frame)
    case end
    case timeout
    case malformed
  }

  private let fd: Int32
  private var buffer: [UInt8] = []
  private var start = 0
  private var closed = false

  init(fd: Int32) { self.fd = fd }

  func next(deadline: Date) -> Result {
    while true {
      if buffer.count - start >= 9 {
        var length = 0
        for i in 0..<8 { length |= Int(buffer[start + 1 + i]) << (8 * i) }
        guard length >= 0, length <= Frame.maxPayload else { return .malformed }
        if buffer.count - start >= 9 + length {
          let kind = buffer[start]
          let payload = Array(buffer[(start + 9)..<(start + 9 + length)])
          start += 9 + length
          if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
          }
          return Frame.decode(kind: kind, payload: payload).map(Result.frame) ?? .malformed
        }
      }
      if closed { return .end }
      let left = deadline.timeIntervalSinceNow
      guard left > 0 else { return .timeout }
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, Int32(Swift.min(left, 3600) * 1000))
      if ready == 0 { return .timeout }
      if ready < 0 { continue }
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 1 << 16) }
      if n <= 0 {
        closed = true
      } else {
        buffer += chunk[0..<n]
      }
    }
  }
}
