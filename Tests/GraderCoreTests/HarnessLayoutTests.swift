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

/// Compiles problem 1 of `submission` in a fresh scratch folder (with its report, unless
/// `report` is false, as a grading without `--figures`); returns the result and the folder
/// (removed by the caller).
private func compileProblem1(_ submission: URL, report: Bool = true) throws -> (
  Builder.Compiled, URL
) {
  let builder = Builder(packageRoot: packageRoot)
  let scratch = try temporaryFolder("harness-layout")
  let files = try FileManager.default.contentsOfDirectory(
    at: submission.appendingPathComponent("Problem1"), includingPropertiesForKeys: nil
  ).filter { $0.pathExtension == "swift" }.sorted { $0.path < $1.path }
  let compiled = try builder.compileSubmission(
    folder: "Problem1", files: files, runtime: try builder.buildRuntime(), scratch: scratch,
    report: report)
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

// A grading without `--figures` never runs the report: a file that ends with exactly the
// exercise's given report section is compiled without it. Anything else is compiled whole.

@Test func theGivenReportIsLeftOutOfAGradingsBuildOnly() throws {
  let submission = try makeSubmission([1])
  defer { try? FileManager.default.removeItem(at: submission) }
  let (graded, scratch) = try compileProblem1(submission, report: false)
  defer { try? FileManager.default.removeItem(at: scratch) }
  #expect(graded.executable != nil, "\(graded.diagnostics)")
  let slim = try String(
    contentsOf: scratch.appendingPathComponent("student-slim/Problem1.swift"), encoding: .utf8)
  #expect(slim.contains("public func cosineSimilarity("))
  #expect(!slim.contains("public func report("))
  #expect(!slim.contains(HarnessSource.reportMarker))

  // With `--figures` the report is compiled (and run).
  let (whole, wholeScratch) = try compileProblem1(submission, report: true)
  defer { try? FileManager.default.removeItem(at: wholeScratch) }
  #expect(whole.executable != nil, "\(whole.diagnostics)")
  #expect(!exists(wholeScratch.appendingPathComponent("student-slim")))
  var options = GradeOptions(submission: submission.path, problems: [1])
  options.figures = true
  let result = try Grader(packageRoot: packageRoot).grade(options)
  let figures = try #require(result.problems.first?.figures)
  #expect(figures.contains("\"problem\""), "\(figures.prefix(200))")
  #expect(result.problems.first?.cases.allSatisfy { $0.verdict == .passed } == true)
}

@Test func anEditedReportIsCompiledWhole() throws {
  // The report's code edited: it is the student's now, and compiled with the rest.
  let submission = try makeSubmission([1]) { _, source in
    source.replacingOccurrences(of: "public func report(", with: "public func report(\n  ")
  }
  defer { try? FileManager.default.removeItem(at: submission) }
  let (compiled, scratch) = try compileProblem1(submission, report: false)
  defer { try? FileManager.default.removeItem(at: scratch) }
  #expect(compiled.executable != nil, "\(compiled.diagnostics)")
  #expect(!exists(scratch.appendingPathComponent("student-slim")))
}

@Test func aGradedFunctionThatUsesTheReportsCodeIsCompiledWithIt() throws {
  // standardize calls the given section's `gpuExplanation`: without the section it would
  // not compile, so the build keeps it.
  let submission = try makeSubmission([1]) { _, source in
    source.replacingOccurrences(
      of: "public func standardize(_ x: Tensor) -> Tensor {",
      with: "public func standardize(_ x: Tensor) -> Tensor {\n  _ = gpuExplanation.count")
  }
  defer { try? FileManager.default.removeItem(at: submission) }
  let (compiled, scratch) = try compileProblem1(submission, report: false)
  defer { try? FileManager.default.removeItem(at: scratch) }
  #expect(compiled.executable != nil, "\(compiled.diagnostics)")
  // The slim attempt was made and failed; the program is the whole file's.
  #expect(exists(scratch.appendingPathComponent("student-slim/Problem1.swift")))
  let harness = try String(
    contentsOf: scratch.appendingPathComponent("in-module/GradworkHarness.swift"), encoding: .utf8)
  #expect(!harness.contains("fatalError"))
}

@Test func theGivenSectionIsMatchedWholeAndAtALineStart() {
  let given = "// MARK: - The report (given)\nfunc report() {}\n"
  #expect(
    HarnessSource.givenReport(inExercise: "import A\n\n" + given) == given)
  #expect(HarnessSource.givenReport(inExercise: "import A\n") == nil)
  #expect(
    HarnessSource.withoutGivenReport("func f() {}\n" + given, given: given) == "func f() {}\n")
  #expect(HarnessSource.withoutGivenReport(given, given: given) == "")
  // Not at a line start, edited, or followed by more code: kept whole.
  #expect(HarnessSource.withoutGivenReport("let x = 1 " + given, given: given) == nil)
  #expect(HarnessSource.withoutGivenReport("f()\n" + given + "g()\n", given: given) == nil)
  #expect(
    HarnessSource.withoutGivenReport(
      "f()\n" + given.replacingOccurrences(of: "{}", with: "{ }"), given: given) == nil)
}

@Test func theBindingsReportTrapsWhenTheReportIsLeftOut() throws {
  let binding = try String(
    contentsOf: packageRoot.appendingPathComponent("Grader/Problems/Problem1/Student.swift"),
    encoding: .utf8)
  let stubbed = try #require(HarnessSource.withoutReport(binding: binding))
  #expect(!stubbed.contains("SubmissionModule.report("))
  #expect(stubbed.contains("func report(seed: UInt64) -> Report { fatalError("))
  // Everything else is the binding's own text.
  #expect(stubbed.contains("SubmissionModule.cosineSimilarity(x)"))
  #expect(HarnessSource.withoutReport(binding: "struct Student { func f() {} }") == nil)
}
