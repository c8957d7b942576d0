import Foundation
import Testing

@testable import Courseware

/// The charts of every problem's report, recorded in `Tests/Fixtures/report-charts` for the
/// chart snapshots of CoursewareTests, which draw them without training anything.
///
/// A snapshot of the live report would not be deterministic: the trained values behind the
/// curves depend on the OpenBLAS kernels (float32 sums in another order), and the noise
/// floor of a gradient norm near 1e-8, or a run that clips every step, moves visibly between
/// the Prescott, Haswell and SkylakeX kernels. So this test checks that the recording is
/// still the report's: the same charts, titles, axes, run labels, lengths and non-finite
/// (diverged) points. `RECORD_SNAPSHOTS=1` writes the recording again.
@Suite struct ReportChartFixtureTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/report-charts")

  @Test(arguments: 1...5)
  func recordingMatchesTheReport(problem: Int) throws {
    let live = Self.recording(ReportFiguresTests.report(problem))
    let url = Self.folder.appendingPathComponent("problem\(problem).json")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
      try Data(live.utf8).write(to: url)
      return
    }
    let recorded = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    let current = try JSONSerialization.jsonObject(with: Data(live.utf8))
    if let difference = Self.structuralDifference(recorded, current, at: "problem\(problem)") {
      let message =
        "\(url.lastPathComponent) is no longer the report's charts: \(difference) "
        + "(rerun with RECORD_SNAPSHOTS=1, then the chart snapshots, to accept)"
      Issue.record(Comment(rawValue: message))
    }
  }

  /// The report's charts and boundary plots as JSON, one series or twenty points a line,
  /// values to six significant digits (`null` where not finite).
  static func recording(_ report: Report) -> String {
    func text(_ s: String) -> String { JSON.string(s).text }
    func number(_ x: Double) -> String {
      x.isFinite ? JSON.number(Double(String(format: "%.6g", x)) ?? x).text : "null"
    }
    let charts = report.charts.map { chart in
      "{\"name\":\(text(chart.name)),\"title\":\(text(chart.title)),"
        + "\"xLabel\":\(text(chart.xLabel)),\"yLabel\":\(text(chart.yLabel)),"
        + "\"logScale\":\(chart.logScale),\"series\":[\n"
        + chart.series.map {
          "{\"label\":\(text($0.label)),\"values\":["
            + $0.values.map(number).joined(separator: ",") + "]}"
        }.joined(separator: ",\n") + "]}"
    }
    let boundaries = report.boundaries.map { plot in
      let points = stride(from: 0, to: plot.points.count, by: 20).map { start in
        plot.points[start..<Swift.min(start + 20, plot.points.count)].map {
          "[\(number($0.0)),\(number($0.1)),\($0.2)]"
        }.joined(separator: ",")
      }
      return "{\"name\":\(text(plot.name)),\"title\":\(text(plot.title)),"
        + "\"xLabel\":\(text(plot.xLabel)),\"yLabel\":\(text(plot.yLabel)),"
        + "\"classLabels\":[\(text(plot.classLabels.0)),\(text(plot.classLabels.1))],"
        + "\"lines\":[\n"
        + plot.boundaries.map {
          "{\"label\":\(text($0.0)),\"w1\":\(number($0.1)),\"w2\":\(number($0.2)),"
            + "\"b\":\(number($0.3))}"
        }.joined(separator: ",\n") + "],\n\"points\":[\n" + points.joined(separator: ",\n")
        + "]}"
    }
    return "{\"problem\":\(report.problem),\"title\":\(text(report.title)),\"charts\":[\n"
      + charts.joined(separator: ",\n") + "],\n\"boundaries\":[\n"
      + boundaries.joined(separator: ",\n") + "]}\n"
  }

  /// Where `a` and `b` differ in anything but the value of a finite number, or `nil`.
  static func structuralDifference(_ a: Any, _ b: Any, at path: String) -> String? {
    switch (a, b) {
    case (let a as [String: Any], let b as [String: Any]):
      guard Set(a.keys) == Set(b.keys) else { return "\(path) has keys \(a.keys.sorted())" }
      for key in a.keys.sorted() {
        if let d = structuralDifference(a[key]!, b[key]!, at: "\(path).\(key)") { return d }
      }
      return nil
    case (let a as [Any], let b as [Any]):
      guard a.count == b.count else { return "\(path) has \(a.count) items, now \(b.count)" }
      for (i, (x, y)) in zip(a, b).enumerated() {
        if let d = structuralDifference(x, y, at: "\(path)[\(i)]") { return d }
      }
      return nil
    case (is NSNull, is NSNull):
      return nil
    case (is NSNull, _), (_, is NSNull):
      return "\(path) is finite in one and not in the other"
    case (let a as String, let b as String):
      return a == b ? nil : "\(path) was \(a), now \(b)"
    case (is NSNumber, is NSNumber):
      return nil
    default:
      return "\(path) changed type"
    }
  }
}
