import Assign
import Foundation
import GradeModel
import GraderCore
import Testing

// A new problem touches only its own two folders and one catalog line: this test adds a tiny
// sixth problem to a copy of the course, assigns it, and grades its solution and its stub.

private let solution = """
  import Autograd
  import Courseware

  /// Twice every element of `x`.
  public func double(_ x: Tensor) -> Tensor {
    // BEGIN SOLUTION: task 1, twice x
    x * 2
    // END SOLUTION
  }

  /// The problem's report.
  public func report(seed: UInt64 = 0) -> Report {
    Report(problem: 6, title: "Doubling")
  }

  """

private let cases = """
  import Autograd
  import Courseware
  import GradeProtocol

  protocol API {
    func double(_ x: Tensor) -> Tensor
  }

  enum Cases {
    static func all(_ api: some API) -> [CaseSpec] {
      doublingCases(api)
    }
  }

  """

/// Some of the cases in a file of their own beside `Cases.swift`, as a long problem's are:
/// the judge and the student's harness both compile it.
private let moreCases = """
  import Autograd
  import GradeProtocol

  extension Cases {
    static func doublingCases(_ api: some API) -> [CaseSpec] {
      [
        CaseSpec(
          "p6.double",
          inputs: { r in ["x": r.normal([3, 4])] },
          run: { i in ["out": .of(api.double(i.tensor("x")))] },
          judge: { c in
            try c.matches("out", tolerance: Tolerances.float64, what: "double(x)")
            return .pass()
          })
      ]
    }
  }

  """

private let student = """
  import Autograd
  import SubmissionModule

  struct Student: API {
    func double(_ x: Tensor) -> Tensor { SubmissionModule.double(x) }
  }

  """

private let reference = """
  import Autograd
  import Problem6Solution

  struct Reference: API {
    func double(_ x: Tensor) -> Tensor { Problem6Solution.double(x) }
  }

  """

private let rubric = """
  cases:
    - id: p6.double
      name: double(x) is 2x
      points: 3
      visibility: visible

  """

@Test func aSixthProblemNeedsItsOwnFoldersAndOneCatalogLine() throws {
  let manager = FileManager.default
  let course = manager.temporaryDirectory.appendingPathComponent("course-\(UUID().uuidString)")
  defer { try? manager.removeItem(at: course) }
  for path in ["Solutions", "Grader/Problems", "Grader/rubric.yaml"] {
    let target = course.appendingPathComponent(path)
    try manager.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try manager.copyItem(at: packageRoot.appendingPathComponent(path), to: target)
  }
  // Its own two folders…
  let files = [
    "Solutions/Problem6/Problem6.swift": solution, "Grader/Problems/Problem6/Cases.swift": cases,
    "Grader/Problems/Problem6/Cases+Doubling.swift": moreCases,
    "Grader/Problems/Problem6/Student.swift": student,
    "Grader/Problems/Problem6/Reference.swift": reference,
    "Grader/Problems/Problem6/rubric.yaml": rubric,
  ]
  for (path, text) in files {
    let url = course.appendingPathComponent(path)
    try manager.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
  // …and one catalog line.
  let catalog = course.appendingPathComponent("Solutions/catalog.txt")
  let before = try String(contentsOf: catalog, encoding: .utf8)
  let after = before + "Problem6 | Doubling\n"
  try after.write(to: catalog, atomically: true, encoding: .utf8)
  let changed = zip(before.split(separator: "\n"), after.split(separator: "\n"))
    .filter { $0 != $1 }.count
  #expect(
    changed <= 1 && after.split(separator: "\n").count == before.split(separator: "\n").count + 1)

  // Assign: the stub comes from the solution.
  for (path, text) in try StubGenerator.exercises(
    fromSolutions: course.appendingPathComponent("Solutions"))
  where path.hasPrefix("Problem6/") {
    let url = course.appendingPathComponent("Exercises/\(path)")
    try manager.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
  let grader = try Grader(packageRoot: course, runtimePackage: packageRoot)
  #expect(grader.rubric.problems.map(\.number) == [1, 2, 3, 4, 5, 6])
  let solved = try grader.grade(
    GradeOptions(submission: course.appendingPathComponent("Solutions").path, problems: [6]))
  #expect(solved.problems.count == 1)
  #expect(solved.percent == 100, "\(solved.problems.first?.cases.map(\.verdict) ?? [])")
  let stub = try grader.grade(
    GradeOptions(submission: course.appendingPathComponent("Exercises").path, problems: [6]))
  #expect(stub.points == 0 && stub.maxPoints == 3)
  for c in stub.problems.flatMap(\.cases) {
    guard case .notImplemented(let task) = c.verdict else {
      Issue.record("\(c.id): \(c.verdict.explanation)")
      continue
    }
    #expect(task.contains("Problem 6, task 1"))
  }
}
