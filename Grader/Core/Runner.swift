import Foundation
import GradeModel
import GradeProtocol

/// Runs a student's program on a list of cases under the sandbox, and turns what came back
/// on the channel, and how the program ended, into one outcome per case. A program that
/// dies during a case is started again on the cases after it.
public struct Runner: Sendable {
  /// The sandbox every run goes through.
  public let sandbox: Sandbox

  /// What running one case produced.
  public enum Outcome: Sendable {
    /// The program returned an observation.
    case observed(Observation)
    /// The program died or was stopped during the case.
    case died(Verdict)
  }

  /// Creates a runner.
  public init(sandbox: Sandbox) {
    self.sandbox = sandbox
  }

  /// Runs `requests` with `executable` in `folder`, restarting after a case that kills the
  /// program. Returns an outcome per request and the program's output (truncated).
  public func run(
    executable: URL, requests: [CaseRequest], folder: URL, deadline: Date = .distantFuture
  ) throws -> ([String: Outcome], String) {
    var outcomes: [String: Outcome] = [:]
    var output = ""
    var remaining = requests
    var attempt = 0
    while !remaining.isEmpty {
      let left = deadline.timeIntervalSinceNow
      guard left >= 1 else {
        for request in remaining {
          outcomes[request.id] = .died(
            .timedOut(limit: "per-problem time budget", seconds: sandbox.limits.problemSeconds))
        }
        break
      }
      attempt += 1
      let requestFile = folder.appendingPathComponent(
        "requests-\(executable.lastPathComponent)-\(attempt)-\(UUID().uuidString).json")
      try JSONEncoder().encode(remaining).write(to: requestFile)
      let run = try launch(
        executable: executable, requestFile: requestFile, folder: folder,
        wallSeconds: Swift.min(sandbox.limits.wallSeconds, left))
      output += run.stderr
      var current: String?
      var seen = Set<String>()
      let decoder = ChannelCoding.decoder()
      for line in run.channel.split(separator: 0x0A) {
        guard let message = try? decoder.decode(ChannelMessage.self, from: Data(line)) else {
          continue
        }
        switch message {
        case .begin(let id):
          current = id
        case .observed(let observation):
          // Only the case that was begun, once: anything else on the channel is ignored.
          guard observation.id == current, seen.insert(observation.id).inserted,
            remaining.contains(where: { $0.id == observation.id })
          else { continue }
          outcomes[observation.id] = .observed(observation)
          current = nil
        }
      }
      remaining.removeAll { outcomes[$0.id] != nil }
      guard let first = remaining.first else { break }
      // The program stopped before answering `first` (the case it had begun, or the next).
      let died = current.flatMap { id in remaining.first { $0.id == id } } ?? first
      outcomes[died.id] = .died(verdict(for: run))
      remaining.removeAll { $0.id == died.id }
    }
    return (outcomes, output)
  }

  /// How the run ended, as a verdict for the case it was in.
  private func verdict(for run: RunRecord) -> Verdict {
    let limits = sandbox.limits
    if run.timedOut { return .timedOut(limit: "wall-clock", seconds: run.wallSeconds) }
    if run.outputOverflowed {
      return .crashed(
        signal: "output limit",
        message: "the program printed more than \(limits.outputBytes * 8) bytes")
    }
    let stderr = run.stderr
    if let line = stderr.split(separator: "\n").last(where: { $0.hasPrefix("not implemented: ") }) {
      let task = line.dropFirst("not implemented: ".count)
      let cleaned =
        task.range(of: " (", options: .backwards).map { String(task[..<$0.lowerBound]) }
        ?? String(task)
      return .notImplemented(task: cleaned)
    }
    if run.signal != 0 {
      if run.signal == SIGXCPU || run.signal == SIGKILL && run.cpuLimited {
        return .timedOut(limit: "CPU-time", seconds: Double(limits.cpuSeconds))
      }
      return .crashed(signal: signalName(run.signal), message: trapMessage(stderr))
    }
    if run.status == 0 {
      return .invalidObservation(reason: "the program exited before returning this case's result")
    }
    return .crashed(signal: "exit status \(run.status)", message: trapMessage(stderr))
  }

  /// The Swift runtime's `Fatal error: …` line, if the program trapped with one.
  private func trapMessage(_ stderr: String) -> String {
    guard let line = stderr.split(separator: "\n").last(where: { $0.contains("Fatal error") })
    else { return "" }
    let text = String(line)
    if let range = text.range(of: "Fatal error: ") { return String(text[range.upperBound...]) }
    return text
  }

  private func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: "SIGILL, a Swift runtime trap"
    case SIGTRAP: "SIGTRAP, a Swift runtime trap"
    case SIGSEGV: "SIGSEGV, invalid memory access or stack overflow"
    case SIGBUS: "SIGBUS"
    case SIGABRT: "SIGABRT"
    case SIGKILL: "SIGKILL"
    case SIGFPE: "SIGFPE"
    case SIGXFSZ: "SIGXFSZ, file size limit"
    default: "signal \(signal)"
    }
  }

  struct RunRecord {
    var channel: Data
    var stderr: String
    var status: Int32
    var signal: Int32
    var timedOut: Bool
    var outputOverflowed: Bool
    var cpuLimited: Bool
    var wallSeconds: Double
  }

  private func launch(
    executable: URL, requestFile: URL, folder: URL, wallSeconds: Double
  ) throws -> RunRecord {
    let limits = sandbox.limits
    let command = sandbox.launcher(workFolder: folder.path) + [executable.path, requestFile.path]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    process.environment = [
      "PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
      "SWIFT_BACKTRACE": "enable=no",
    ]
    process.currentDirectoryURL = URL(fileURLWithPath: "/tmp")
    let channelPipe = Pipe()
    let errorPipe = Pipe()
    process.standardOutput = channelPipe
    process.standardError = errorPipe
    process.standardInput = FileHandle.nullDevice
    let outputCap = limits.outputBytes * 8
    // Each pipe is drained by one reader, in order, to the end: no two readers ever take
    // bytes from the same pipe, so lines on the channel cannot interleave.
    let channel = PipeReader(channelPipe.fileHandleForReading, limit: 64 << 20)
    let stderr = PipeReader(errorPipe.fileHandleForReading, limit: limits.outputBytes) { total in
      if total > outputCap { kill(process.processIdentifier, SIGKILL) }
    }
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    let start = Date()
    try process.run()
    channel.start()
    stderr.start()
    var timedOut = false
    if finished.wait(timeout: .now() + wallSeconds) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    // The pipes close when every process of the run has ended (the sandbox ends them all).
    channel.wait(seconds: 5)
    stderr.wait(seconds: 5)
    var signal: Int32 = process.terminationReason == .uncaughtSignal ? process.terminationStatus : 0
    var status: Int32 = signal == 0 ? process.terminationStatus : 0
    // bubblewrap reports a child killed by signal s as exit status 128 + s.
    if sandbox.usesBubblewrap && signal == 0 && status > 128 && status < 160 {
      signal = status - 128
      status = 0
    }
    return RunRecord(
      channel: channel.buffer.bytes, stderr: stderr.buffer.text, status: status, signal: signal,
      timedOut: timedOut,
      outputOverflowed: stderr.buffer.total > outputCap,
      cpuLimited: Date().timeIntervalSince(start) >= Double(limits.cpuSeconds),
      wallSeconds: wallSeconds)
  }
}
