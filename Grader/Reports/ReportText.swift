import GradeModel

/// Formatting and escaping shared by the renderers. Every function is pure: the same input
/// gives the same text on every platform and in every locale.
enum ReportText {
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

  /// The limits of one run, in one sentence.
  static func limits(_ limits: Limits) -> String {
    "Limits per run: \(number(limits.wallSeconds)) s wall clock, \(limits.cpuSeconds) s CPU, "
      + "\(limits.memoryMiB) MiB memory, \(limits.processes) processes, "
      + "\(limits.fileSizeMiB) MiB per file, \(limits.outputBytes) bytes of output kept."
  }

  /// The isolation sentence followed by the limits: `Sandboxed. Limits per run: …`.
  static func isolation(_ isolation: Isolation) -> String {
    var sentence = trimmed(isolation.description)
    if let last = sentence.last, !".!?".contains(last) { sentence += "." }
    return sentence.isEmpty ? limits(isolation.limits) : "\(sentence) \(limits(isolation.limits))"
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

  /// The hint of a visible case, else `nil`.
  static func hint(_ item: CaseResult) -> String? {
    guard showsDetails(item), let hint = item.hint, !hint.isEmpty else { return nil }
    return hint
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
  /// and tabs become spaces, other control characters are dropped, surrounding whitespace
  /// is trimmed, significant characters are backslash-escaped, and a leading `-`, `+`, `=`
  /// or `1.`/`1)` cannot start a list or heading.
  static func markdownInline(_ text: String) -> String {
    var flat = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x09, 0x0A, 0x0D: flat.append(" ")
      case 0..<0x20, 0x7F: continue
      default: flat.append(scalar)
      }
    }
    let scalars = Array(trimmed(String(flat)).unicodeScalars)
    var out = String.UnicodeScalarView()
    // The index of `.` or `)` after leading digits, which would start an ordered list.
    var orderedMarker: Int?
    if let end = scalars.firstIndex(where: { !("0"..."9").contains($0) }), end > 0,
      scalars[end] == "." || scalars[end] == ")"
    {
      orderedMarker = end
    }
    for (index, scalar) in scalars.enumerated() {
      let leading = index == 0 && (scalar == "-" || scalar == "+" || scalar == "=")
      if markdownSpecials.contains(scalar) || leading || index == orderedMarker {
        out.append("\\")
      }
      out.append(scalar)
    }
    return String(out)
  }

  /// A fenced code block showing `text` verbatim. The fence is a run of backticks longer
  /// than any run inside the text (at least three), so the text cannot close it; line
  /// endings become `\n` and control characters other than tab are dropped.
  static func markdownCodeBlock(_ text: String) -> String {
    var body = String.UnicodeScalarView()
    var longestRun = 0
    var run = 0
    var previousCR = false
    for scalar in text.unicodeScalars {
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

  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities, and characters XML 1.0
  /// does not allow (control characters other than tab, line feed and carriage return;
  /// U+FFFE and U+FFFF) dropped. With `attribute`, tab and line breaks become character
  /// references so that parsers keep them.
  static func xmlEscaped(_ text: String, attribute: Bool = false) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
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
