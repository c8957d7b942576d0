import GradeModel

/// The student's `feedback.md`: the total, a summary table, a section per problem with its
/// cases, compiler diagnostics and program output, and last the grading details (how the
/// code was confined, the time taken) that matter more to instructors.
///
/// Every string that a student can influence (the submission name, diagnostics, output,
/// explanations, measured and expected values, names) is escaped as inline text or quoted
/// in a fenced code block that it cannot close, so it cannot add links, HTML or table
/// cells. Hidden and after-due-date cases show only their name, points and verdict label.
/// Verdicts carry a symbol as well as words (✔ passed, ✘ failed, ○ not implemented,
/// ⚠ compile error), so they read apart without colour.
public enum MarkdownReport {
  /// The Markdown report for `result`; the same result always gives the same text.
  public static func render(_ result: GradeResult) -> String {
    let parts = self.parts(result)
    let body = parts.sections.flatMap { section in
      section.lead + FigureMarkdown.blocks(section.figures, problem: section.number)
        + section.trail
    }
    return
      ([parts.head] + (parts.summary.isEmpty ? [] : ["## Summary", parts.summary])
      + body + parts.details).joined(separator: "\n\n") + "\n"
  }

  /// One problem's section: the Markdown blocks before its own report's figures and plots
  /// (heading, status, diagnostics, cases), those figures and plots, and the blocks after
  /// them (the program's output). Each renderer writes the figures in its own format.
  struct Section {
    /// The problem's number.
    var number: Int
    /// The blocks before the figures.
    var lead: [String]
    /// The problem's own report, read once from the result.
    var figures: ReportFigures
    /// The blocks after the figures.
    var trail: [String]
  }

  /// The report in the pieces the HTML page assembles: the heading and total, the summary
  /// table (Markdown; empty without problems), the problems' sections and the closing
  /// details.
  static func parts(_ result: GradeResult) -> (
    head: String, summary: String, sections: [Section], details: [String]
  ) {
    let name = ReportText.markdownInline(result.submission)
    var head =
      "# Feedback for \(name.isEmpty ? "your submission" : name)\n\n"
      + "**Total: \(ReportText.points(result.points, of: result.maxPoints)) "
      + "(\(ReportText.percent(result.percent)))**"
    if result.publicOnly { head += "\n\nOnly the visible cases were run." }
    let summary = result.problems.isEmpty ? "" : summaryTable(result.problems)
    let sections = result.problems.map(section)
    let details = [
      "## Grading details",
      "Isolation: " + ReportText.markdownInline(ReportText.isolation(result.isolation)),
      "Grading took \(ReportText.number(result.seconds, decimals: 1)) s in all."
        + ReportText.timing(result.problems),
    ]
    return (head, summary, sections, details)
  }

  /// One row per problem: number and title, points, state, and the cases passed, failed and
  /// not implemented. Titles are escaped inline text, pipes included.
  private static func summaryTable(_ problems: [ProblemResult]) -> String {
    let header = "| Problem | Points | State | ✔ passed | ✘ failed | ○ not implemented |"
    let rule = "|---|---:|---|---:|---:|---:|"
    let rows = problems.map { problem in
      let title = ReportText.markdownInline(problem.title)
      let (mark, words) = ReportText.problemMark(problem)
      return "| **Problem \(problem.number)**\(title.isEmpty ? "" : ": \(title)") | "
        + "\(ReportText.points(problem.points, of: problem.maxPoints)) | "
        + "\(mark.symbol) \(words) | \(ReportText.count(problem, .passed)) | "
        + "\(ReportText.count(problem, .failed)) | \(ReportText.count(problem, .notImplemented)) |"
    }
    return ([header, rule] + rows).joined(separator: "\n")
  }

  /// One problem's section.
  private static func section(_ problem: ProblemResult) -> Section {
    var blocks: [String] = []
    let title = ReportText.markdownInline(problem.title)
    blocks.append("## Problem \(problem.number)\(title.isEmpty ? "" : ": \(title)")")
    blocks.append(
      "\(ReportText.points(problem.points, of: problem.maxPoints)) · "
        + "\(ReportText.problemMark(problem).0.symbol) \(ReportText.problemMark(problem).1) · "
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
    var trail: [String] = []
    if !problem.output.isEmpty {
      trail.append("Output of your program (standard error):")
      trail.append(ReportText.markdownCodeBlock(problem.output))
    }
    return Section(
      number: problem.number, lead: blocks, figures: ReportFigures(problem), trail: trail)
  }

  /// A list item for one case: verdict label, name and points, then (for a visible case)
  /// the explanation, measured and expected values and the hint as a nested list.
  private static func caseItem(_ item: CaseResult) -> String {
    var line =
      "- **\(ReportText.markedLabel(item.verdict))** · \(ReportText.markdownInline(item.name)) · "
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
    if let hint = ReportText.hint(item) { details.append(hint) }
    for detail in details where !ReportText.markdownInline(detail).isEmpty {
      line += "\n  - " + ReportText.markdownInline(detail)
    }
    return line
  }
}
