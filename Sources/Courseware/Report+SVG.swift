import Foundation

// SVG plots of a report: one file per chart and per decision-boundary plot, laid out as a
// `Figure` (ticks, gridlines, axis titles, a legend where it covers no data) and written by
// `Figure.svg()`.

extension Report {
  /// The report's plots as (file name, SVG text).
  public func svgFiles() -> [(String, String)] {
    let colors = seriesColors
    return charts.map { ("problem\(problem)-\($0.name).svg", $0.svg(colors: colors)) }
      + boundaries.map { ("problem\(problem)-\($0.name).svg", $0.svg(colors: colors)) }
  }

  /// One colour per run label over all the report's charts and boundary plots, in order of
  /// first appearance, so that a setting has the same colour everywhere.
  var seriesColors: [String: String] {
    var colors: [String: String] = [:]
    let labels =
      charts.flatMap { $0.series.map(\.label) } + boundaries.flatMap { $0.boundaries.map(\.0) }
    for label in labels where colors[label] == nil {
      colors[label] = PlotStyle.palette[colors.count % PlotStyle.palette.count]
    }
    return colors
  }
}

/// The plot area of a standard-size figure whose y tick labels are `yLabels`: the left
/// margin holds the widest label.
private func frame(yLabels: [String]) -> Rect {
  let labelWidth = yLabels.map { textWidth($0, fontSize: PlotStyle.fontSize) }.max() ?? 0
  let left = 34 + labelWidth  // the rotated axis title, a gap, the labels, the tick marks
  return Rect(
    x: left, y: 40, width: PlotStyle.width - 20 - left, height: PlotStyle.height - 40 - 56)
}

/// Sets the figure's legend from `entries`, growing the figure when it goes below the plot.
private func addLegend(_ entries: [LegendEntry], to figure: inout Figure) {
  let below = figure.frame.bottom + 50
  figure.legend = placeLegend(
    entries: entries, frame: figure.frame, marks: figure.marks, below: below)
  if let legend = figure.legend, !legend.isInside {
    figure.height = legend.box.bottom + 10
  }
}

extension Chart {
  /// The first index whose value is not finite, when there is one: where the run diverged.
  public static func divergence(_ values: [Double]) -> Int? { values.firstIndex { !$0.isFinite } }

  /// The chart laid out: nice ticks on both axes (decades on a log axis), one line per
  /// series (point i at x = i + 1) in the colour `colors` gives its label, diverged runs
  /// cut at their last finite value and marked with a cross, and a legend.
  func figure(colors: [String: String] = [:]) -> Figure {
    let drawn = series.map { s in
      Array(s.values.prefix(Chart.divergence(s.values) ?? s.values.count))
    }
    let shown = drawn.flatMap { $0 }.filter { logScale ? $0 > 0 : true }
    let longest = series.map(\.values.count).max() ?? 1
    let xScale = AxisScale.linear(1, Double(Swift.max(longest, 1)), integers: true)
    let yScale =
      shown.isEmpty
      ? AxisScale.linear(0, 1)
      : logScale
        ? AxisScale.logarithmic(shown.min()!, shown.max()!)
        : AxisScale.linear(shown.min()!, shown.max()!)
    var figure = Figure(
      width: PlotStyle.width, height: PlotStyle.height, title: title,
      frame: frame(yLabels: yScale.ticks.map(\.label)), xScale: xScale, yScale: yScale,
      xTitle: xLabel, yTitle: yLabel + (logScale ? " (log scale)" : ""), marks: [], legend: nil)
    var entries: [LegendEntry] = []
    for (s, curve) in series.enumerated() {
      let color = colors[curve.label] ?? PlotStyle.palette[s % PlotStyle.palette.count]
      let dash = PlotStyle.dashes[s % PlotStyle.dashes.count]
      let points = drawn[s].enumerated().filter { !logScale || $0.element > 0 }.map {
        Point(x: figure.px(Double($0.offset + 1)), y: figure.py($0.element))
      }
      if !points.isEmpty {
        figure.marks.append(.line(points, color: color, dash: dash, width: 2))
      }
      var label = curve.label
      let diverged = Chart.divergence(curve.values)
      if let diverged {
        label += " (diverged at \(xLabel.split(separator: " ").first ?? "step") \(diverged + 1))"
        if let last = points.last {
          figure.marks.append(.marker(last, .cross, size: 5, color: color, opacity: 1))
        }
      }
      entries.append(
        LegendEntry(
          label: label, color: color, sample: .line(dash: dash, diverged: diverged != nil)))
    }
    addLegend(entries, to: &figure)
    return figure
  }

