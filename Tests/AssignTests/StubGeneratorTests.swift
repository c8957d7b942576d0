import Assign
import Foundation
import Testing

private let solution = """
  import Autograd

  /// Doubles x.
  public func double(_ x: Tensor) -> Tensor {
    // BEGIN SOLUTION: task 2, doubling "by hand"
    let two = 2.0
    return two * x
    // END SOLUTION
  }

  /// Given helper.
  public func helper() -> Int { 1 }
  """

@Test func regionBecomesTodoWithProblemAndTaskLabel() throws {
  let stub = try StubGenerator.stub(fromSolution: solution, problem: 4, file: "P.swift")
  #expect(
    stub == StubGenerator.header(problem: 4) + """
      import Autograd

      /// Doubles x.
      public func double(_ x: Tensor) -> Tensor {
        todo("Problem 4, task 2: doubling \\"by hand\\"")
      }

      /// Given helper.
      public func helper() -> Int { 1 }
      """)
}

@Test func unbalancedAndNestedRegionsAreErrorsWithLines() {
  #expect(
    throws: StubGenerator.Failure(
      file: "a.swift", line: 2, reason: "solution region is never closed")
  ) {
    try StubGenerator.stub(
      fromSolution: "x\n// BEGIN SOLUTION: task 1, a\ny", problem: 1, file: "a.swift")
  }
  #expect(
    throws: StubGenerator.Failure(
      file: "a.swift", line: 1, reason: "END SOLUTION without BEGIN SOLUTION")
  ) {
    try StubGenerator.stub(fromSolution: "// END SOLUTION", problem: 1, file: "a.swift")
  }
  #expect(
    throws: StubGenerator.Failure(
      file: "a.swift", line: 2, reason: "a solution region opens inside the region opened on line 1"
    )
  ) {
    try StubGenerator.stub(
      fromSolution: "// BEGIN SOLUTION: task 1, a\n// BEGIN SOLUTION: task 2, b\n// END SOLUTION",
      problem: 1, file: "a.swift")
  }
}

@Test func unlabelledRegionIsAnError() {
  #expect(throws: StubGenerator.Failure.self) {
    try StubGenerator.stub(
      fromSolution: "// BEGIN SOLUTION\n// END SOLUTION", problem: 1, file: "a.swift")
  }
}

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

@Test func committedExercisesMatchTheSolutions() throws {
  let generated = try StubGenerator.exercises(
    fromSolutions: root.appendingPathComponent("Solutions"))
  #expect(generated.count == 5)
  for (path, text) in generated {
    let committed = try String(
      contentsOf: root.appendingPathComponent("Exercises").appendingPathComponent(path),
      encoding: .utf8)
    #expect(committed == text, "Exercises/\(path) is out of date: run `swift run course assign`")
  }
}

@Test func exercisesHoldNoSolutionLine() throws {
  let solutions = root.appendingPathComponent("Solutions")
  for n in 1...5 {
    let source = try String(
      contentsOf: solutions.appendingPathComponent("Problem\(n)/Problem\(n).swift"), encoding: .utf8
    )
    let exercise = try String(
      contentsOf: root.appendingPathComponent("Exercises/Problem\(n)/Problem\(n).swift"),
      encoding: .utf8)
    var inRegion = false
    var regions = 0
    for line in source.split(separator: "\n") {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("// BEGIN SOLUTION") {
        inRegion = true
        regions += 1
      } else if text.hasPrefix("// END SOLUTION") {
        inRegion = false
      } else if inRegion && text.count > 12 {
        // Every substantial line of a solution region is absent from the exercise.
        #expect(!exercise.contains(text), "Problem \(n): solution line leaked: \(text)")
      }
    }
    #expect(regions > 0)
    #expect(exercise.components(separatedBy: "todo(\"Problem \(n), task").count - 1 == regions)
  }
}
