import Foundation

/// Runs a trusted tool (swift, swiftc) and collects its combined output.
enum Command {
  struct Result {
    let status: Int32
    let output: String
    let timedOut: Bool
  }

  static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    let reader = PipeReader(pipe.fileHandleForReading, limit: 1 << 20)
    // The handler is set before the process starts: set after, it can miss a fast exit.
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    reader.start()
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    reader.wait(seconds: 10)
    return Result(status: process.terminationStatus, output: reader.buffer.text, timedOut: timedOut)
  }
}

extension Process {
  /// Gives the process a pipe for each standard stream; returns the grader's ends: the
  /// process's standard input to write, its standard output and error to read.
  func attachPipes() -> (input: FileHandle, output: FileHandle, error: FileHandle) {
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    standardInput = input
    standardOutput = output
    standardError = error
    return (
      input.fileHandleForWriting, output.fileHandleForReading, error.fileHandleForReading
    )
  }
}

/// Drains a pipe on a thread of its own, in order, until the end of the stream.
final class PipeReader: @unchecked Sendable {
  let buffer: OutputBuffer
  private let handle: FileHandle
  private let onChunk: @Sendable (Int) -> Void
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle, limit: Int, onChunk: @escaping @Sendable (Int) -> Void = { _ in }) {
    self.handle = handle
    self.buffer = OutputBuffer(limit: limit)
    self.onChunk = onChunk
  }

  /// Starts reading.
  func start() {
    let thread = Thread { [self] in
      while true {
        let data = handle.availableData
        if data.isEmpty { break }
        buffer.append(data)
        onChunk(buffer.total)
      }
      done.signal()
    }
    thread.start()
  }

  /// Waits for the end of the stream, at most `seconds` (a process that outlives its parent
  /// could keep the pipe open).
  func wait(seconds: Double) {
    _ = done.wait(timeout: .now() + seconds)
  }
}

/// Bytes collected from a pipe, up to a limit, safe to append from a reader thread.
final class OutputBuffer: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  private(set) var total = 0
  let limit: Int

  init(limit: Int) { self.limit = limit }

  func append(_ chunk: Data) {
    lock.lock()
    defer { lock.unlock() }
    total += chunk.count
    if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
  }

  var bytes: Data {
    lock.lock()
    defer { lock.unlock() }
    return data
  }

  var text: String { String(decoding: bytes, as: UTF8.self) }
}