  /// The chart as SVG text.
  func svg(colors: [String: String] = [:]) -> String { figure(colors: colors).svg() }
}

/// Marker colours of the two classes: light, so that the boundary lines stay readable on top.
private let classColors = ("#6baed6", "#fd8d3c")

extension BoundaryPlot {
  /// The plot laid out: the points of class 0 as circles and of class 1 as squares, each
  /// boundary as a line clipped to the plot area, nice ticks, axis titles and a legend.
  func figure(colors: [String: String] = [:]) -> Figure {
    let xs = points.map(\.0).filter(\.isFinite)
    let ys = points.map(\.1).filter(\.isFinite)
    let xScale = AxisScale.linear(xs.min() ?? -1, xs.max() ?? 1)
    let yScale = AxisScale.linear(ys.min() ?? -1, ys.max() ?? 1)
    var figure = Figure(
      width: PlotStyle.width, height: PlotStyle.height, title: title,
      frame: frame(yLabels: yScale.ticks.map(\.label)), xScale: xScale, yScale: yScale,
      xTitle: xLabel, yTitle: yLabel, marks: [], legend: nil)
    for (x, y, label) in points where x.isFinite && y.isFinite {
      let centre = Point(x: figure.px(x), y: figure.py(y))
      figure.marks.append(
        label == 0
          ? .marker(centre, .circle, size: 2.2, color: classColors.0, opacity: 0.6)
          : .marker(centre, .square, size: 1.9, color: classColors.1, opacity: 0.6))
    }
    var entries = [
      LegendEntry(label: classLabels.0, color: classColors.0, sample: .marker(.circle, opacity: 1)),
      LegendEntry(label: classLabels.1, color: classColors.1, sample: .marker(.square, opacity: 1)),
    ]
    let (xLow, xHigh) = (xScale.lower, xScale.upper)
    let (yLow, yHigh) = (yScale.lower, yScale.upper)
    for (i, (label, w1, w2, b)) in boundaries.enumerated() {
      let color = colors[label] ?? PlotStyle.palette[i % PlotStyle.palette.count]
      let dash = PlotStyle.dashes[i % PlotStyle.dashes.count]
      // w₁x + w₂y + b = 0 across the visible x range (or y range when nearly vertical),
      // then clipped to the plot area so that nothing is drawn outside it.
      var ends: [Point] = []
      if Swift.abs(w2) >= Swift.abs(w1), w2 != 0 {
        ends = [xLow, xHigh].map { Point(x: figure.px($0), y: figure.py(-(w1 * $0 + b) / w2)) }
      } else if w1 != 0 {
        ends = [yLow, yHigh].map { Point(x: figure.px(-(w2 * $0 + b) / w1), y: figure.py($0)) }
      }
      var text = label
      if ends.count == 2, let (a, c) = clip(ends[0], ends[1], to: figure.frame) {
        figure.marks.append(.line([a, c], color: color, dash: dash, width: 2.5))
      } else {
        text += " (outside the view)"
      }
      entries.append(
        LegendEntry(label: text, color: color, sample: .line(dash: dash, diverged: false)))
    }
    addLegend(entries, to: &figure)
    return figure
  }

  /// The plot as SVG text.
  func svg(colors: [String: String] = [:]) -> String { figure(colors: colors).svg() }
}
