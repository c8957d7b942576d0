/// Whether operations are recorded for differentiation in the current task.
///
/// The flag is a task-local value rather than a global: a `noGrad` scope in one task never
/// affects another, child tasks inherit it, and there is no shared mutable state.
public enum GradMode {
  /// `true` unless inside ``noGrad(_:)-4f3ae``.
  @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations for differentiation, as PyTorch's
/// `with torch.no_grad():`. In-place updates of parameters belong inside it.
///
/// ```swift
/// noGrad {
///   w -= lr * w.grad!
///   w.zeroGrad()
/// }
/// ```
@discardableResult
public func noGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
  try GradMode.$isEnabled.withValue(false) { try body() }
}

/// Runs an asynchronous `body` without recording operations for differentiation.
@discardableResult
public func noGrad<Result>(
  isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> Result
) async rethrows -> Result {
  try await GradMode.$isEnabled.withValue(false, operation: body, isolation: isolation)
}

/// Runs `body` with recording turned back on, e.g. inside a ``noGrad(_:)-4f3ae`` scope.
@discardableResult
public func enableGrad<Result>(_ body: () throws -> Result) rethrows -> Result {
  try GradMode.$isEnabled.withValue(true) { try body() }
}
