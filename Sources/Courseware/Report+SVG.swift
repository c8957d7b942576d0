import Foundation

// SVG plots of a report: one file per chart and per decision-boundary plot. Plain SVG 1.1
// with no scripts or external references, so the files open anywhere.

extension Report {
  /// The report's plots as (file name, SVG text).
  public func svgFiles() -> [(String, String)] {
    charts.map { ("problem\(problem)-\($0.name).svg", $0.svg()) }
      + boundaries.map { ("problem\(problem)-\($0.name).svg", $0.svg()) }
  }
}

private let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
private let (plotWidth, plotHeight, margin) = (640.0, 400.0, 60.0)

/// Escapes text for SVG content and attributes.
func escapeXML(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

private func header(_ title: String) -> String {
  """
  <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(plotWidth))" height="\(Int(plotHeight))" \
  viewBox="0 0 \(Int(plotWidth)) \(Int(plotHeight))" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="white"/>
  <text x="\(plotWidth / 2)" y="20" text-anchor="middle" font-size="14">\(escapeXML(title))</text>

  """
}

private func format(_ v: Double) -> String { String(format: "%.2f", v) }

extension Chart {
  /// A line chart with axes, tick labels at the ends and a legend.
  func svg() -> String {
    let transform: (Double) -> Double = logScale ? { log10(Swift.max($0, 1e-300)) } : { $0 }
    let values = series.flatMap(\.values).filter(\.isFinite).map(transform)
    let low = values.min() ?? 0
    let high = values.max() ?? 1
    let span = high > low ? high - low : 1
    let longest = Swift.max(series.map(\.values.count).max() ?? 1, 2)
    let (left, right, top, bottom) = (margin, plotWidth - 20, 40.0, plotHeight - margin)
    func px(_ i: Int) -> Double { left + Double(i) / Double(longest - 1) * (right - left) }
    func py(_ v: Double) -> Double { bottom - (transform(v) - low) / span * (bottom - top) }
    var svg = header(title)
    svg +=
      "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"black\"/>\n"
    svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"black\"/>\n"
    let topLabel = formatFigure(logScale ? pow(10, high) : high)
    let bottomLabel = formatFigure(logScale ? pow(10, low) : low)
    svg += "<text x=\"\(left - 4)\" y=\"\(top + 4)\" text-anchor=\"end\">\(topLabel)</text>\n"
    svg += "<text x=\"\(left - 4)\" y=\"\(bottom)\" text-anchor=\"end\">\(bottomLabel)</text>\n"
    svg += "<text x=\"\(left)\" y=\"\(bottom + 16)\" text-anchor=\"middle\">1</text>\n"
    svg += "<text x=\"\(right)\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(longest)</text>\n"
    svg +=
      "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 34)\" text-anchor=\"middle\">"
      + "\(escapeXML(xLabel))</text>\n"
    svg +=
      "<text x=\"16\" y=\"\((top + bottom) / 2)\" text-anchor=\"middle\" "
      + "transform=\"rotate(-90 16 \((top + bottom) / 2))\">\(escapeXML(yLabel))"
      + "\(logScale ? " (log scale)" : "")</text>\n"
    for (s, curve) in series.enumerated() {
      let points = curve.values.enumerated().filter { $0.element.isFinite }
        .map { "\(format(px($0.offset))),\(format(py($0.element)))" }.joined(separator: " ")
      let color = palette[s % palette.count]
      svg +=
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
      svg +=
        "<text x=\"\(right - 150)\" y=\"\(top + 14 + Double(s) * 16)\" fill=\"\(color)\">"
        + "\(escapeXML(curve.label))</text>\n"
    }
    return svg + "</svg>\n"
  }
}

extension BoundaryPlot {
  /// The points coloured by class, with each boundary line clipped to the view.
  func svg() -> String {
    let xs = points.map(\.0)
    let ys = points.map(\.1)
    let (xLow, xHigh) = ((xs.min() ?? -1) - 0.5, (xs.max() ?? 1) + 0.5)
    let (yLow, yHigh) = ((ys.min() ?? -1) - 0.5, (ys.max() ?? 1) + 0.5)
    let (left, right, top, bottom) = (margin, plotWidth - 20, 40.0, plotHeight - margin)
    func px(_ x: Double) -> Double { left + (x - xLow) / (xHigh - xLow) * (right - left) }
    func py(_ y: Double) -> Double { bottom - (y - yLow) / (yHigh - yLow) * (bottom - top) }
    var svg = header(title)
    let area = "x=\"\(left)\" y=\"\(top)\" width=\"\(right - left)\" height=\"\(bottom - top)\""
    svg += "<defs><clipPath id=\"plot-area\"><rect \(area)/></clipPath></defs>\n"
    svg += "<rect \(area) fill=\"none\" stroke=\"black\"/>\n"
    for (x, y, label) in points {
      svg +=
        "<circle cx=\"\(format(px(x)))\" cy=\"\(format(py(y)))\" r=\"1.5\" "
        + "fill=\"\(label == 0 ? "#1f77b4" : "#ff7f0e")\" fill-opacity=\"0.5\"/>\n"
    }
    for (i, (label, w1, w2, b)) in boundaries.enumerated() {
      // w₁x + w₂y + b = 0, drawn across the visible x range (or y range if nearly vertical).
      let color = ["#000000", "#d62728", "#2ca02c", "#9467bd"][i % 4]
      var ends: [(Double, Double)] = []
      if Swift.abs(w2) > 1e-12 {
        ends = [xLow, xHigh].map { ($0, -(w1 * $0 + b) / w2) }
      } else if Swift.abs(w1) > 1e-12 {
        ends = [yLow, yHigh].map { (-(w2 * $0 + b) / w1, $0) }
      }
      if ends.count == 2 {
        svg +=
          "<line x1=\"\(format(px(ends[0].0)))\" y1=\"\(format(py(ends[0].1)))\" "
          + "x2=\"\(format(px(ends[1].0)))\" y2=\"\(format(py(ends[1].1)))\" stroke=\"\(color)\" "
          + "stroke-width=\"2\" clip-path=\"url(#plot-area)\"/>\n"
      }
      svg +=
        "<text x=\"\(left + 8)\" y=\"\(top + 16 + Double(i) * 16)\" fill=\"\(color)\">"
        + "\(escapeXML(label))</text>\n"
    }
    return svg + "</svg>\n"
  }
}
