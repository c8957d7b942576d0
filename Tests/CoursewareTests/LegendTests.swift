import Testing

@testable import Courseware

/// Legend placement, checked geometrically on the laid-out figure: the legend box must not
/// touch any drawn line segment or point.
@Suite struct LegendTests {
  @Test func segmentAndCircleTouchTestsAgreeWithHandCases() {
    let box = Rect(x: 10, y: 10, width: 20, height: 10)
    #expect(box.touches(segment: Point(x: 0, y: 15), Point(x: 40, y: 15)))  // straight through
    #expect(!box.touches(segment: Point(x: 0, y: 25), Point(x: 40, y: 25)))  // below it
    #expect(!box.touches(segment: Point(x: 0, y: 0), Point(x: 9, y: 40)))  // left of it
    #expect(box.touches(segment: Point(x: 0, y: 0), Point(x: 40, y: 30)))  // diagonal across
    #expect(box.touches(circle: Point(x: 33, y: 15), radius: 3.5))
    #expect(!box.touches(circle: Point(x: 33, y: 24), radius: 3.5))  // past the corner: √18 > 3.5
  }

  /// Every figure below has data in different corners; the legend must avoid all of it.
  static let charts: [Chart] = [
    // Falling curves fill the top left: the legend goes top right.
    Chart(
      name: "falling", title: "falling", xLabel: "epoch", yLabel: "loss", logScale: true,
      series: [
        Series(label: "a", values: (1...50).map { 1 / Double($0) }),
        Series(label: "b", values: (1...50).map { 2 / Double($0 * $0) }),
      ]),
    // Rising accuracy fills the bottom left and the top right.
    Chart(
      name: "rising", title: "rising", xLabel: "epoch", yLabel: "accuracy",
      series: [Series(label: "accuracy", values: (1...30).map { 1 - 0.5 / Double($0) })]),
    // Zig-zags over the whole area leave no room inside: the legend goes below.
    Chart(
      name: "zigzag", title: "zigzag", xLabel: "step", yLabel: "value",
      series: (0..<4).map { s in
        Series(
          label: "run with a rather long label \(s)",
          values: (0..<40).map { Double(($0 + s) % 2) })
      }),
    // A diverged run.
    Chart(
      name: "diverged", title: "diverged", xLabel: "epoch", yLabel: "MSE", logScale: true,
      series: [
        Series(label: "stable", values: (1...20).map { 1 / Double($0) }),
        Series(label: "unstable", values: [1, 3, 30, .infinity, .nan]),
      ]),
  ]

  @Test(arguments: [0, 1, 2, 3])
  func legendCoversNoLineOrPoint(index: Int) throws {
    let chart: Chart = Self.charts[index]
    let figure: Figure = chart.figure()
    let legend: Legend = try #require(figure.legend)
    let covered: Bool = covers(legend.box, figure.marks)
    #expect(!covered, "legend of \(chart.name)")
    // Inside or below, the box stays within the image.
    let box: Rect = legend.box
    #expect(box.x >= 0)
    #expect(box.right <= figure.width)
    #expect(box.bottom <= figure.height)
  }

  @Test func legendGoesInsideWhenACornerIsFreeAndBelowWhenNoneIs() {
    #expect(Self.charts[0].figure().legend?.isInside == true)
    let zigzag = Self.charts[2].figure()
    #expect(zigzag.legend?.isInside == false)
    #expect(zigzag.height > PlotStyle.height)  // the figure grew to hold it
  }

  @Test func boundaryLegendCoversNoPointOrLine() throws {
    // Points on a grid over the whole square, one boundary through the middle.
    let points: [(Double, Double, Int)] = (0..<400).map { (i: Int) -> (Double, Double, Int) in
      let (column, row) = (i % 20, i / 20)
      return (Double(column), Double(row), column < row ? 1 : 0)
    }
    let plot = BoundaryPlot(
      name: "grid", title: "grid", points: points, boundaries: [("w = (1, −1)", 1, -1, 0)])
    let figure = plot.figure()
    let legend = try #require(figure.legend)
    #expect(!covers(legend.box, figure.marks))
    let labels: [String] = legend.entries.map { $0.label }
    #expect(labels == ["class 0", "class 1", "w = (1, −1)"])
  }

  @Test func divergedRunIsMarkedWhereItStopped() throws {
    let figure = Self.charts[3].figure()
    let labels = figure.legend?.entries.map(\.label) ?? []
    #expect(labels == ["stable", "unstable (diverged at epoch 4)"])
    // Three finite values drawn, and a cross on the third.
    let lines = figure.marks.compactMap { mark -> [Point]? in
      if case .line(let points, _, _, _) = mark { points } else { nil }
    }
    #expect(lines.map(\.count) == [20, 3])
    let crosses = figure.marks.compactMap { mark -> Point? in
      if case .marker(let p, .cross, _, _, _) = mark { p } else { nil }
    }
    #expect(crosses == [lines[1][2]])
  }

  @Test func sameLabelGetsTheSameColourInEveryChart() {
    let report = Report(
      problem: 9, title: "t",
      charts: [
        Chart(
          name: "one", title: "", xLabel: "epoch", yLabel: "",
          series: [
            Series(label: "lr 0.1", values: [1, 2]), Series(label: "lr 1", values: [2, 1]),
          ]),
        Chart(
          name: "two", title: "", xLabel: "epoch", yLabel: "",
          series: [Series(label: "lr 1", values: [1, 2])]),
      ])
    let colors = report.seriesColors
    let second = report.charts[1].figure(colors: colors)
    guard case .line(_, let color, _, _) = second.marks[0] else {
      Issue.record("no line drawn")
      return
    }
    #expect(color == colors["lr 1"])
    #expect(colors["lr 1"] != colors["lr 0.1"])
  }
}
