import GradeModel
import GradeReports
import SnapshotTestSupport
import Testing

// Every report the grader writes, rendered from the same fixed results and compared with the
// recorded file under Snapshots/ (RECORD_SNAPSHOTS=1 records them again). The Markdown
// feedback and the feedback with figures have their own snapshot tests.

private let batch = Fixtures.batch

@Suite struct ReportSnapshotTests {
  @Test func feedbackHTML() throws {
    try expectSnapshot(HTMLReport.render(Fixtures.sample), named: "feedback.html")
  }

  @Test func gradescopeResults() throws {
    try expectSnapshot(GradescopeReport.render(Fixtures.sample), named: "results.json")
  }

  @Test func junit() throws {
    try expectSnapshot(JUnitReport.render(Fixtures.sample), named: "junit.xml")
  }

  @Test func batchGradebookSummaryAndMarkdown() throws {
    try expectSnapshot(Gradebook.csv(batch), named: "gradebook.csv")
    try expectSnapshot(BatchSummary.html(batch), named: "summary.html")
    try expectSnapshot(BatchSummary.markdown(batch), named: "summary.md")
    try expectSnapshot(BatchSummary.histogram(batch), named: "histogram.svg")
  }
}
