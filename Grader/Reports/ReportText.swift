import GradeModel

/// Formatting and escaping shared by the renderers. Every function is pure: the same input
/// gives the same text on every platform and in every locale.
public enum ReportText {
  // MARK: - Visible text

  /// Whether `scalar` would act on a terminal or a text layout instead of showing: C0 and
  /// C1 control characters, DEL, the bidi embeddings, overrides and isolates (U+202A–U+202E,
  /// U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C) and the line and
  /// paragraph separators (U+2028, U+2029).
  static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E,
      0x2066...0x2069:
      true
    default: false
    }
  }

  /// `text` with every control character and bidi control made visible as `\u{XXXX}`, so
  /// that it shows as what it is on a terminal, in a report or in a spreadsheet and cannot
  /// move the cursor, recolour the screen or reorder the text around it. With
  /// `keepLineBreaks`, line feeds and tabs stay (for multi-line output) and a carriage
  /// return followed by a line feed becomes a line feed.
  public static func visible(_ text: String, keepLineBreaks: Bool = false) -> String {
    var out = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() {
      if keepLineBreaks {
        if scalar == "\n" || scalar == "\t" {
          out.append(scalar)
          continue
        }
        if scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n" { continue }
      }
      guard isInvisibleControl(scalar) else {
        out.append(scalar)
        continue
      }
      let hex = String(scalar.value, radix: 16, uppercase: true)
      out.append(
        contentsOf: "\\u{\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)}"
          .unicodeScalars)
    }
    return String(out)
  }

  // MARK: - Numbers

  /// `x` rounded to at most `decimals` decimals, without trailing zeros: `2.5`, `10`,
  /// `0.33`. Formatted with integer arithmetic, so it does not depend on the locale.
  static func number(_ x: Double, decimals: Int = 2) -> String {
    guard x.isFinite else { return x.isNaN ? "NaN" : (x < 0 ? "-∞" : "∞") }
    var scale: Double = 1
    for _ in 0..<max(0, decimals) { scale *= 10 }
    let scaled = (x * scale).rounded()
    guard Swift.abs(scaled) < 1e15 else { return String(x) }
    let units = Int64(scaled)
    if units == 0 { return "0" }
    let magnitude = units.magnitude
    let divisor = UInt64(scale)
    var text = (units < 0 ? "-" : "") + String(magnitude / divisor)
    var fraction = String(magnitude % divisor)
    if fraction != "0" {
      fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
      while fraction.hasSuffix("0") { fraction.removeLast() }
      text += "." + fraction
    }
    return text
  }

  /// Points as `earned / available points` (`point` where one is available).
  static func points(_ earned: Double, of available: Double) -> String {
    "\(number(earned)) / \(number(available)) point\(available == 1 ? "" : "s")"
  }

  /// A percentage with one decimal at most: `31.3%`.
  static func percent(_ value: Double) -> String { number(value, decimals: 1) + "%" }

  /// A value that may be written as a JSON number: rounded to `decimals` decimals, and 0
  /// where it is not finite (JSON has no NaN or infinity).
  static func finite(_ x: Double, decimals: Int) -> Double {
    guard x.isFinite else { return 0 }
    var scale: Double = 1
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    guard rounded.isFinite else { return x }
    return rounded == 0 ? 0 : rounded
  }

  // MARK: - Model words

  /// The limits that actually applied to a run, in one or two sentences: memory and
  /// processes for the run as a whole when a control group set them, otherwise a plain
  /// statement that they were per process only; then the in-memory file systems.
  static func limits(_ isolation: Isolation) -> String {
    let limits = isolation.limits
    let common =
      "\(number(limits.wallSeconds)) s wall clock, \(limits.cpuSeconds) s CPU per process, "
      + "\(limits.fileSizeMiB) MiB per file, \(limits.outputBytes) bytes of output kept"
    var text: String
    if let whole = isolation.wholeRun {
      text =
        "Limits per run: \(whole.memoryMiB) MiB memory and \(whole.processes) processes for "
        + "all its processes together (\(whole.mechanism)), \(limits.memoryMiB) MiB address "
        + "space per process, \(common)."
    } else {
      text =
        "Limits per process only: \(limits.memoryMiB) MiB memory, \(limits.processes) "
        + "processes of its user, \(common); a run's processes together are not bounded."
    }
    if let filesystems = isolation.memoryFileSystems, !filesystems.isEmpty {
      text +=
        " Writable in-memory file systems: "
        + filesystems.map { "\($0.path) \($0.sizeMiB) MiB" }.joined(separator: ", ") + "."
    }
    return text
  }

  /// The isolation sentence followed by the limits: `Sandboxed. Limits per run: …`.
  public static func isolation(_ isolation: Isolation) -> String {
    var sentence = trimmed(isolation.description)
    if let last = sentence.last, !".!?".contains(last) { sentence += "." }
    return sentence.isEmpty ? limits(isolation) : "\(sentence) \(limits(isolation))"
  }

  /// `graded`, `missing` or `compile error`.
  static func status(_ status: ProblemStatus) -> String {
    switch status {
    case .graded: "graded"
    case .missing: "missing"
    case .compileError: "compile error"
    }
  }

  /// The number of cases that passed.
  static func passedCount(_ problem: ProblemResult) -> Int {
    problem.cases.count { $0.verdict == .passed }
  }

  /// Whether the case's details (measured, expected, hint, the verdict's reason) may be shown.
  /// Only visible cases: hidden ones never, and after-due-date ones are withheld as well,
  /// since a report rendered now cannot know when the due date passes.
  static func showsDetails(_ item: CaseResult) -> Bool { item.visibility == .visible }

  /// A note for a case whose details are withheld.
  static func withheldNote(_ visibility: Visibility) -> String {
    switch visibility {
    case .visible: ""
    case .hidden: "hidden case"
    case .afterDueDate: "after-due-date case"
    }
  }

  /// The text shown instead of the explanation of a case whose details are withheld: the
  /// verdict label and nothing of the reason behind it.
  static func withheldExplanation(_ item: CaseResult) -> String {
    let label = item.verdict.label
    return "\(label.prefix(1).uppercased())\(label.dropFirst()). "
      + "The details of \(withheldNote(item.visibility))s are not shown."
  }

  /// `verdict.explanation`, except that a time-out with a non-finite or huge number of
  /// seconds (which `explanation` cannot format) is worded here.
  static func explanation(_ verdict: Verdict) -> String {
    if case .timedOut(let limit, let seconds) = verdict, !(Swift.abs(seconds) < 1e15) {
      return "Stopped by the \(limit) limit after \(number(seconds)) s."
    }
    return verdict.explanation
  }

  /// The explanation a student may see: the verdict's for a visible case, a generic sentence
  /// otherwise.
  static func shownExplanation(_ item: CaseResult) -> String {
    showsDetails(item) ? explanation(item.verdict) : withheldExplanation(item)
  }

  /// `Measured: … / expected: …` for a visible case that has either, else `nil`.
  static func measuredExpected(_ item: CaseResult) -> String? {
    guard showsDetails(item) else { return nil }
    var parts: [String] = []
    if let measured = item.measured { parts.append("Measured: \(measured)") }
    if let expected = item.expected {
      parts.append(parts.isEmpty ? "Expected: \(expected)" : "expected: \(expected)")
    }
    return parts.isEmpty ? nil : parts.joined(separator: " / ")
  }

  /// Where each graded problem's time went: " Problem 1: build 1.2 s, run 0.8 s, judge 0.3 s; …".
  static func timing(_ problems: [ProblemResult]) -> String {
    let parts = problems.compactMap { problem -> String? in
      guard let t = problem.timing else { return nil }
      return "Problem \(problem.number): build \(number(t.build, decimals: 1)) s, run "
        + "\(number(t.run, decimals: 1)) s, judge \(number(t.judge, decimals: 1)) s"
    }
    return parts.isEmpty ? "" : " " + parts.joined(separator: "; ") + "."
  }

  /// The hint of a visible case, else `nil`. A recognised mistake replaces the case's
  /// general hint: it says what this student did, with the numbers.
  static func hint(_ item: CaseResult) -> String? {
    guard showsDetails(item) else { return nil }
    if let diagnosis = item.diagnosis {
      return "Recognised mistake: \(diagnosis.message) (\(diagnosis.evidence).)"
    }
    guard let hint = item.hint, !hint.isEmpty else { return nil }
    return "Hint: \(hint)"
  }

  // MARK: - Markdown

  /// Characters escaped with a backslash wherever they occur in inline text. Together with
  /// the line-start rules in `markdownInline`, no emphasis, code span, link, image,
  /// autolink, raw HTML, entity, strikethrough, heading, block quote or table cell boundary
  /// can start inside the text.
  private static let markdownSpecials: Set<Unicode.Scalar> = [
    "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "&", "~", "!",
  ]

  /// `text` as inline Markdown that renders as exactly that text (on one line): line breaks
  /// and tabs become spaces, other control characters and bidi controls are made visible
  /// (`visible`), surrounding whitespace is trimmed, significant characters are
  /// backslash-escaped, and a leading `-`, `+`, `=` or `1.`/`1)` cannot start a list or
  /// heading. A table cell (`tableCell`) cannot start a block, so only the characters are
  /// escaped there: `-0.5` and `0.25` stay as they are.
  static func markdownInline(_ text: String, tableCell: Bool = false) -> String {
    var flat = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x09, 0x0A, 0x0D: flat.append(" ")
      default: flat.append(scalar)
      }
    }
    let scalars = Array(trimmed(visible(String(flat))).unicodeScalars)
    var out = String.UnicodeScalarView()
    // The index of `.` or `)` after leading digits, which would start an ordered list.
    var orderedMarker: Int?
    if !tableCell, let end = scalars.firstIndex(where: { !("0"..."9").contains($0) }), end > 0,
      scalars[end] == "." || scalars[end] == ")"
    {
      orderedMarker = end
    }
    for (index, scalar) in scalars.enumerated() {
      let leading = !tableCell && index == 0 && (scalar == "-" || scalar == "+" || scalar == "=")
      if markdownSpecials.contains(scalar) || leading || index == orderedMarker {
        out.append("\\")
      }
      out.append(scalar)
    }
    return String(out)
  }

  /// A fenced code block showing `text` verbatim. The fence is a run of backticks longer
  /// than any run inside the text (at least three), so the text cannot close it; line
  /// endings become `\n`, and control characters other than tab, and bidi controls, are
  /// made visible (`visible`).
  static func markdownCodeBlock(_ text: String) -> String {
    var body = String.UnicodeScalarView()
    var longestRun = 0
    var run = 0
    var previousCR = false
    var shown = String.UnicodeScalarView()
    // Line endings first (a lone CR is a line break too), then everything else visible.
    for scalar in text.unicodeScalars {
      if scalar == "\r" || scalar == "\n" || scalar == "\t" || !isInvisibleControl(scalar) {
        shown.append(scalar)
      } else {
        shown.append(contentsOf: visible(String(scalar)).unicodeScalars)
      }
    }
    for scalar in shown {
      let isCR = scalar == "\r"
      defer { previousCR = isCR }
      run = scalar == "`" ? run + 1 : 0
      longestRun = max(longestRun, run)
      switch scalar.value {
      case 0x0D: body.append("\n")
      case 0x0A: if !previousCR { body.append("\n") }
      case 0x09: body.append(scalar)
      case 0..<0x20, 0x7F: continue
      default: body.append(scalar)
      }
    }
    var content = String(body)
    if !content.hasSuffix("\n") { content += "\n" }
    let fence = String(repeating: "`", count: max(3, longestRun + 1))
    return "\(fence)\n\(content)\(fence)"
  }

  // MARK: - HTML and XML

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, other control characters
  /// and bidi controls made visible (`visible`), and U+FFFE and U+FFFF (which XML 1.0 does
  /// not allow) dropped. With `attribute`, tab and line breaks become character references
  /// so that parsers keep them.
  static func xmlEscaped(_ text: String, attribute: Bool = false) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var shown = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if scalar == "\r" || scalar == "\n" || scalar == "\t" || !isInvisibleControl(scalar) {
        shown.append(scalar)
      } else {
        shown.append(contentsOf: visible(String(scalar)).unicodeScalars)
      }
    }
    for scalar in shown {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t" where attribute: out += "&#9;"
      case "\n" where attribute: out += "&#10;"
      case "\r": out += "&#13;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// `text` without leading and trailing whitespace.
  private static func trimmed(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[first...last])
    return String(view)
  }
}
