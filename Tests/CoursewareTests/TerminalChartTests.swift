import Foundation
import Testing

@testable import Courseware

/// The terminal chart's axes against layouts worked out by hand: nice y ticks on the rows
/// nearest their values (row = round(fraction × (height − 1)), counted from the bottom) and
/// the first, middle and last step under their columns.
@Suite struct TerminalChartTests {
  @Test func linearChartHasNiceYTicksAndThreeXLabels() {
    // Five points from 0 to 1; height 10 asks for about 3 ticks: a step of 0.5 (Heckbert).
    // Rows of 0, 0.25, 0.5, 0.75, 1: round(9 × fraction) = 0, 2, 5, 7, 9 from the bottom;
    // columns: 20 × i / 4 = 0, 5, 10, 15, 20.
    let chart = Chart(
      name: "c", title: "t", xLabel: "epoch", yLabel: "y",
      series: [Series(label: "run", values: [0, 0.25, 0.5, 0.75, 1])])
    let lines = chart.textLines(width: 21, height: 10)
    let blank = "      |" + String(repeating: " ", count: 21)
    let expected = [
      "  1.0 +                    *",
      blank,
      "      |               *     ",
      blank,
      "  0.5 +          *          ",
      blank,
      blank,
      "      |     *               ",
      blank,
      "  0.0 +*                    ",
      "      +" + String(repeating: "-", count: 21),
      // The middle step, 3, sits under column 20 × 2 / 4 = 10.
      "       1         3         5  epoch",
      "  * run",
    ]
    #expect(lines == expected)
  }

  @Test func logChartLabelsEachPowerOfTen() {
    // 10⁻⁴ … 1 over 20 epochs: the powers of ten at fractions 0, ¼, ½, ¾, 1 of the rows,
    // i.e. rows round(9 × fraction) = 0, 2, 5, 7, 9 from the bottom.
    let values = (0..<20).map { pow(10, -4 + 4 * Double($0) / 19) }
    let chart = Chart(
      name: "c", title: "t", xLabel: "epoch", yLabel: "loss", logScale: true,
      series: [Series(label: "a", values: values)])
    let lines = chart.textLines(width: 60, height: 10)
    let labels = lines.prefix(10).map { $0.prefix(9).trimmingSpaces }
    #expect(labels == ["1 +", "|", "0.1 +", "|", "0.01 +", "|", "|", "0.001 +", "|", "1e-4 +"])
    // Steps 1, 10 and 20: the middle one under column round(59 × 9 / 19) = 28.
    let xLine = lines[11].dropFirst(2 + 5 + 2)  // indent, label width, axis
    #expect(xLine.hasPrefix("1" + String(repeating: " ", count: 27) + "10"))
    #expect(xLine.hasSuffix(String(repeating: " ", count: 28) + "20  epoch"))
  }

  @Test func shortRunsLabelWhatFits() {
    let chart = Chart(
      name: "c", title: "t", xLabel: "step", yLabel: "y",
      series: [Series(label: "a", values: [3, 1])])
    // Two steps: no middle; one step: only the first.
    #expect(chart.xAxisLabels(longest: 2, width: 10) == "1        2")
    #expect(chart.xAxisLabels(longest: 1, width: 10) == "1         ")
    // A middle label that would touch an end label is left out.
    #expect(chart.xAxisLabels(longest: 3, width: 4) == "1  3")
  }
}

extension Substring {
  /// The text without leading and trailing spaces.
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
