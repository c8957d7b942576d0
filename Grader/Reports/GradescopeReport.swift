import Foundation
import GradeModel

/// Gradescope's `results.json`: the score, the time taken, a short summary and one test per
/// case, with each case's visibility passed through.
///
/// Hidden and after-due-date cases get a generic output that names only the verdict, so
/// their measured and expected values, hints and failure reasons never reach the file.
public enum GradescopeReport {
  /// The JSON text for `result`: keys sorted, numbers finite, the same text for the same
  /// result.
  public static func render(_ result: GradeResult) -> String {
    let results = Results(
      score: ReportText.finite(result.points, decimals: 4),
      maxScore: ReportText.finite(result.maxPoints, decimals: 4),
      executionTime: ReportText.finite(result.seconds, decimals: 3),
      output: summary(result),
      tests: result.problems.flatMap { problem in
        problem.cases.map { test($0, of: problem) }
      },
      extraData: extraData(result))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Every number is finite and every string is valid Unicode, so encoding cannot fail.
    guard let data = try? encoder.encode(results) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The top level of `results.json`.
  private struct Results: Encodable {
    var score: Double
    var maxScore: Double
    var executionTime: Double
    var output: String
    /// Outputs are plain text, so nothing a student wrote is read as Markdown or HTML.
    var outputFormat = "text"
    var testOutputFormat = "text"
    var testNameFormat = "text"
    var tests: [Test]
    /// Gradescope keeps `extra_data` without showing it; absent when there is nothing in it.
    var extraData: ExtraData?

    enum CodingKeys: String, CodingKey {
      case score, output, tests
      case maxScore = "max_score"
      case executionTime = "execution_time"
      case extraData = "extra_data"
      case outputFormat = "output_format"
      case testOutputFormat = "test_output_format"
      case testNameFormat = "test_name_format"
    }
  }

  /// What a pipeline reads beside the scores: where each graded problem's time went.
  private struct ExtraData: Encodable {
    var timing: [Timing]
  }

  /// One problem's time, in seconds, as the grader measured it (never the program's word).
  private struct Timing: Encodable {
    var problem: Int
    var build: Double
    var run: Double
    var judge: Double

    enum CodingKeys: String, CodingKey {
      case problem
      case build = "build_seconds"
      case run = "run_seconds"
      case judge = "judge_seconds"
    }
  }

  /// The timing of every problem that has one, or `nil` when none has.
  private static func extraData(_ result: GradeResult) -> ExtraData? {
    let timing = result.problems.compactMap { problem -> Timing? in
      guard let t = problem.timing else { return nil }
      return Timing(
        problem: problem.number, build: ReportText.finite(t.build, decimals: 3),
        run: ReportText.finite(t.run, decimals: 3), judge: ReportText.finite(t.judge, decimals: 3))
    }
    return timing.isEmpty ? nil : ExtraData(timing: timing)
  }

  /// One test of `results.json`.
  private struct Test: Encodable {
    var name: String
    var score: Double
    var maxScore: Double
    var status: String
    var output: String
    var visibility: String

    enum CodingKeys: String, CodingKey {
      case name, score, status, output, visibility
      case maxScore = "max_score"
    }
  }

  /// The test for one case.
  private static func test(_ item: CaseResult, of problem: ProblemResult) -> Test {
    var lines = [ReportText.shownExplanation(item)]
    if let values = ReportText.measuredExpected(item) { lines.append(values) }
    if let hint = ReportText.hint(item) { lines.append(hint) }
    return Test(
      name: "Problem \(problem.number): \(ReportText.visible(item.name))",
      score: ReportText.finite(item.points, decimals: 4),
      maxScore: ReportText.finite(item.maxPoints, decimals: 4),
      status: item.verdict == .passed ? "passed" : "failed",
      output: ReportText.visible(lines.joined(separator: "\n"), keepLineBreaks: true),
      visibility: item.visibility.rawValue)
  }

  /// The total, the isolation and limits, one line per problem, and the diagnostics of
  /// problems that did not compile; control characters and bidi controls made visible.
  private static func summary(_ result: GradeResult) -> String {
    ReportText.visible(summaryLines(result).joined(separator: "\n"), keepLineBreaks: true)
  }

  private static func summaryLines(_ result: GradeResult) -> [String] {
    var lines = [
      "\(result.submission): \(ReportText.points(result.points, of: result.maxPoints)) "
        + "(\(ReportText.percent(result.percent))).",
      "Isolation: \(ReportText.isolation(result.isolation))",
    ]
    if result.publicOnly { lines.append("Only the visible cases were run.") }
    for problem in result.problems {
      lines.append(
        "Problem \(problem.number): \(problem.title): "
          + "\(ReportText.points(problem.points, of: problem.maxPoints)), "
          + "\(ReportText.status(problem.status)), "
          + "\(ReportText.passedCount(problem)) of \(problem.cases.count) cases passed.")
    }
    for problem in result.problems where !problem.diagnostics.isEmpty {
      lines.append("")
      lines.append("Problem \(problem.number) compiler diagnostics:")
      lines.append(problem.diagnostics)
    }
    return lines
  }
}
