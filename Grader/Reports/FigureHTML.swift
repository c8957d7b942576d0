import Foundation

/// The HTML of a problem's own report in `feedback.html`: the figures as a table (a nested
/// object as a table inside its cell, an array of objects as a table after it) and the plots
/// embedded in the page.
///
/// Every name and value came from student code and is escaped. The plots are sanitized by
/// `SVGSanitizer` and then embedded as `<img src="data:image/svg+xml;base64,…">`, not as
/// inline `<svg>`: an SVG loaded as an image runs no script, loads nothing from outside and
/// cannot style or cover the page around it, and its ids cannot collide with the page's.
/// So a hole in the sanitizer's allow-list would still not reach the page; inline SVG
/// would rest on the sanitizer alone. The page stays one self-contained file.
enum FigureHTML {
  /// The HTML for `figures` of problem `number` (empty when there is nothing to show).
  static func render(_ figures: ReportFigures, problem number: Int) -> String {
    var html = ""
    switch figures.figures {
    case .table(let table)?:
      html +=
        "<p>Your report's figures (from <code>swift run course run \(number) --json</code>):</p>\n"
        + topTable(table)
    case .unreadable(let excerpt)?:
      html +=
        "<p>Your report's figures (from <code>swift run course run \(number) --json</code>) "
        + "are not valid JSON; they begin:</p>\n<pre><code>\(ReportText.xmlEscaped(excerpt))"
        + "</code></pre>\n"
    case nil:
      break
    }
    if !figures.plots.isEmpty {
      html += "<p>Your report's plots:</p>\n"
      for plot in figures.plots {
        let svg = Data(SVGSanitizer.sanitize(plot.svg).utf8).base64EncodedString()
        let caption = ReportText.xmlEscaped(plot.path)
        html +=
          "<figure class=\"plot\"><img src=\"data:image/svg+xml;base64,\(svg)\" "
          + "alt=\"Plot \(ReportText.xmlEscaped(plot.name, attribute: true))\">"
          + "<figcaption>\(caption)</figcaption></figure>\n"
      }
    }
    return html
  }

  /// The figures: one row per figure, a nested object as a table inside its cell; then each
  /// array of objects as a table of its own, with the page's full width for its columns.
  private static func topTable(_ table: FigureTable) -> String {
    var rows = ["<tr><th>Figure</th><th>Value</th></tr>"]
    var after = ""
    for row in table.rows {
      let value: String
      if case .records(let records) = row.value {
        value = "<td>\(text(FigureText.inline(row.value))), in the table below</td>"
        after +=
          "<p><strong>\(text(row.name))</strong>:</p>\n" + recordsTable(records, name: row.name)
      } else {
        value = cell(row.value, nested: true)
      }
      rows.append("<tr><th scope=\"row\">\(text(row.name))</th>\(value)</tr>")
    }
    return "<table class=\"figures\">\n" + rows.joined(separator: "\n") + "\n</table>\n"
      + note(FigureText.omitted(table.omittedRows, "figure")) + after
  }

  /// A `<td>` for `value`; with `nested`, an object or array of objects is a table in it.
  private static func cell(_ value: FigureCell?, nested: Bool) -> String {
    guard let value else { return "<td class=\"absent\">—</td>" }
    switch value {
    case .table(let table) where nested:
      let rows = table.rows.map {
        "<tr><th scope=\"row\">\(text($0.name))</th>\(cell($0.value, nested: false))</tr>"
      }
      return "<td><table class=\"nested\">\n" + rows.joined(separator: "\n") + "\n</table>"
        + note(FigureText.omitted(table.omittedRows, "field")) + "</td>"
    case .series(let summary):
      // The ends first, the length and notes on a second, quieter line: narrow enough for a
      // column per run.
      return "<td class=\"series\">\(text(FigureText.seriesEnds(summary)))<br>"
        + "<span class=\"detail\">\(text(FigureText.seriesDetails(summary)))</span></td>"
    default:
      // Numbers line up on the right inside nested tables, where they form columns; in the
      // top-level table a value stays next to its name.
      let kind = !nested && FigureText.isNumber(value) ? " class=\"number\"" : ""
      return "<td\(kind)>\(text(FigureText.inline(value)))</td>"
    }
  }

  /// An array of objects: a header of entry numbers, one row per field.
  private static func recordsTable(_ records: FigureRecords, name: String) -> String {
    let header =
      "<tr><th>\(text(name))</th>"
      + (0..<records.entries).map { "<th class=\"number\">\($0 + 1)</th>" }.joined() + "</tr>"
    let rows = records.fields.map { field in
      "<tr><th scope=\"row\">\(text(field.name))</th>"
        + field.values.map { cell($0, nested: false) }.joined() + "</tr>"
    }
    return "<table class=\"records\">\n" + ([header] + rows).joined(separator: "\n")
      + "\n</table>\n" + note(FigureText.omitted(records.omittedFields, "field"))
      + note(FigureText.omitted(records.omittedEntries, "entry", plural: "entries"))
  }

  /// A small note under a table that was cut, or nothing.
  private static func note(_ sentence: String?) -> String {
    sentence.map { "<p class=\"note\">\(text($0))</p>" } ?? ""
  }

  /// Escaped text.
  private static func text(_ value: String) -> String { ReportText.xmlEscaped(value) }
}
