import GradeModel

/// The student's `feedback.md`: the total, how the code was confined, a summary table and a
/// section per problem with its cases, compiler diagnostics and program output.
///
/// Every string that a student can influence (the submission name, diagnostics, output,
/// explanations, measured and expected values, names) is escaped as inline text or quoted
/// in a fenced code block that it cannot close, so it cannot add links, HTML or table
/// cells. Hidden and after-due-date cases show only their name, points and verdict label.
public enum MarkdownReport {
  /// The Markdown report for `result`; the same result always gives the same text.
  public static func render(_ result: GradeResult) -> String {
    var blocks: [String] = []
    let name = ReportText.markdownInline(result.submission)
    blocks.append("# Feedback for \(name.isEmpty ? "your submission" : name)")
    blocks.append(
      "**Total: \(ReportText.points(result.points, of: result.maxPoints)) "
        + "(\(ReportText.percent(result.percent)))**")
    blocks.append("Isolation: " + ReportText.markdownInline(ReportText.isolation(result.isolation)))
    var notes: [String] = []
    if result.publicOnly { notes.append("Only the visible cases were run.") }
    notes.append("Grading took \(ReportText.number(result.seconds, decimals: 1)) s.")
    blocks.append(notes.joined(separator: " "))
    if !result.problems.isEmpty {
      blocks.append("## Summary")
      blocks.append(summaryList(result.problems))
    }
    for problem in result.problems {
      blocks.append(contentsOf: section(problem))
    }
    return blocks.joined(separator: "\n\n") + "\n"
  }

  /// One line per problem: number, title, points, status and cases passed. A list rather
  /// than a table, because the HTML page is rendered by plain CommonMark, which has none.
  private static func summaryList(_ problems: [ProblemResult]) -> String {
    problems.map { problem in
      let title = ReportText.markdownInline(problem.title)
      return "- **Problem \(problem.number)**\(title.isEmpty ? "" : ": \(title)") · "
        + "\(ReportText.points(problem.points, of: problem.maxPoints)) · "
        + "\(ReportText.status(problem.status)) · "
        + "\(ReportText.passedCount(problem)) of \(problem.cases.count) cases passed"
    }.joined(separator: "\n")
  }

  /// The blocks of one problem's section.
  private static func section(_ problem: ProblemResult) -> [String] {
    var blocks: [String] = []
    let title = ReportText.markdownInline(problem.title)
    blocks.append("## Problem \(problem.number)\(title.isEmpty ? "" : ": \(title)")")
    blocks.append(
      "\(ReportText.points(problem.points, of: problem.maxPoints)) · "
        + "\(ReportText.status(problem.status)) · "
        + "\(ReportText.passedCount(problem)) of \(problem.cases.count) cases passed")
    switch problem.status {
    case .graded:
      break
    case .missing:
      blocks.append(
        "This problem is missing from the submission (no folder or Swift file for it was "
          + "found), so none of its cases ran.")
    case .compileError:
      blocks.append("This problem did not compile, so none of its cases ran.")
    }
    if !problem.diagnostics.isEmpty {
      blocks.append("Compiler diagnostics:")
      blocks.append(ReportText.markdownCodeBlock(problem.diagnostics))
    }
    if problem.cases.isEmpty {
      blocks.append("No cases.")
    } else {
      blocks.append(problem.cases.map(caseItem).joined(separator: "\n"))
    }
    if let figures = problem.figures {
      blocks.append("Your report's figures (`swift run course run \(problem.number) --json`):")
      blocks.append(ReportText.markdownCodeBlock(figures))
    }
    if !problem.plots.isEmpty {
      let names = problem.plots.keys.sorted().map { "`plots/\(ReportText.markdownInline($0))`" }
      blocks.append("Your report's plots: " + names.joined(separator: ", ") + ".")
    }
    if !problem.output.isEmpty {
      blocks.append("Output of your program (standard error):")
      blocks.append(ReportText.markdownCodeBlock(problem.output))
    }
    return blocks
  }

  /// A list item for one case: verdict label, name and points, then (for a visible case)
  /// the explanation, measured and expected values and the hint as a nested list.
  private static func caseItem(_ item: CaseResult) -> String {
    var line =
      "- **\(item.verdict.label)** · \(ReportText.markdownInline(item.name)) · "
      + "\(ReportText.points(item.points, of: item.maxPoints))"
    guard ReportText.showsDetails(item) else {
      return line + " · *\(ReportText.withheldNote(item.visibility))*"
    }
    var details: [String] = []
    // The problem's section already says that it is missing or did not compile.
    if item.verdict != .compileError && item.verdict != .missing {
      details.append(ReportText.explanation(item.verdict))
    }
    if let values = ReportText.measuredExpected(item) { details.append(values) }
    if let hint = ReportText.hint(item) { details.append("Hint: \(hint)") }
    for detail in details where !ReportText.markdownInline(detail).isEmpty {
      line += "\n  - " + ReportText.markdownInline(detail)
    }
    return line
  }
}
