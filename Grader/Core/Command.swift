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
    let collected = OutputBuffer(limit: 1 << 20)
    pipe.fileHandleForReading.readabilityHandler = { handle in
      collected.append(handle.availableData)
    }
    // The handler is set before the process starts: set after, it can miss a fast exit.
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    pipe.fileHandleForReading.readabilityHandler = nil
    collected.append(pipe.fileHandleForReading.readDataToEndOfFile())
    return Result(status: process.terminationStatus, output: collected.text, timedOut: timedOut)
  }
}

/// Bytes collected from a pipe, up to a limit, safe to append from a handler thread.
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

  var overflowed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return total > limit
  }

  var text: String { String(decoding: bytes, as: UTF8.self) }
}
