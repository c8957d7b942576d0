import Foundation

/// The words of a figures table, shared by the Markdown and HTML renderers: numbers with four
/// significant digits, lists, series summaries and descriptions of nested values. Plain
/// text: each renderer escapes it for its format.
enum FigureText {
  /// `x` as the reports print figures: whole numbers in full (below 10¹⁵), four
  /// significant digits from 0.001 to a million, scientific notation otherwise
  /// (`1.234e-9`). Formatted in the POSIX locale, so the same on every machine.
  static func number(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-∞" : "∞") }
    if x == x.rounded(), Swift.abs(x) < 1e15 { return String(Int64(x)) }
    let magnitude = Swift.abs(x)
    if magnitude >= 1e-3 && magnitude < 1e6 { return String(format: "%.4g", x) }
    let text = String(format: "%.3e", x)  // d.ddde±XX
    guard let e = text.firstIndex(of: "e") else { return text }
    var mantissa = String(text[..<e])
    while mantissa.hasSuffix("0") { mantissa.removeLast() }
    if mantissa.hasSuffix(".") { mantissa.removeLast() }
    let exponent = Int(text[text.index(after: e)...]) ?? 0
    return "\(mantissa)e\(exponent)"
  }

  /// A scalar: a number, the string itself, `yes`/`no`, or `n/a` for `null`.
  static func scalar(_ value: FigureScalar) -> String {
    switch value {
    case .number(let x): number(x)
    case .text(let s): s
    case .bool(let b): b ? "yes" : "no"
    case .missing: "n/a"
    }
  }

  /// `200 values: 0.6931 → 0.3123`, with the minimum and maximum where they lie beyond the
  /// ends and a note of values that are not finite (where a run diverged); `100 values, none
  /// finite` when no value is.
  static func series(_ s: SeriesSummary) -> String {
    // A run that diverged at once: no end or extreme to show.
    guard s.range != nil else { return "\(s.count) values, none finite" }
    return "\(s.count) values: \(seriesEnds(s))" + seriesNotes(s)
  }

  /// The first and last values, `0.6931 → 0.3123` (`none finite` when no value is).
  static func seriesEnds(_ s: SeriesSummary) -> String {
    guard s.range != nil else { return "none finite" }
    return "\(s.first.map(number) ?? "n/a") → \(s.last.map(number) ?? "n/a")"
  }

  /// What `seriesEnds` leaves out: `200 values, max 0.94; 3 not finite, the first at value 6`.
  static func seriesDetails(_ s: SeriesSummary) -> String {
    "\(s.count) values" + seriesNotes(s)
  }

  /// `, min …`, `, max …` for extremes beyond the ends, then `; N not finite, the first at
  /// value K`.
  private static func seriesNotes(_ s: SeriesSummary) -> String {
    var text = ""
    if let range = s.range {
      // Only extremes that read differently from both ends at four digits are worth a word.
      let finiteEnds = [s.first, s.last].compactMap { $0 }
      let shownEnds = Set(finiteEnds.map(number))
      if range.lowerBound < finiteEnds.min() ?? .infinity,
        !shownEnds.contains(number(range.lowerBound))
      {
        text += ", min \(number(range.lowerBound))"
      }
      if range.upperBound > finiteEnds.max() ?? -.infinity,
        !shownEnds.contains(number(range.upperBound))
      {
        text += ", max \(number(range.upperBound))"
      }
    }
    if s.nonFinite > 0, s.range != nil, let first = s.firstNonFinite {
      text += "; \(s.nonFinite) not finite, the first at value \(first)"
    }
    return text
  }

  /// A cell as one line of text. A nested table or records (shown by the renderers as
  /// tables of their own) is described by its size.
  static func inline(_ cell: FigureCell) -> String {
    switch cell {
    case .scalar(let value): scalar(value)
    case .list(let values): "[" + values.map(scalar).joined(separator: ", ") + "]"
    case .series(let summary): series(summary)
    case .table(let table): "\(count(table.rows.count + table.omittedRows, "field"))"
    case .records(let records):
      "\(count(records.entries + records.omittedEntries, "entry", plural: "entries"))"
    case .object(let keys):
      "object with \(count(keys.count, "key"))"
        + (keys.isEmpty
          ? ""
          : ": " + keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", …" : ""))
    case .array(let count): "array of \(self.count(count, "item"))"
    }
  }

  /// `1 entry`, `3 entries`.
  static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
    "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
  }

  /// The note under a table that was cut: `12 more figures not shown.`
  static func omitted(_ n: Int, _ what: String, plural: String? = nil) -> String? {
    n > 0 ? "\(count(n, "more " + what, plural: plural.map { "more " + $0 })) not shown." : nil
  }

  /// Whether a cell is shown right-aligned: a number, or `n/a` where a number would be (a
  /// run that diverged), so that a column of runs stays aligned.
  static func isNumber(_ cell: FigureCell?) -> Bool {
    switch cell {
    case .scalar(.number)?, .scalar(.missing)?: true
    default: false
    }
  }

  /// The sentence that introduces the figures of problem `number`.
  static func figuresLead(_ number: Int) -> String {
    "Your report's figures (from `swift run course run \(number) --json`):"
  }
}
