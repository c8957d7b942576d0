import Foundation
import GradeModel
import GradeReports
import SnapshotTestSupport
import Testing

/// A student's own report in the feedback (`grade --figures`): the figures read once into a
/// table model and rendered as tables, the plots sanitized and embedded, their file names safe.
@Suite struct FigureReportTests {
  static func table() throws -> FigureTable {
    FigureTable(json: try #require(FigureJSON.parse(FigureFixtures.figuresJSON)), problem: 3)
  }

  static func series(_ cell: FigureCell?) throws -> SeriesSummary {
    guard case .series(let summary)? = cell else {
      Issue.record("not a series: \(String(describing: cell))")
      throw CancellationError()
    }
    return summary
  }

  @Test func nestedFiguresBecomeATypedTable() throws {
    let table = try Self.table()
    // The `problem` member repeats the section's number and is left out.
    #expect(
      table.rows.map(\.name) == [
        "final_accuracy", "gpu_seconds", "grad_shape", "converged", "note", "loss_history",
        "data", "runs",
      ])
    #expect(table.rows[0].value == .scalar(.number(0.9125)))
    #expect(table.rows[1].value == .scalar(.missing))
    #expect(table.rows[2].value == .list([.number(200), .number(16)]))
    #expect(table.rows[3].value == .scalar(.bool(true)))
    let history = try Self.series(table.rows[5].value)
    #expect(history.count == 8 && history.first == 0.6931 && history.last == 0.3)
    #expect(history.range == 0.3...0.6931 && history.nonFinite == 0)
    // The nested object is a table one level down; its own object is only described.
    guard case .table(let data) = table.rows[6].value else {
      Issue.record("data is not a nested table")
      return
    }
    #expect(data.rows.map(\.name) == ["n", "centre", "spread"])
    #expect(data.rows[2].value == .object(keys: ["x", "y"]))
    // The runs: fields in order of first appearance, one value per run, absent where a run
    // lacks the field.
    guard case .records(let runs) = table.rows[7].value else {
      Issue.record("runs are not records")
      return
    }
    #expect(runs.entries == 3 && runs.omittedEntries == 0)
    #expect(
      runs.fields.map(\.name) == ["lr", "final_loss", "loss_history", "epochs_to_threshold"])
    #expect(runs.fields[1].values == [.scalar(.number(0.3)), .scalar(.missing), nil])
    #expect(runs.fields[3].values == [nil, .scalar(.missing), nil])
    let diverged = try Self.series(runs.fields[2].values[1])
    #expect(diverged.count == 8 && diverged.first == 0.7 && diverged.last == nil)
    #expect(diverged.range == 0.2...4e30)
    #expect(diverged.nonFinite == 3 && diverged.firstNonFinite == 6)
  }

  @Test func markdownShowsTheFiguresAsTables() throws {
    let markdown = MarkdownReport.render(FigureFixtures.withFigures)
    let expectedLines = [
      "| Figure | Value |",
      "| final\\_accuracy | 0.9125 |",
      "| gpu\\_seconds | n/a |",
      "| grad\\_shape | [200, 16] |".replacingOccurrences(of: "[", with: "\\[")
        .replacingOccurrences(of: "]", with: "\\]"),
      "| converged | yes |",
      // Student text cannot open a cell or add emphasis.
      "| note | lr \\| 1.0 \\*fast\\* |",
      "| loss\\_history | 8 values: 0.6931 → 0.3 |",
      "| data | 3 fields, in the table below |",
      "| runs | 3 entries, in the table below |",
      "| data | Value |",
      "| spread | object with 2 keys: x, y |",
      "| runs | 1 | 2 | 3 |",
      "| final\\_loss | 0.3 | n/a | — |",
      "| loss\\_history | 5 values: 0.7 → 0.42 | 8 values: 0.7 → n/a, min 0.2, max 4e30; "
        + "3 not finite, the first at value 6 | 6 values, none finite |",
      "| epochs\\_to\\_threshold | — | n/a | — |",
    ]
    let lines = Set(markdown.split(separator: "\n").map(String.init))
    for line in expectedLines { #expect(lines.contains(line), "missing: \(line)") }
    // The JSON itself is not pasted into the feedback any more.
    #expect(!markdown.contains(#""final_accuracy""#))
  }

  @Test func htmlLaysOutTheTablesAndEscapesEveryName() {
    let html = HTMLReport.render(FigureFixtures.withFigures)
    #expect(html.contains("<table class=\"figures\">"))
    #expect(
      html.contains(
        "<tr><th scope=\"row\">final_accuracy</th><td>0.9125</td></tr>"))
    #expect(html.contains("<tr><th scope=\"row\">lr</th><td class=\"number\">0.1</td>"))
    #expect(html.contains("<tr><th scope=\"row\">note</th><td>lr | 1.0 *fast*</td></tr>"))
    #expect(html.contains("<tr><th scope=\"row\">runs</th><td>3 entries, in the table below</td>"))
    #expect(
      html.contains(
        "</table>\n<p><strong>runs</strong>:</p>\n<table class=\"records\">\n<tr><th>runs</th>"
          + "<th class=\"number\">1</th><th class=\"number\">2</th><th class=\"number\">3</th>"
          + "</tr>"))
    // A history: its ends, then its length and notes on a second line.
    #expect(
      html.contains(
        "<td class=\"series\">0.7 → n/a<br><span class=\"detail\">8 values, min 0.2, max 4e30; "
          + "3 not finite, the first at value 6</span></td>"))
    #expect(
      html.contains("<td class=\"series\">none finite<br><span class=\"detail\">6 values</span>"))
    #expect(html.contains("<td class=\"absent\">—</td>"))
    // The figures come after the cases and before the program's output.
    let cases = html.range(of: "empty batch")
    let figures = html.range(of: "<table class=\"figures\">")
    let output = html.range(of: "Output of your program")
    #expect(cases!.lowerBound < figures!.lowerBound && figures!.lowerBound < output!.lowerBound)
  }

  /// The SVG texts embedded in `html` as `data:` images, decoded.
  static func embeddedSVGs(_ html: String) -> [String] {
    html.components(separatedBy: "src=\"data:image/svg+xml;base64,").dropFirst().compactMap {
      guard let end = $0.firstIndex(of: "\""), let data = Data(base64Encoded: String($0[..<end]))
      else { return nil }
      return String(decoding: data, as: UTF8.self)
    }
  }

  @Test func hostilePlotIsSanitizedBeforeItIsEmbedded() {
    let html = HTMLReport.render(FigureFixtures.withFigures)
    let svgs = Self.embeddedSVGs(html)
    #expect(svgs.count == 2)
    // The page itself holds no SVG markup: each plot is an image of its own document.
    #expect(!html.contains("<svg") && !html.lowercased().contains("<script"))
    let hostile = svgs[0]  // plots are in file-name order: hostile before loss
    for banned in [
      "script", "onload", "onclick", "foreignObject", "iframe", "<image", "href", "<a ",
      "javascript", "evil.example", "alert",
    ] {
      #expect(!hostile.contains(banned), "\(banned) survived sanitizing")
    }
    #expect(hostile.contains("<path d=\"M 0 0 L 10 10\" stroke=\"black\"/>"))
    #expect(svgs[1].contains("<polyline fill=\"none\" points=\"20,100 80,60 140,40 220,30\""))
  }

  @Test func hostilePlotNamesBecomeSafeDistinctFiles() {
    var result = FigureFixtures.withFigures
    let names = [
      "../../etc/passwd", "..", ".hidden.svg", "a/b.svg", "a_b.svg", "a b.svg",
      "x\u{202E}gvs.exe", "<img src=x onerror=alert(1)>.svg", "problem1-loss.svg",
      "problem3-loss.svg", String(repeating: "z", count: 500),
    ]
    result.problems[0].plots = Dictionary(uniqueKeysWithValues: names.map { ($0, "<svg/>") })
    let plots = ReportFigures(result.problems[0]).plots
    let paths = plots.map(\.path)
    #expect(Set(paths).count == names.count)
    for path in paths {
      #expect(
        path.wholeMatch(of: /plots\/problem3-[A-Za-z0-9._-]{0,60}\.svg/) != nil, "\(path)")
      #expect(!path.contains(".."), "\(path)")
    }
    // Another problem's name gets this problem's prefix; this problem's keeps its own.
    #expect(paths.contains("plots/problem3-problem1-loss.svg"))
    #expect(paths.contains("plots/problem3-loss.svg"))
    #expect(paths.contains("plots/problem3-a_b.svg") && paths.contains("plots/problem3-a_b-2.svg"))
    // In the Markdown the name is escaped alt text; the link is the safe path.
    let markdown = MarkdownReport.render(result)
    #expect(markdown.contains("- ![\\<img src=x onerror=alert(1)\\>.svg](plots/problem3-"))
    #expect(!markdown.contains("](../") && !markdown.contains("\u{202E}"))
    let html = HTMLReport.render(result)
    #expect(!html.contains("<img src=x") && !html.contains("\u{202E}"))
    #expect(html.contains("alt=\"Plot &lt;img src=x onerror=alert(1)&gt;.svg\""))
  }

  @Test func unreadableFiguresAreQuotedNotParsed() {
    var result = FigureFixtures.withFigures
    result.problems[0].figures = "{\"loss\": 0.5, ```<script>"
    result.problems[0].plots = [:]
    let markdown = MarkdownReport.render(result)
    #expect(
      markdown.contains(
        "are not valid JSON; they begin:\n\n````\n{\"loss\": 0.5, ```<script>\n````"))
    let html = HTMLReport.render(result)
    #expect(html.contains("<pre><code>{&quot;loss&quot;: 0.5, ```&lt;script&gt;</code></pre>"))
  }

  @Test func feedbackWithFiguresMatchesSnapshots() throws {
    var result = FigureFixtures.withFigures
    result.problems[0].plots.removeValue(forKey: "problem3-hostile.svg")
    try expectSnapshot(MarkdownReport.render(result), named: "feedback-figures.md")
    try expectSnapshot(HTMLReport.render(result), named: "feedback-figures.html")
  }
}

/// The figures parser keeps the report's order and refuses what is not JSON.
@Suite struct FigureJSONTests {
  @Test func keepsKeyOrderAndDecodesEscapes() {
    let json = FigureJSON.parse(#"{"b":1,"a":[true,null,-2.5e-3],"s":"\u00e9\ud83d\ude00\n\"x\""}"#)
    #expect(
      json
        == .object([
          .init("b", .number(1)), .init("a", .array([.bool(true), .null, .number(-0.0025)])),
          .init("s", .string("é😀\n\"x\"")),
        ]))
  }

  @Test func rejectsInvalidOrTooDeepText() {
    for text in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "NaN", "[1] x", "\"a\u{1}\""] {
      #expect(FigureJSON.parse(text) == nil, "\(text)")
    }
    let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
    #expect(FigureJSON.parse(deep) == nil)
    let allowed = String(repeating: "[", count: 20) + String(repeating: "]", count: 20)
    #expect(FigureJSON.parse(allowed) != nil)
  }
}
