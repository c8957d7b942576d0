import Foundation

// The SVG text of a laid-out figure. Plain SVG 1.1 with no scripts, no external references
// and no CSS, so the file opens the same in browsers, image viewers and rsvg.

/// Escapes text for SVG content and attributes.
func escapeXML(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

/// A pixel coordinate with two decimals (enough for any screen, and stable text).
private func f(_ v: Double) -> String {
  let text = String(format: "%.2f", v)
  return text == "-0.00" ? "0.00" : text
}

extension Figure {
  /// The figure as a standalone SVG document.
  func svg() -> String {
    var out = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
      viewBox="0 0 \(Int(width)) \(Int(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" \
      font-size="\(Int(PlotStyle.fontSize))">
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="\(Int(PlotStyle.titleSize))" \
      font-weight="bold">\(escapeXML(title))</text>

      """
    out += gridAndAxes()
    for mark in marks { out += svg(mark) }
    if let legend { out += svg(legend) }
    return out + "</svg>\n"
  }

  private func gridAndAxes() -> String {
    var out = ""
    for tick in xScale.ticks {
      let x = f(px(tick.value))
      out +=
        "<line x1=\"\(x)\" y1=\"\(f(frame.y))\" x2=\"\(x)\" y2=\"\(f(frame.bottom))\" "
        + "stroke=\"\(tick.isMajor ? "#dddddd" : "#f0f0f0")\"/>\n"
    }
    for tick in yScale.ticks {
      let y = f(py(tick.value))
      out +=
        "<line x1=\"\(f(frame.x))\" y1=\"\(y)\" x2=\"\(f(frame.right))\" y2=\"\(y)\" "
        + "stroke=\"\(tick.isMajor ? "#dddddd" : "#f0f0f0")\"/>\n"
    }
    out +=
      "<rect x=\"\(f(frame.x))\" y=\"\(f(frame.y))\" width=\"\(f(frame.width))\" "
      + "height=\"\(f(frame.height))\" fill=\"none\" stroke=\"#333333\"/>\n"
    for tick in xScale.ticks {
      let x = f(px(tick.value))
      let length = tick.isMajor || !tick.label.isEmpty ? 5.0 : 3.0
      out +=
        "<line x1=\"\(x)\" y1=\"\(f(frame.bottom))\" x2=\"\(x)\" y2=\"\(f(frame.bottom + length))\" "
        + "stroke=\"#333333\"/>\n"
      if !tick.label.isEmpty {
        out +=
          "<text x=\"\(x)\" y=\"\(f(frame.bottom + 19))\" text-anchor=\"middle\">"
          + "\(escapeXML(tick.label))</text>\n"
      }
    }
    for tick in yScale.ticks {
      let y = py(tick.value)
      let length = tick.isMajor || !tick.label.isEmpty ? 5.0 : 3.0
      out +=
        "<line x1=\"\(f(frame.x - length))\" y1=\"\(f(y))\" x2=\"\(f(frame.x))\" y2=\"\(f(y))\" "
        + "stroke=\"#333333\"/>\n"
      if !tick.label.isEmpty {
        out +=
          "<text x=\"\(f(frame.x - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"
          + "\(escapeXML(tick.label))</text>\n"
      }
    }
    let middleY = frame.y + frame.height / 2
    out +=
      "<text x=\"\(f(frame.x + frame.width / 2))\" y=\"\(f(frame.bottom + 38))\" "
      + "text-anchor=\"middle\" font-size=\"13\">\(escapeXML(xTitle))</text>\n"
    out +=
      "<text x=\"18\" y=\"\(f(middleY))\" text-anchor=\"middle\" font-size=\"13\" "
      + "transform=\"rotate(-90 18 \(f(middleY)))\">\(escapeXML(yTitle))</text>\n"
    return out
  }

  private func svg(_ mark: Mark) -> String {
    switch mark {
    case .line(let points, let color, let dash, let width):
      let list = points.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " ")
      return
        "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(width)\" "
        + "stroke-linejoin=\"round\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") "
        + "points=\"\(list)\"/>\n"
    case .marker(let c, let shape, let size, let color, let opacity):
      return markerSVG(c, shape, size: size, color: color, opacity: opacity)
    }
  }

  private func svg(_ legend: Legend) -> String {
    let box = legend.box
    var out =
      "<rect x=\"\(f(box.x))\" y=\"\(f(box.y))\" width=\"\(f(box.width))\" "
      + "height=\"\(f(box.height))\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbbbbb\"/>\n"
    let columnWidth = (box.width - 2 * PlotStyle.legendPadding) / Double(legend.columns)
    for (i, entry) in legend.entries.enumerated() {
      let x = box.x + PlotStyle.legendPadding + Double(i % legend.columns) * columnWidth
      let y = box.y + PlotStyle.legendPadding + 7 + Double(i / legend.columns) * PlotStyle.legendRow
      let end = x + PlotStyle.legendSample
      switch entry.sample {
      case .line(let dash, let diverged):
        out +=
          "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(end))\" y2=\"\(f(y))\" "
          + "stroke=\"\(entry.color)\" stroke-width=\"2.5\""
          + "\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>\n"
        if diverged {
          out += markerSVG(
            Point(x: (x + end) / 2, y: y), .cross, size: 5, color: entry.color, opacity: 1)
        }
      case .marker(let shape, let opacity):
        out += markerSVG(
          Point(x: (x + end) / 2, y: y), shape, size: 4, color: entry.color, opacity: opacity)
      }
      out +=
        "<text x=\"\(f(end + 6))\" y=\"\(f(y + 4))\">\(escapeXML(entry.label))</text>\n"
    }
    return out
  }
}

/// A circle, square or ×, centred at `c`.
private func markerSVG(
  _ c: Point, _ shape: MarkerShape, size: Double, color: String, opacity: Double
) -> String {
  let alpha = opacity < 1 ? " fill-opacity=\"\(opacity)\"" : ""
  switch shape {
  case .circle:
    return "<circle cx=\"\(f(c.x))\" cy=\"\(f(c.y))\" r=\"\(size)\" fill=\"\(color)\"\(alpha)/>\n"
  case .square:
    return
      "<rect x=\"\(f(c.x - size))\" y=\"\(f(c.y - size))\" width=\"\(2 * size)\" "
      + "height=\"\(2 * size)\" fill=\"\(color)\"\(alpha)/>\n"
  case .cross:
    let (a, b) = (f(c.x - size), f(c.x + size))
    let (top, bottom) = (f(c.y - size), f(c.y + size))
    return
      "<path d=\"M\(a) \(top)L\(b) \(bottom)M\(a) \(bottom)L\(b) \(top)\" stroke=\"\(color)\" "
      + "stroke-width=\"2.5\"/>\n"
  }
}
