import Foundation
import GradeModel
import Testing

@testable import GraderCore

// A submission's harness is first built as one more file of the student's module; a
// declaration of the student's that clashes with it sends the build to the harness's own
// module, where nothing can clash. Either way a correct solution earns every point, and a
// changed signature is named.

/// A fresh folder under the temporary directory.
private func temporaryFolder(_ name: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// Compiles problem 1 of `submission` in a fresh scratch folder; returns the result and the
/// folder (removed by the caller).
private func compileProblem1(_ submission: URL) throws -> (Builder.Compiled, URL) {
  let builder = Builder(packageRoot: packageRoot)
  let scratch = try temporaryFolder("harness-layout")
  let files = try FileManager.default.contentsOfDirectory(
    at: submission.appendingPathComponent("Problem1"), includingPropertiesForKeys: nil
  ).filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
  let compiled = try builder.compileSubmission(
    folder: "Problem1", files: files, runtime: try builder.buildRuntime(), scratch: scratch)
  return (compiled, scratch)
}

private func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

/// Declarations named like the harness's: the binding's `Student`, the case library's `Cases`
/// and `API`.
private let clashing = """
  struct Student {}
  enum Cases {}
  protocol API {}
  """

@Test func theHarnessIsBuiltInTheStudentsModule() throws {
  let submission = try makeSubmission([1])
  let (compiled, scratch) = try compileProblem1(submission)
  defer {
    try? FileManager.default.removeItem(at: submission)
    try? FileManager.default.removeItem(at: scratch)
  }
  #expect(compiled.executable != nil, "\(compiled.diagnostics)")
  #expect(exists(scratch.appendingPathComponent("in-module/GradworkHarness.swift")))
  // No module of the student's own and no harness module were compiled.
  #expect(!exists(scratch.appendingPathComponent("harness")))
  let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
  #expect(!leftovers.contains { $0.hasSuffix(".swiftmodule") }, "\(leftovers)")
}

@Test func aClashingDeclarationBuildsTheHarnessApartAndEarnsEveryPoint() throws {
  let extra = [1: ["Names.swift": clashing]]
  let (compiled, scratch) = try compileProblem1(try makeSubmission([1], extra: extra))
  defer { try? FileManager.default.removeItem(at: scratch) }
  #expect(compiled.executable != nil, "\(compiled.diagnostics)")
  #expect(exists(scratch.appendingPathComponent("harness/main.swift")))

  let submission = try makeSubmission([1], extra: extra)
  defer { try? FileManager.default.removeItem(at: submission) }
  let result = try Grader(packageRoot: packageRoot).grade(
    GradeOptions(submission: submission.path, problems: [1]))
  let problem = try #require(result.problems.first)
  #expect(problem.status == .graded)
  for c in problem.cases { #expect(c.verdict == .passed, "\(c.id): \(c.verdict)") }
}

@Test func aChangedSignatureIsNamedWhateverTheLayout() throws {
  let submission = try makeSubmission([1]) { _, source in
    // Renamed everywhere in the student's file: it compiles, but the exercise's name is gone.
    source.replacingOccurrences(of: "upperTriangularMean(", with: "upperTriangleMean(")
  }
  let (compiled, scratch) = try compileProblem1(submission)
  defer {
    try? FileManager.default.removeItem(at: submission)
    try? FileManager.default.removeItem(at: scratch)
  }
  #expect(compiled.executable == nil)
  #expect(compiled.diagnostics.contains("the grader could not call it"), "\(compiled.diagnostics)")
  #expect(compiled.diagnostics.contains("upperTriangularMean"), "\(compiled.diagnostics)")
  // The messages name the problem, never the module's random name or the harness's files.
  #expect(!compiled.diagnostics.contains("Submission_"), "\(compiled.diagnostics)")
  #expect(!compiled.diagnostics.contains("GradworkHarness"), "\(compiled.diagnostics)")
}

@Test func theInModuleHarnessQualifiesTheStudentsModuleWithoutImportingIt() {
  let cases = Builder.CaseLibrary(
    folder: URL(fileURLWithPath: "/cases"), module: "GradeCases_x", types: ["API", "Cases"])
  let binding = """
    import Autograd
    import SubmissionModule

    struct Student: API {
      func f(_ x: Tensor) -> Tensor { SubmissionModule.f(x) }
    }
    """
  let text = HarnessSource.inModule(binding: binding, module: "Submission_abc", cases: cases)
  let lines = text.split(separator: "\n").map(String.init)
  #expect(!lines.contains { $0.hasPrefix("import Submission") })
  #expect(lines.contains("  func f(_ x: Tensor) -> Tensor { Submission_abc.f(x) }"))
  #expect(lines.contains("@testable import GradeCases_x"))
  #expect(lines.contains("typealias API = GradeCases_x.API"))
  #expect(lines.contains("typealias Cases = GradeCases_x.Cases"))
  #expect(lines.contains("@main"))
  #expect(!text.contains("SubmissionModule"))
}
