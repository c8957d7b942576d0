/// Marks a task the student has not implemented yet.
///
/// Generated exercise stubs call it in place of each solution region. It stops the program
/// with `not implemented: <task>`, which the grader recognises and reports as such.
///
/// ```swift
/// public func stableSigmoid(_ z: Tensor) -> Tensor {
///   todo("Problem 3, task 1: numerically stable sigmoid")
/// }
/// ```
public func todo(_ task: String) -> Never {
  fatalError("not implemented: \(task)")
}

/// The prefix of the message ``todo(_:)`` stops with, for tools that look for it.
public let notImplementedPrefix = "not implemented: "
