import Foundation
import SnapshotTestSupport
import Testing

@testable import Courseware

/// The SVG text of one figure of each kind, compared byte for byte with the files in
/// Snapshots/ (rendered to PNG and looked at when recorded).
@Suite struct SVGSnapshotTests {
  @Test func logChartWithADivergedRun() throws {
    try expectSnapshot(LegendTests.charts[3].svg(), named: "log-diverged.svg")
  }

  @Test func linearChartWithLegendBelow() throws {
    try expectSnapshot(LegendTests.charts[2].svg(), named: "linear-legend-below.svg")
  }

  @Test func decisionBoundaries() throws {
    let points: [(Double, Double, Int)] = (0..<40).map { i in
      let t = Double(i) * 0.7
      let label = i % 2
      let centre = label == 0 ? -1.5 : 1.5
      return (
        centre + 0.8 * (t.truncatingRemainder(dividingBy: 2) - 1), centre + 0.8 * (t.sin - 0), label
      )
    }
    let plot = BoundaryPlot(
      name: "b", title: "Decision boundaries <w·x + b = 0>", points: points,
      boundaries: [("lr 0.1", 1, 1, 0), ("lr 1.0", 2, 1.5, 0.2)])
    try expectSnapshot(plot.svg(), named: "boundaries.svg")
  }
}

extension Double {
  fileprivate var sin: Double { Foundation.sin(self) }
}
