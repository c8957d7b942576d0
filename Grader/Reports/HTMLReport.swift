import Foundation
import GradeModel
import MarkdownHTML

/// The feedback as a complete HTML5 page: the Markdown report rendered by cmark in its safe
/// mode, with a small inline style sheet and no scripts or external resources. The summary
/// table is written here (CommonMark has no tables) with every cell escaped, and verdicts are
/// coloured by class as well as marked by symbol.
public enum HTMLReport {
  /// The HTML page for `result`; the same result always gives the same text.
  public static func render(_ result: GradeResult) -> String {
    let title = ReportText.xmlEscaped(
      result.submission.isEmpty ? "Feedback" : "Feedback for \(result.submission)")
    let parts = MarkdownReport.parts(result)
    let summary =
      result.problems.isEmpty ? "" : "<h2>Summary</h2>\n" + summaryTable(result.problems)
    // Each problem's section is rendered by cmark around its figures and plots, which are
    // written here as HTML (CommonMark has no tables, and cmark's safe mode would drop the
    // embedded images).
    let sections = parts.sections.map { section in
      markdown(section.lead) + FigureHTML.render(section.figures, problem: section.number)
        + markdown(section.trail)
    }
    let body = colourVerdicts(
      MarkdownHTML.render(parts.head) + summary + sections.joined() + markdown(parts.details))
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(title)</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <main>
      \(body)</main>
      </body>
      </html>

      """
  }

  /// `blocks` of Markdown as HTML (nothing for no blocks).
  private static func markdown(_ blocks: [String]) -> String {
    blocks.isEmpty ? "" : MarkdownHTML.render(blocks.joined(separator: "\n\n") + "\n")
  }

  /// The page's style sheet: readable width, system fonts, tables and code blocks.
  private static let style = """
    body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; }
    main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
    h1, h2 { line-height: 1.25; }
    h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #ccc; padding: 0.2rem 0.6rem; }
    pre { background: #f5f5f5; padding: 0.75rem; overflow-x: auto; white-space: pre; }
    code { font-family: ui-monospace, monospace; font-size: 0.9em; }
    td.number { text-align: right; }
    table.figures th, table.nested th, table.records th { text-align: left; font-weight: 600; }
    table.figures td, table.nested td, table.records td { vertical-align: top; }
    table.nested { margin: 0.2rem 0; font-size: 0.95em; }
    table.records th.number { text-align: right; }
    td.absent { text-align: center; color: #57606a; }
    td.series { white-space: nowrap; }
    td.series .detail { font-size: 0.85em; color: #57606a; white-space: normal; }
    p.note { margin: 0.2rem 0; font-size: 0.9em; color: #57606a; }
    figure.plot { margin: 1rem 0; }
    figure.plot img { max-width: 100%; height: auto; border: 1px solid #ddd; }
    figure.plot figcaption { font-size: 0.9em; color: #57606a; }
    .mark-pass { color: #1a7f37; }
    .mark-fail { color: #cf222e; }
    .mark-todo { color: #7d4e00; }
    .mark-compile { color: #8250df; }
    .mark-missing { color: #57606a; }
    """

  /// The summary as an HTML table; every text is escaped.
  private static func summaryTable(_ problems: [ProblemResult]) -> String {
    let header =
      "<tr><th>Problem</th><th>Points</th><th>State</th><th>✔ passed</th><th>✘ failed</th>"
      + "<th>○ not implemented</th></tr>"
    let rows = problems.map { problem in
      let title = ReportText.xmlEscaped(ReportText.visible(problem.title))
      let (mark, words) = ReportText.problemMark(problem)
      let counts = [ReportText.Mark.passed, .failed, .notImplemented].map {
        "<td class=\"number\">\(ReportText.count(problem, $0))</td>"
      }
      return
        "<tr><td><strong>Problem \(problem.number)</strong>\(title.isEmpty ? "" : ": \(title)")</td>"
        + "<td class=\"number\">\(ReportText.points(problem.points, of: problem.maxPoints))</td>"
        + "<td class=\"\(mark.cssClass)\">\(mark.symbol) \(words)</td>" + counts.joined() + "</tr>"
    }
    return "<table>\n" + ([header] + rows).joined(separator: "\n") + "\n</table>\n"
  }

  /// Adds the colour class to each verdict label cmark wrote as `<strong>✔ passed</strong>`.
  /// Student text cannot produce these tags: it reaches cmark escaped, so its asterisks and
  /// angle brackets stay literal.
  private static func colourVerdicts(_ html: String) -> String {
    let verdicts: [Verdict] = [
      .passed, .failed(reason: ""), .notImplemented(task: ""), .crashed(signal: "", message: ""),
      .timedOut(limit: "", seconds: 0), .memoryLimit(bytes: 0), .invalidObservation(reason: ""),
      .compileError, .missing,
    ]
    return verdicts.reduce(html) { html, verdict in
      let label = ReportText.markedLabel(verdict)
      return html.replacingOccurrences(
        of: "<strong>\(label)</strong>",
        with: "<strong class=\"\(ReportText.mark(verdict).cssClass)\">\(label)</strong>")
    }
  }
}
