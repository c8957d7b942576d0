import Foundation

/// The shape of a point marker.
enum MarkerShape: Equatable {
  case circle, square, cross
}

/// Something drawn inside the plot area, in pixels.
enum Mark: Equatable {
  /// A polyline: its points, colour, SVG dash pattern (empty: solid) and width.
  case line([Point], color: String, dash: String, width: Double)
  /// A marker centred at a point; `size` is its radius (half the side of a square).
  case marker(Point, MarkerShape, size: Double, color: String, opacity: Double)
}

/// What a legend entry shows left of its label.
enum LegendSample: Equatable {
  /// A short stretch of line with the series' dash pattern, and a cross on it when the
  /// series diverged.
  case line(dash: String, diverged: Bool)
  /// A marker of the given shape.
  case marker(MarkerShape, opacity: Double)
}

/// One legend line.
struct LegendEntry: Equatable {
  var label: String
  var color: String
  var sample: LegendSample
}

/// A legend: its box and entries, laid out in `columns` columns.
struct Legend: Equatable {
  var box: Rect
  var entries: [LegendEntry]
  var columns: Int
  /// Whether the box sits inside the plot area (in an empty place) or below it.
  var isInside: Bool
}

/// A whole plot, laid out in pixels: what the SVG writer draws and what the layout tests
/// measure (for instance, that the legend covers no mark).
struct Figure {
  var width: Double
  var height: Double
  var title: String
  /// The plot area.
  var frame: Rect
  var xScale: AxisScale
  var yScale: AxisScale
  var xTitle: String
  var yTitle: String
  var marks: [Mark]
  var legend: Legend?

  /// The horizontal pixel of a data value.
  func px(_ x: Double) -> Double {
    frame.x + (xScale.coordinate(x) - xScale.lower) / (xScale.upper - xScale.lower) * frame.width
  }

  /// The vertical pixel of a data value.
  func py(_ y: Double) -> Double {
    frame.bottom - (yScale.coordinate(y) - yScale.lower) / (yScale.upper - yScale.lower)
      * frame.height
  }
}

/// Sizes shared by every plot, chosen to be readable when the SVG is shown 640 px wide.
enum PlotStyle {
  static let width = 640.0
  static let height = 400.0
  static let fontSize = 12.0
  static let titleSize = 15.0
  static let legendRow = 18.0
  static let legendSample = 28.0
  static let legendPadding = 8.0
  /// Room kept free around the legend box, so marks do not touch it either.
  static let legendClearance = 3.0
  /// Colours for runs (tab10 without its orange and grey, which the class markers and
  /// gridlines use); the same run gets the same colour in every chart of a report.
  static let palette = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
  ]
  /// Dash patterns, so that curves lying on top of each other stay distinguishable.
  static let dashes = ["", "8 4", "2 3", "10 3 2 3"]
}

/// The width of a legend entry: sample, gap, label.
private func entryWidth(_ entry: LegendEntry) -> Double {
  PlotStyle.legendSample + 6 + textWidth(entry.label, fontSize: PlotStyle.fontSize)
}

/// Places a legend for `entries` inside `frame` where it covers none of `marks`: the first
/// free spot of the corners and edge middles. When every spot is taken, the legend goes
/// below the plot, starting at `below`, in as many columns as fit the frame's width.
func placeLegend(entries: [LegendEntry], frame: Rect, marks: [Mark], below: Double) -> Legend? {
  guard !entries.isEmpty else { return nil }
  let pad = PlotStyle.legendPadding
  let inside = Rect(
    x: 0, y: 0, width: 2 * pad + (entries.map(entryWidth).max() ?? 0),
    height: 2 * pad + Double(entries.count) * PlotStyle.legendRow - 4)
  let gap = 6.0
  let (left, right) = (frame.x + gap, frame.right - gap - inside.width)
  let (top, bottom) = (frame.y + gap, frame.bottom - gap - inside.height)
  let (middleX, middleY) = ((left + right) / 2, (top + bottom) / 2)
  let spots = [
    (right, top), (left, top), (right, bottom), (left, bottom),
    (middleX, top), (middleX, bottom), (right, middleY), (left, middleY),
  ]
  if inside.width < frame.width - 2 * gap, inside.height < frame.height - 2 * gap {
    for (x, y) in spots {
      let box = Rect(x: x, y: y, width: inside.width, height: inside.height)
      if !covers(box.inset(by: PlotStyle.legendClearance), marks) {
        return Legend(box: box, entries: entries, columns: 1, isInside: true)
      }
    }
  }
  let column = entries.map(entryWidth).max()! + 18
  let columns = Swift.max(1, Swift.min(entries.count, Int((frame.width - 2 * pad) / column)))
  let rows = (entries.count + columns - 1) / columns
  let box = Rect(
    x: frame.x, y: below, width: Swift.min(frame.width, 2 * pad + Double(columns) * column),
    height: 2 * pad + Double(rows) * PlotStyle.legendRow - 4)
  return Legend(box: box, entries: entries, columns: columns, isInside: false)
}

/// Whether any mark touches `box`.
func covers(_ box: Rect, _ marks: [Mark]) -> Bool {
  marks.contains { mark in
    switch mark {
    case .line(let points, _, _, let width):
      if points.count == 1 { return box.touches(circle: points[0], radius: width) }
      return zip(points, points.dropFirst()).contains { a, b in
        box.inset(by: width / 2).touches(segment: a, b)
      }
    case .marker(let centre, _, let size, _, _):
      // A square's corners reach √2 times its half side from the centre.
      return box.touches(circle: centre, radius: size * 1.5)
    }
  }
}
