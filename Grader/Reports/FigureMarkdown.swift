/// The Markdown blocks of a problem's own report in `feedback.md`: the figures as a table
/// (each nested object or array of objects as a table of its own after it) and the plots as
/// images of the files written next to the feedback.
///
/// Every name and value came from student code: cells are escaped inline text (pipes
/// included), unreadable figures are quoted in a fence they cannot close, and an image's
/// path is the safe file name of `PlotFile`, never the name the program chose.
enum FigureMarkdown {
  /// The blocks for `figures` of problem `number` (none when there is nothing to show).
  static func blocks(_ figures: ReportFigures, problem number: Int) -> [String] {
    var blocks: [String] = []
    switch figures.figures {
    case .table(let table)?:
      blocks.append(FigureText.figuresLead(number))
      blocks += tables(table)
    case .unreadable(let excerpt)?:
      blocks.append(
        "Your report's figures (from `swift run course run \(number) --json`) are not valid "
          + "JSON; they begin:")
      blocks.append(ReportText.markdownCodeBlock(excerpt))
    case nil:
      break
    }
    if !figures.plots.isEmpty {
      blocks.append("Your report's plots (the files in `plots/` next to this feedback):")
      blocks.append(
        figures.plots.map { "- ![\(ReportText.markdownInline($0.name))](\($0.path))" }
          .joined(separator: "\n"))
    }
    return blocks
  }

  /// The top-level table, then one table per nested object or array of objects, in order.
  private static func tables(_ table: FigureTable) -> [String] {
    var nested: [String] = []
    var lines = ["| Figure | Value |", "|---|---|"]
    for row in table.rows {
      let name = ReportText.markdownInline(row.name, tableCell: true)
      switch row.value {
      case .table(let inner):
        lines.append("| \(name) | \(FigureText.inline(row.value)), in the table below |")
        nested.append("**\(name)**:")
        nested.append(keyValueTable(inner, header: name))
      case .records(let records):
        lines.append("| \(name) | \(FigureText.inline(row.value)), in the table below |")
        nested.append("**\(name)**:")
        nested.append(recordsTable(records, header: name))
      default:
        lines.append("| \(name) | \(cell(row.value)) |")
      }
    }
    var blocks = [lines.joined(separator: "\n")]
    if let note = FigureText.omitted(table.omittedRows, "figure") { blocks.append(note) }
    return blocks + nested
  }

  /// A nested object: one row per member.
  private static func keyValueTable(_ table: FigureTable, header: String) -> String {
    var lines = ["| \(header) | Value |", "|---|---|"]
    lines += table.rows.map {
      "| \(ReportText.markdownInline($0.name, tableCell: true)) | \(cell($0.value)) |"
    }
    if let note = FigureText.omitted(table.omittedRows, "field") {
      lines.append("| \(ReportText.markdownInline(note, tableCell: true)) | |")
    }
    return lines.joined(separator: "\n")
  }

  /// An array of objects: one row per field, one column per entry.
  private static func recordsTable(_ records: FigureRecords, header: String) -> String {
    let columns = (1...Swift.max(records.entries, 1)).prefix(records.entries).map(String.init)
    var lines = [
      "| \(header) | " + columns.joined(separator: " | ") + " |",
      "|---|" + columns.map { _ in "---:|" }.joined(),
    ]
    for field in records.fields {
      let cells = field.values.map { $0.map(cell) ?? "—" }
      lines.append(
        "| \(ReportText.markdownInline(field.name, tableCell: true)) | "
          + cells.joined(separator: " | ") + " |")
    }
    var notes: [String] = []
    if let note = FigureText.omitted(records.omittedFields, "field") { notes.append(note) }
    if let note = FigureText.omitted(records.omittedEntries, "entry", plural: "entries") {
      notes.append(note)
    }
    return ([lines.joined(separator: "\n")] + notes).joined(separator: "\n\n")
  }

  /// A cell's text as escaped inline Markdown.
  private static func cell(_ value: FigureCell) -> String {
    ReportText.markdownInline(FigureText.inline(value), tableCell: true)
  }
}
