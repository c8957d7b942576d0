import GradeModel
import GradeReports
import SnapshotTestSupport
import Testing

@Test func markdownMatchesSnapshot() throws {
  try expectSnapshot(MarkdownReport.render(Fixtures.sample), named: "feedback.md")
}

@Test func markdownIsDeterministic() {
  #expect(MarkdownReport.render(Fixtures.sample) == MarkdownReport.render(Fixtures.sample))
}

@Test func codeFenceIsLongerThanAnyBacktickRunInside() {
  let markdown = MarkdownReport.render(Fixtures.sample)
  // The diagnostics contain five backticks in a row, so the fence has six.
  #expect(markdown.contains("``````\nProblem2/Model.swift:12:5"))
  #expect(markdown.contains("^~~~~~~\n``````\n"))
  let html = HTMLReport.render(Fixtures.sample)
  #expect(html.contains("let p = sigmoid(x) // `````\n"))
}

@Test func summaryRowsEscapePipesAndFormatting() throws {
  let markdown = MarkdownReport.render(Fixtures.sample)
  let line = try #require(
    markdown.split(separator: "\n").first { $0.hasPrefix("| **Problem 1**") })
  #expect(line.contains(#"Linear regression \| fit"#))
  // The title's pipe is escaped: the row has exactly the seven pipes of its six cells.
  #expect(zip(line, " " + line).filter { $0 == "|" && $1 != "\\" }.count == 7)
  // The summary comes before the first problem's section, the grading details last.
  let summary = try #require(markdown.range(of: "## Summary"))
  let firstSection = try #require(markdown.range(of: "## Problem 1"))
  let details = try #require(markdown.range(of: "## Grading details"))
  #expect(summary.lowerBound < firstSection.lowerBound)
  #expect(firstSection.lowerBound < details.lowerBound)
  #expect(markdown[details.lowerBound...].contains("Isolation: "))
}

@Test func verdictsDifferBySymbolAndInHTMLByColour() {
  let markdown = MarkdownReport.render(Fixtures.sample)
  for label in ["✔ passed", "✘ failed", "○ not implemented", "✘ crashed", "✘ timed out"] {
    #expect(markdown.contains("- **\(label)** · "), "\(label)")
  }
  #expect(markdown.contains("| ⚠ compile error |"))
  #expect(markdown.contains("| — missing |"))
  let html = HTMLReport.render(Fixtures.sample)
  #expect(html.contains("<strong class=\"mark-pass\">✔ passed</strong>"))
  #expect(html.contains("<strong class=\"mark-todo\">○ not implemented</strong>"))
  #expect(html.contains("<td class=\"mark-compile\">⚠ compile error</td>"))
  #expect(html.contains("<h2>Summary</h2>\n<table>"))
}

@Test func inlineTextCannotStartBlocksOrFormatting() {
  let names = [
    "1. ordered", "2) ordered", "- bullet", "+ plus", "* star", "    indented code", "# heading",
    "> quote", "---", "=== x", "*emph* _emph_ **strong** ~~struck~~ `code`", "a\nb\r\n- c",
    "trailing backslash \\", "&lt;entity&gt; &amp;",
  ]
  let cases = names.enumerated().map { index, name in
    CaseResult(
      id: "c\(index)", name: name, visibility: .visible, points: 0, maxPoints: 1,
      verdict: .failed(reason: name), measured: name, expected: name, hint: name)
  }
  let result = GradeResult(
    submission: "# title *x*",
    problems: [ProblemResult(number: 1, title: "`t` | *u*", status: .graded, cases: cases)],
    isolation: Fixtures.isolation, publicOnly: false, seconds: 0)
  let html = HTMLReport.render(result)
  for tag in ["<ol", "<blockquote", "<hr", "<pre", "<code", "<em>", "<del", "<h3", "<a "] {
    #expect(!html.contains(tag), "unexpected \(tag)")
  }
  #expect(html.components(separatedBy: "<h1>").count == 2)
  // Only the total, the summary's problem label and the verdict labels (coloured by class)
  // are bold.
  #expect(html.components(separatedBy: "<strong").count == 3 + names.count)
  #expect(html.components(separatedBy: "<strong class=\"mark-fail\">").count == 1 + names.count)
  #expect(html.contains("&amp;lt;entity&amp;gt; &amp;amp;"))
  #expect(html.contains("*emph* _emph_ **strong** ~~struck~~ `code`"))
  #expect(html.contains("trailing backslash \\"))
  #expect(html.contains("a b  - c"))
}

@Test func visibleCasesShowMeasuredExpectedAndHint() {
  let markdown = MarkdownReport.render(Fixtures.sample)
  #expect(markdown.contains("Measured: dL/dw = 1.5 / expected: dL/dw = 1.0 (tolerance 1e-4)"))
  #expect(markdown.contains(#"Hint: Check the sign of the residual \*before\* averaging."#))
  #expect(markdown.contains("Not implemented: LinearRegression.train(epochs:)."))
  #expect(markdown.contains("Stopped by the wall-clock limit after 10 s."))
}

@Test func emptyResultStillRenders() {
  let result = GradeResult(
    submission: "", problems: [], isolation: Fixtures.isolation, publicOnly: true,
    seconds: .nan)
  let markdown = MarkdownReport.render(result)
  #expect(markdown.hasPrefix("# Feedback for your submission\n\n**Total: 0 / 0 points (0%)**"))
  #expect(markdown.contains("Only the visible cases were run."))
}
