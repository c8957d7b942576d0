import GradeModel
import GradeReports
import Testing

/// The batch's summary.html: a table of students linking to their feedback, outcomes
/// counted apart, pass rates per case, and nothing a student's name can inject.
private let entries = Fixtures.batch

@Test func studentsAreListedWithLinksToTheirFeedback() {
  let html = BatchSummary.html(entries)
  #expect(html.contains("<a href=\"students/alice/feedback.html\">alice</a>"))
  // A name with markup is percent-encoded in the link and escaped in the text.
  #expect(
    html.contains("<a href=\"students/%3Cb%3Eeve%26co/feedback.html\">&lt;b&gt;eve&amp;co</a>"))
  #expect(!html.contains("<b>"))
  #expect(html.contains("not gradable: no Problem folder found"))
  #expect(html.contains("grader error: runtime build failed"))
  #expect(html.contains("4 submissions: 2 graded, 1 not gradable, 1 grader error."))
}

@Test func outcomesAreCountedApart() throws {
  let html = BatchSummary.html(entries)
  // The sample has, over its problems: 2 passed, 8 failed (crashes, time-outs and unusable
  // output included), 2 not implemented, 2 compile errors and 2 missing; twice here.
  #expect(
    html.contains(
      "Cases over all graded submissions: ✔ 4 passed · ✘ 16 failed · ○ 4 not implemented · "
        + "⚠ 4 compile error · — 4 missing."))
  // Alice's row: score, problem points, then the counts by kind.
  let row = try #require(
    html.split(separator: "\n").first { $0.contains("students/alice/feedback.html") })
  #expect(
    row.hasSuffix(
      "<td class=\"number\">2</td><td class=\"number\">8</td><td class=\"number\">2</td>"
        + "<td class=\"number\">2</td><td class=\"number\">2</td><td>graded</td></tr>"))
}

@Test func everyCaseHasAPassRate() {
  let html = BatchSummary.html(entries)
  let ids = Set(Fixtures.sample.problems.flatMap(\.cases).map(\.id))
  for id in ids { #expect(html.contains("<td><code>\(id)</code></td>"), "\(id)") }
}
