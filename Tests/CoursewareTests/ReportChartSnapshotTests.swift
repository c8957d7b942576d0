import Foundation
import SnapshotTestSupport
import Testing

@testable import Courseware

/// The charts every problem's report really draws (`course run N --solution --plots` and
/// the terminal text), from the reference solutions' runs on seed 0 as recorded in
/// `Tests/Fixtures/report-charts` (SolutionsTests checks the recording against the live
/// reports), compared with the files in Snapshots/report-charts (rendered to PNG and looked
/// at when recorded). Drawing from the recording keeps the snapshots the same on every
/// machine, whatever BLAS kernels trained the models.
@Suite struct ReportChartSnapshotTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/report-charts")

  /// The report's charts and plots as recorded.
  static func report(_ problem: Int) throws -> Report {
    let url = fixtures.appendingPathComponent("problem\(problem).json")
    return try JSONDecoder().decode(Recorded.self, from: Data(contentsOf: url)).report
  }

  @Test(arguments: 2...5)
  func svgPlotsMatchSnapshots(problem: Int) throws {
    let files = try Self.report(problem).svgFiles()
    #expect(files.count >= 3)
    for (name, svg) in files {
      try expectSnapshot(svg, named: "report-charts/\(name)")
    }
  }

  @Test(arguments: 2...5)
  func terminalChartsMatchSnapshots(problem: Int) throws {
    let charts = try Self.report(problem).charts
    #expect(charts.count >= 3)
    let text = charts.map { chart in
      ([chart.title] + chart.textLines(width: 60, height: 10)).joined(separator: "\n")
    }
    try expectSnapshot(
      text.joined(separator: "\n\n") + "\n", named: "report-charts/problem\(problem)-terminal.txt")
  }

  @Test func problemOneDrawsNoChart() throws {
    let report = try Self.report(1)
    #expect(report.charts.isEmpty && report.boundaries.isEmpty)
  }
}

/// A report's charts as `ReportChartFixtureTests` records them.
private struct Recorded: Decodable {
  struct Curve: Decodable {
    var label: String
    /// `nil` where the value was not finite.
    var values: [Double?]
  }

  struct RecordedChart: Decodable {
    var name, title, xLabel, yLabel: String
    var logScale: Bool
    var series: [Curve]
  }

  struct Line: Decodable {
    var label: String
    var w1, w2, b: Double
  }

  struct Boundaries: Decodable {
    var name, title, xLabel, yLabel: String
    var classLabels: [String]
    var lines: [Line]
    /// (x₁, x₂, class) triples.
    var points: [[Double]]
  }

  var problem: Int
  var title: String
  var charts: [RecordedChart]
  var boundaries: [Boundaries]

  var report: Report {
    Report(
      problem: problem, title: title,
      charts: charts.map { chart in
        Chart(
          name: chart.name, title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel,
          logScale: chart.logScale,
          series: chart.series.map { Series(label: $0.label, values: $0.values.map { $0 ?? .nan }) }
        )
      },
      boundaries: boundaries.map { plot in
        BoundaryPlot(
          name: plot.name, title: plot.title,
          points: plot.points.map { ($0[0], $0[1], Int($0[2])) },
          boundaries: plot.lines.map { ($0.label, $0.w1, $0.w2, $0.b) }, xLabel: plot.xLabel,
          yLabel: plot.yLabel, classLabels: (plot.classLabels[0], plot.classLabels[1]))
      })
  }
}
