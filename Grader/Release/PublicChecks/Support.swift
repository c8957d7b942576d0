import Foundation
import Testing

// Public checks of the five problems, run with `swift test`. Each check runs in a child
// process (an exit test), so a task that is still a `todo` stops only its own check (with
// exit code 86). The checks use properties and closed forms (rows of a softmax sum
// to 1, σ(0) = 1/2, gradients against finite differences of your own functions); the
// course's hidden cases are not here.

/// What a failed check's exit status means, shown with every failure.
let outcome: Comment = """
  exit code 86: a task is still todo (not implemented); a signal: a check failed or your code \
  trapped. Run `swift run course run N` to see the message.
  """

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

/// Stops the check with a message when `condition` is false.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("check failed: \(message())") }
}

/// `|a − b| / max(1, |a|, |b|)` over elements, the largest.
func maxError(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).map { abs($0 - $1) / max(1, abs($0), abs($1)) }.max() ?? 0
}
