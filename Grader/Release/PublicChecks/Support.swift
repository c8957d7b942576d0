import Foundation
import Testing

// Public checks of the problems, run with `swift test` (scripts/check). Each check runs in
// a child process (an exit test), so a task that is still a `todo` stops only its own check.
// The child ends in one of three ways, and the check reports it in the student's terms:
// the check passed; a condition failed (its message); or a task is not implemented yet (its
// name and file:line), or the code trapped (the library's or Swift's message). The checks use
// properties and closed forms (rows of a softmax sum to 1, σ(0) = 1/2, gradients against
// finite differences of your own functions); the course's graded cases are not here.

/// The exit status of a child whose check passed. Every check's child ends with ``passed()``:
/// any other ending is reported with the child's own message.
let passedStatus: Int32 = 3
/// The exit status of a child whose condition failed (after printing `check failed: …`).
let failedStatus: Int32 = 4

/// Ends a check's child process: the check passed.
func passed() -> Never { exit(passedStatus) }

/// Ends the check's child with `message` when `condition` is false.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  guard !condition else { return }
  FileHandle.standardError.write(Data("check failed: \(message())\n".utf8))
  exit(failedStatus)
}

/// Reports how a check's child ended: nothing when it passed, otherwise one issue with the
/// child's own message, never the exit-test plumbing.
func report(_ result: ExitTest.Result?, sourceLocation: SourceLocation = #_sourceLocation) {
  guard let result else { return }
  let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
  let lines = stderr.split(separator: "\n").map(String.init)
  func last(_ prefix: String) -> String? { lines.last { $0.contains(prefix) } }
  let message: String
  switch result.exitStatus {
  case .exitCode(passedStatus):
    return
  case .exitCode(failedStatus):
    message = last("check failed: ") ?? "check failed"
  case .exitCode(86):
    message =
      (last("not implemented: ") ?? "not implemented")
      + " — write this task, then run the checks again."
  case .exitCode(let code):
    message = "your code exited with status \(code) before the check finished"
  case .signal:
    // A library misuse or a Swift trap: its first line names the operation and your line.
    let cause = lines.first { $0.contains("Fatal error") || $0.hasPrefix("Autograd") }
    message = "your code trapped: \(cause ?? lines.first ?? "no message")"
  @unknown default:
    message = stderr
  }
  Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
}

/// Central differences of `f` at every element of `x` (Float64), restoring `x`.
func numericGradient(_ f: () -> Double, at x: [Double], set: (Int, Double) -> Void) -> [Double] {
  let h = 1e-6
  return x.indices.map { i in
    set(i, x[i] + h)
    let up = f()
    set(i, x[i] - h)
    let down = f()
    set(i, x[i])
    return (up - down) / (2 * h)
  }
}

/// `|a − b| / max(1, |a|, |b|)` over elements, the largest.
func maxError(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).map { abs($0 - $1) / max(1, abs($0), abs($1)) }.max() ?? 0
}
