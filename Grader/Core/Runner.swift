import Foundation
import GradeModel
import GradeProtocol

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a student's program under the sandbox and serves it one case at a time: the grader
/// waits for the program to be ready, sends the inputs, and times the call until the outputs
/// come back. Exactly one answer per request, for that request's inputs, is accepted;
/// anything else on the channel is tampering. A program that dies during a case is started
/// again on the cases after it.
public struct Runner: Sendable {
  /// The sandbox every run goes through.
  public let sandbox: Sandbox

  /// One case to serve: its id and encoded inputs.
  public struct Request: Sendable {
    /// The case id.
    public var id: String
    /// The encoded inputs.
    public var inputs: [UInt8]

    /// Creates a request.
    public init(id: String, inputs: [UInt8]) {
      self.id = id
      self.inputs = inputs
    }
  }

  /// What serving one case produced.
  public enum Outcome: Sendable {
    /// The program answered: its encoded outputs and the grader's time of the call.
    case answered(outputs: [UInt8], seconds: Double)
    /// The program died or was stopped during the case.
    case died(Verdict)
    /// The channel broke the protocol for this case.
    case tampered(String)
  }

  /// Creates a runner.
  public init(sandbox: Sandbox) {
    self.sandbox = sandbox
  }

  /// Serves `requests` with `executable` (inside `folder`), restarting after a case that
  /// kills the program. Returns an outcome per request and the program's output (truncated).
  public func run(
    executable: URL, requests: [Request], folder: URL, deadline: Date = .distantFuture
  ) throws -> ([String: Outcome], String) {
    signal(SIGPIPE, SIG_IGN)  // a program that exits early must not kill the grader's writes
    var outcomes: [String: Outcome] = [:]
    var output = ""
    var remaining = requests
    while !remaining.isEmpty {
      let left = deadline.timeIntervalSinceNow
      guard left >= 1 else {
        for request in remaining {
          outcomes[request.id] = .died(
            .timedOut(limit: "per-problem time budget", seconds: sandbox.limits.problemSeconds))
        }
        break
      }
      let session = try Session(
        sandbox: sandbox, executable: executable, folder: folder,
        wallSeconds: Swift.min(sandbox.limits.wallSeconds, left))
      var current: Request?
      var answered: [String] = []
      for request in remaining {
        switch session.serve(request) {
        case .answered(let outputs, let seconds):
          outcomes[request.id] = .answered(outputs: outputs, seconds: seconds)
          answered.append(request.id)
        case .tampered(let reason):
          outcomes[request.id] = .tampered(reason)
        case .stopped:
          current = request
        }
        if current != nil { break }
      }
      let record = session.finish()
      output += record.stderr
      if let violation = record.protocolViolation {
        // A frame no request asked for: the case before it, and the one it interrupted,
        // cannot be trusted.
        if let last = answered.last { outcomes[last] = .tampered(violation) }
        if let current { outcomes[current.id] = .tampered(violation) }
      }
      remaining.removeAll { outcomes[$0.id] != nil }
      guard let died = current, outcomes[died.id] == nil else { continue }
      outcomes[died.id] = .died(verdict(for: record))
      remaining.removeAll { $0.id == died.id }
    }
    for request in remaining where outcomes[request.id] == nil {
      outcomes[request.id] = .died(
        .invalidObservation(reason: "the program exited before returning this case's result"))
    }
    return (outcomes, output)
  }

  /// How the run ended, as a verdict for the case it was in.
  func verdict(for run: RunRecord) -> Verdict {
    let limits = sandbox.limits
    if run.timedOut { return .timedOut(limit: "wall-clock", seconds: run.wallSeconds) }
    if run.outputOverflowed {
      return .crashed(
        signal: "output limit",
        message: "the program printed more than \(limits.outputBytes * 8) bytes")
    }
    // Killed, and the kernel's own counters say it killed for memory: the signal alone
    // cannot tell this from any other kill, and nothing the program writes is believed.
    if run.signal == SIGKILL, let bytes = run.memoryLimitBytes {
      return .memoryLimit(bytes: bytes)
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

  /// The Swift runtime's `Fatal error: …` line, or the library's own error line.
  private func trapMessage(_ stderr: String) -> String {
    let lines = stderr.split(separator: "\n")
    guard let line = lines.last(where: { $0.contains("Fatal error") }) else { return "" }
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

  /// How one run of the program ended.
  struct RunRecord {
    var stderr: String
    var status: Int32
    var signal: Int32
    var timedOut: Bool
    var outputOverflowed: Bool
    var cpuLimited: Bool
    /// The run's memory limit, when its control group's counters show that the kernel
    /// killed a process of the run for reaching it; nil otherwise or without a group.
    var memoryLimitBytes: Int?
    var wallSeconds: Double
    /// Frames the program sent that no request asked for.
    var protocolViolation: String?
  }
}
