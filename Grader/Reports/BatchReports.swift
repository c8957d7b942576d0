import Foundation
import GradeModel
import MarkdownHTML

/// The batch's gradebook: one CSV row per entry of the batch folder (its id and its name
/// there), with the points of each problem, the total, a status (`graded`, `not gradable`
/// or `grader error`) and the reason when it was not graded. Pure function of the entries.
public enum Gradebook {
  /// CSV text (RFC 4180 quoting), rows sorted by student id.
  public static func csv(_ entries: [BatchEntry]) -> String {
    let numbers = Array(Set(entries.flatMap { $0.result?.problems.map(\.number) ?? [] })).sorted()
    var lines = [
      (["student", "entry"] + numbers.map { "problem\($0)" }
        + ["total", "max", "percent", "status", "reason"])
        .joined(separator: ",")
    ]
    for entry in entries.sorted(by: { $0.student < $1.student }) {
      var cells = [field(entry.student), field(entry.entry ?? entry.student)]
      for n in numbers {
        cells.append(
          entry.result?.problems.first { $0.number == n }.map { number($0.points) } ?? "")
      }
      if let result = entry.result {
        cells += [
          number(result.points), number(result.maxPoints), number(result.percent), "graded", "",
        ]
      } else {
        let status = entry.graderFault == true ? "grader error" : "not gradable"
        cells += ["0", "", "0", status, field(entry.error ?? "not graded")]
      }
      lines.append(cells.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func number(_ x: Double) -> String {
    guard x.isFinite else { return "0" }
    let rounded = (x * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  /// A CSV field. A cell that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or a
  /// line feed (or whose first character after spaces is one of those) gets a leading `'`, so a
  /// spreadsheet never reads it as a formula; control characters and bidi controls are
  /// then made visible, and the field is quoted when it holds a comma, quote or space at
  /// either end.
  public static func field(_ text: String) -> String {
    var value = text
    let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n"]
    if let first = value.first(where: { $0 != " " }), triggers.contains(first) {
      value = "'" + value
    }
    value = ReportText.visible(value)
    guard value.contains(where: { ",\"".contains($0) }) || value.first == " " || value.last == " "
    else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// The instructor's summary of a batch: the score distribution and each case's pass rate,
/// hardest first. Pure functions of the entries.
public enum BatchSummary {
  /// `summary.md`. It shows `histogram.svg`, written beside it.
  public static func markdown(_ entries: [BatchEntry]) -> String {
    let graded = entries.compactMap(\.result)
    var blocks = ["# Batch summary"]
    let percents = graded.map(\.percent)
    let mean = percents.isEmpty ? 0 : percents.reduce(0, +) / Double(percents.count)
    let sorted = percents.sorted()
    let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    blocks.append(
      "\(entries.count) submissions, \(graded.count) graded"
        + (graded.count < entries.count ? ", \(entries.count - graded.count) not gradable" : "")
        + ". Mean \(Gradebook.number(mean))%, median \(Gradebook.number(median))%.")
    blocks.append("![Score distribution](histogram.svg)")
    blocks.append("## Cases, hardest first")
    var rates: [(id: String, name: String, passed: Int, total: Int)] = []
    var order: [String] = []
    for result in graded {
      for c in result.problems.flatMap(\.cases) {
        if let i = rates.firstIndex(where: { $0.id == c.id }) {
          rates[i].total += 1
          if c.verdict == .passed { rates[i].passed += 1 }
        } else {
          rates.append((c.id, c.name, c.verdict == .passed ? 1 : 0, 1))
          order.append(c.id)
        }
      }
    }
    let hardest = rates.sorted {
      let a = Double($0.passed) / Double($0.total)
      let b = Double($1.passed) / Double($1.total)
      return a != b ? a < b : order.firstIndex(of: $0.id)! < order.firstIndex(of: $1.id)!
    }
    blocks.append(
      hardest.map { r in
        "- **\(Gradebook.number(100 * Double(r.passed) / Double(r.total)))%** passed "
          + "(\(r.passed) of \(r.total)) · `\(r.id)` · \(escape(r.name))"
      }.joined(separator: "\n"))
    let recognised = mistakes(entries)
    if !recognised.isEmpty {
      blocks.append("## Mistakes recognised")
      blocks.append(
        recognised.map { m in
          "- \(m.students) student\(m.students == 1 ? "" : "s"): `\(m.id)` — \(escape(m.message))"
        }.joined(separator: "\n"))
    }
    let failures = entries.filter { $0.result == nil }
    if !failures.isEmpty {
      blocks.append("## Not gradable")
      blocks.append(
        failures.map { "- \(escape($0.student)): \(escape($0.error ?? "not graded"))" }
          .joined(separator: "\n"))
    }
    return blocks.joined(separator: "\n\n") + "\n"
  }

  /// The known mistakes recognised in a batch, with how many students' results carry each
  /// (a student counts once per mistake, whatever the number of cases that showed it): most
  /// frequent first, then by id.
  public static func mistakes(_ entries: [BatchEntry]) -> [(
    id: String, message: String, students: Int
  )] {
    var counts: [String: (message: String, students: Int)] = [:]
    for result in entries.compactMap(\.result) {
      var seen: [String: String] = [:]
      for c in result.problems.flatMap(\.cases) {
        if let d = c.diagnosis, seen[d.id] == nil { seen[d.id] = d.message }
      }
      for (id, message) in seen {
        counts[id, default: (message, 0)].students += 1
      }
    }
    return counts.map { (id: $0.key, message: $0.value.message, students: $0.value.students) }
      .sorted { $0.students != $1.students ? $0.students > $1.students : $0.id < $1.id }
  }

  /// `summary.html`: the counts, the histogram, a table of students linking to their
  /// feedback, and each case's pass rate with its other outcomes counted apart.
  public static func html(_ entries: [BatchEntry]) -> String { htmlPage(entries) }

  /// A histogram of the scores in ten bins of 10 percentage points, as SVG.
  public static func histogram(_ entries: [BatchEntry]) -> String {
    var bins = [Int](repeating: 0, count: 10)
    for p in entries.compactMap(\.result?.percent) {
      bins[Swift.min(9, Swift.max(0, Int(p / 10)))] += 1
    }
    let tallest = Swift.max(bins.max() ?? 1, 1)
    let (width, height, left, bottom) = (520.0, 260.0, 40.0, 220.0)
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      font-family="sans-serif" font-size="11">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(width / 2)" y="16" text-anchor="middle" font-size="13">Score distribution</text>

      """
    for (i, count) in bins.enumerated() {
      let barHeight = Double(count) / Double(tallest) * (bottom - 40)
      let x = left + Double(i) * 46
      svg +=
        "<rect x=\"\(x)\" y=\"\(bottom - barHeight)\" width=\"40\" height=\"\(barHeight)\" fill=\"#1f77b4\"/>\n"
      svg +=
        "<text x=\"\(x + 20)\" y=\"\(bottom - barHeight - 4)\" text-anchor=\"middle\">\(count)</text>\n"
      svg +=
        "<text x=\"\(x + 20)\" y=\"\(bottom + 14)\" text-anchor=\"middle\">\(i * 10)–\(i == 9 ? 100 : i * 10 + 9)</text>\n"
    }
    svg += "<text x=\"\(width / 2)\" y=\"\(bottom + 32)\" text-anchor=\"middle\">score (%)</text>\n"
    return svg + "</svg>\n"
  }

  private static func escape(_ text: String) -> String {
    ReportText.markdownInline(text)
  }
}
