import Foundation

/// Work started on a thread of its own, whose result any number of threads may wait for: the
/// sandbox's probes, which run while the grader opens the submission and compiles the first
/// problems.
final class Background<Value: Sendable>: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  // Written once before `done` is signalled, read only after waiting on it.
  private var result: Result<Value, any Error>?

  /// Starts `work`.
  init(_ work: @escaping @Sendable () throws -> Value) {
    DispatchQueue.global().async { [self] in
      result = Result { try work() }
      done.signal()
    }
  }

  /// The work's result, once it is done (its error rethrown).
  func wait() throws -> Value {
    done.wait()
    // The next waiter passes too.
    done.signal()
    // Signalled only after the assignment above.
    return try result!.get()
  }
}
