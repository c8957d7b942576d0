import Foundation
import GradeModel

// `summary.html` of a batch, written as HTML directly (CommonMark has no tables): the counts,
// the score histogram, a table of students linking to their feedback, and each case's pass
// rate with failures, tasks not implemented and problems that did not compile or were
// missing counted apart. Every text is escaped; the only links are relative ones to the
// students' own feedback pages, built from their ids.

extension BatchSummary {
  /// The complete `summary.html` page.
  static func htmlPage(_ entries: [BatchEntry]) -> String {
    let sorted = entries.sorted { $0.student < $1.student }
    let graded = sorted.compactMap(\.result)
    let faults = sorted.count { $0.result == nil && $0.graderFault == true }
    let ungradable = sorted.count { $0.result == nil } - faults
    let percents = graded.map(\.percent).sorted()
    let mean = percents.isEmpty ? 0 : percents.reduce(0, +) / Double(percents.count)
    let median = percents.isEmpty ? 0 : percents[percents.count / 2]
    var counts = "\(sorted.count) submissions: \(graded.count) graded"
    if ungradable > 0 { counts += ", \(ungradable) not gradable" }
    if faults > 0 { counts += ", \(faults) grader error\(faults == 1 ? "" : "s")" }
    counts += ". Mean \(Gradebook.number(mean))%, median \(Gradebook.number(median))%."
    let allCases = graded.flatMap { $0.problems.flatMap(\.cases) }
    let kinds: [ReportText.Mark] = [.passed, .failed, .notImplemented, .compileError, .missing]
    let totals = kinds.map { kind in
      "\(kind.symbol) \(allCases.count { ReportText.mark($0.verdict) == kind }) \(words(kind))"
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>Batch summary</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <main>
      <h1>Batch summary</h1>
      <p>\(text(counts))</p>
      <p>Cases over all graded submissions: \(text(totals.joined(separator: " · "))).</p>
      <p><img src="histogram.svg" alt="Score distribution"></p>
      <h2>Students</h2>
      \(studentTable(sorted))<h2>Cases, hardest first</h2>
      \(caseTable(graded))</main>
      </body>
      </html>

      """
  }

  private static let style = """
    body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; }
    main { max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
    table { border-collapse: collapse; margin-bottom: 1.5rem; }
    th, td { border: 1px solid #ccc; padding: 0.2rem 0.6rem; }
    td.number { text-align: right; }
    .mark-pass { color: #1a7f37; }
    .mark-fail { color: #cf222e; }
    .mark-todo { color: #7d4e00; }
    .mark-compile { color: #8250df; }
    .mark-missing { color: #57606a; }
    """

  /// The plural words of a kind, after its count.
  private static func words(_ kind: ReportText.Mark) -> String {
    switch kind {
    case .passed: "passed"
    case .failed: "failed"
    case .notImplemented: "not implemented"
    case .compileError: "compile error"
    case .missing: "missing"
    }
  }

  /// Escaped text content, with control characters made visible.
  private static func text(_ value: String) -> String {
    ReportText.xmlEscaped(ReportText.visible(value))
  }

  /// One row per entry: a link to its feedback, its score, each problem's points, and the
  /// counts of its cases by kind, or why it was not graded.
  private static func studentTable(_ entries: [BatchEntry]) -> String {
    let numbers = Array(Set(entries.flatMap { $0.result?.problems.map(\.number) ?? [] })).sorted()
    let kinds: [ReportText.Mark] = [.passed, .failed, .notImplemented, .compileError, .missing]
    var rows = [
      "<tr><th>Student</th><th>Score</th>" + numbers.map { "<th>P\($0)</th>" }.joined()
        + kinds.map { "<th class=\"\($0.cssClass)\">\($0.symbol) \(words($0))</th>" }.joined()
        + "<th>Status</th></tr>"
    ]
    for entry in entries {
      // The id is a safe folder name; it is still percent-encoded for the link and escaped.
      let path =
        entry.student.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
      let link =
        "<a href=\"\(ReportText.xmlEscaped("\(studentsPath)/\(path)/feedback.html", attribute: true))\">"
        + "\(text(entry.student))</a>"
      guard let result = entry.result else {
        let status = entry.graderFault == true ? "grader error" : "not gradable"
        rows.append(
          "<tr><td>\(text(entry.student))</td><td></td>"
            + String(repeating: "<td></td>", count: numbers.count + kinds.count)
            + "<td class=\"mark-fail\">\(status): \(text(entry.error ?? "not graded"))</td></tr>")
        continue
      }
      let points = numbers.map { n in
        let problem = result.problems.first { $0.number == n }
        return "<td class=\"number\">"
          + (problem.map { ReportText.points($0.points, of: $0.maxPoints) } ?? "") + "</td>"
      }
      let cases = result.problems.flatMap(\.cases)
      let tallies = kinds.map { kind in
        "<td class=\"number\">\(cases.count { ReportText.mark($0.verdict) == kind })</td>"
      }
      rows.append(
        "<tr><td>\(link)</td><td class=\"number\">"
          + "\(ReportText.points(result.points, of: result.maxPoints)) "
          + "(\(ReportText.percent(result.percent)))</td>" + points.joined() + tallies.joined()
          + "<td>graded</td></tr>")
    }
    return "<table>\n" + rows.joined(separator: "\n") + "\n</table>\n"
  }

  /// One row per case: its pass rate, then how many submissions failed it, had not
  /// implemented it, did not compile or were missing its problem. Hardest first.
  private static func caseTable(_ graded: [GradeResult]) -> String {
    struct Rate {
      var id: String
      var name: String
      var tallies: [ReportText.Mark: Int] = [:]
      var total: Int { tallies.values.reduce(0, +) }
      var passRate: Double { Double(tallies[.passed] ?? 0) / Double(Swift.max(total, 1)) }
    }
    var rates: [Rate] = []
    for c in graded.flatMap({ $0.problems.flatMap(\.cases) }) {
      let i =
        rates.firstIndex { $0.id == c.id }
        ?? {
          rates.append(Rate(id: c.id, name: c.name))
          return rates.count - 1
        }()
      rates[i].tallies[ReportText.mark(c.verdict), default: 0] += 1
    }
    let order = rates.map(\.id)
    let hardest = rates.sorted {
      $0.passRate != $1.passRate
        ? $0.passRate < $1.passRate
        : order.firstIndex(of: $0.id)! < order.firstIndex(of: $1.id)!
    }
    let kinds: [ReportText.Mark] = [.passed, .failed, .notImplemented, .compileError, .missing]
    var rows = [
      "<tr><th>Case</th><th>Name</th><th>Pass rate</th>"
        + kinds.map { "<th class=\"\($0.cssClass)\">\($0.symbol) \(words($0))</th>" }.joined()
        + "</tr>"
    ]
    for rate in hardest {
      rows.append(
        "<tr><td><code>\(text(rate.id))</code></td><td>\(text(rate.name))</td>"
          + "<td class=\"number\">\(Gradebook.number(100 * rate.passRate))%</td>"
          + kinds.map { "<td class=\"number\">\(rate.tallies[$0] ?? 0)</td>" }.joined() + "</tr>")
    }
    return "<table>\n" + rows.joined(separator: "\n") + "\n</table>\n"
  }

  /// Where the students' folders are, relative to the summary.
  private static let studentsPath = "students"
}
