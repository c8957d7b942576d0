import Testing

@testable import Courseware

/// Tick positions and labels against values worked out by hand from Heckbert's rule
/// (steps of 1, 2 or 5 times a power of ten, padded range of 4 % per side).
@Suite struct TicksTests {
  @Test func niceNumbersRoundToOneTwoOrFive() {
    #expect(niceNumber(0.216, round: true) == 0.2)
    #expect(niceNumber(4.1, round: true) == 5)
    #expect(niceNumber(1.4, round: true) == 1)
    #expect(niceNumber(7.5, round: true) == 10)
    #expect(niceNumber(3, round: false) == 5)
  }

  @Test func unitRangeGetsTicksEveryFifth() {
    // Range padded to [−0.04, 1.04]; 1.08 / 5 = 0.216 rounds to a step of 0.2.
    let axis = AxisScale.linear(0, 1)
    #expect(axis.ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(axis.lower == -0.04 && axis.upper == 1.04)
  }

  @Test func epochAxisUsesWholeNumbers() {
    // [1, 20] padded to [0.24, 20.76]; 20.52 / 5 = 4.1 rounds to 5.
    #expect(AxisScale.linear(1, 20, integers: true).ticks.map(\.label) == ["5", "10", "15", "20"])
    // Three epochs would give a step of 0.5; whole-number ticks keep it at 1.
    #expect(AxisScale.linear(1, 3, integers: true).ticks.map(\.label) == ["1", "2", "3"])
  }

  @Test func narrowAccuracyRangeKeepsEnoughDecimals() {
    // [0.9, 0.95] padded to [0.898, 0.952]; 0.054 / 5 = 0.0108 rounds to 0.01.
    let labels = AxisScale.linear(0.9, 0.95).ticks.map(\.label)
    #expect(labels == ["0.90", "0.91", "0.92", "0.93", "0.94", "0.95"])
  }

  @Test func tinyValuesUseScientificLabels() {
    #expect(linearLabel(1.5e-5, step: 1e-5 / 2) == "1.5e-5")
    #expect(linearLabel(3e-5, step: 1e-5) == "3e-5")
    #expect(linearLabel(2e6, step: 1e6) == "2e6")
  }

  @Test func logAxisHasOneLabelPerDecade() {
    let axis = AxisScale.logarithmic(1e-5, 1e-1)
    #expect(axis.ticks.filter(\.isMajor).map(\.label) == ["1e-5", "1e-4", "0.001", "0.01", "0.1"])
    // Padded to about 10^−5.16 … 10^−0.84: the 2…9 minor ticks of four decades, and 7, 8 and
    // 9 × 10⁻⁶ below the first label, all unlabelled.
    #expect(axis.ticks.filter { !$0.isMajor }.count == 4 * 8 + 3)
    #expect(axis.ticks.filter { !$0.isMajor }.allSatisfy { $0.label.isEmpty })
  }

  @Test func manyDecadesLabelEveryFewOnes() {
    // 1e-10 … 1e10 padded is 21.6 decades: every third power of ten is labelled.
    let labels = AxisScale.logarithmic(1e-10, 1e10).ticks.filter(\.isMajor).map(\.label)
    #expect(labels == ["1e-9", "1e-6", "0.001", "1", "1000", "1e6", "1e9"])
  }

  @Test func logAxisUnderADecadeStillHasThreeLabels() {
    // 0.2 … 0.6 is under half a decade: widened around its centre, with 2× and 5× labelled.
    let labels = AxisScale.logarithmic(0.2, 0.6).ticks.map(\.label).filter { !$0.isEmpty }
    #expect(labels.count >= 3, "\(labels)")
    #expect(labels.contains("0.2") && labels.contains("0.5"))
    // 0.646 … 1.515 (problem 4's loss): no 2× or 5× tick falls in view, so every tick is
    // labelled rather than "1" alone.
    let narrow = AxisScale.logarithmic(0.646, 1.515).ticks.map(\.label).filter { !$0.isEmpty }
    #expect(narrow == ["0.6", "0.7", "0.8", "0.9", "1"], "\(narrow)")
  }
}
