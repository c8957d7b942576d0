import Foundation

extension Report {
  /// The report as plain text for a terminal: figures, findings, tables and a small chart
  /// of each curve.
  public func terminalText(chartWidth: Int = 60, chartHeight: Int = 10) -> String {
    var out = ["Problem \(problem): \(title)", ""]
    let scalars = figures.compactMap { key, value -> (String, String)? in
      switch value {
      case .number(let n): (key, formatFigure(n))
      case .null: (key, "n/a")
      case .string(let s): (key, s)
      case .bool(let b): (key, b ? "yes" : "no")
      default: nil
      }
    }
    let keyWidth = scalars.map(\.0.count).max() ?? 0
    for (key, value) in scalars {
      out.append("  " + key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  " + value)
    }
    if !findings.isEmpty {
      out.append("")
      out += findings.map { "- " + $0 }
    }
    for table in tables {
      out += ["", table.title] + table.textLines()
    }
    for chart in charts {
      out += ["", chart.title] + chart.textLines(width: chartWidth, height: chartHeight)
    }
    return out.joined(separator: "\n") + "\n"
  }
}

/// Four significant digits, in scientific notation for very large or small magnitudes.
public func formatFigure(_ value: Double) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value > 0 ? "inf" : "-inf" }
  let magnitude = Swift.abs(value)
  if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) {
    return String(format: "%.4e", value)
  }
  return String(format: "%.4g", value)
}

extension Table {
  /// Rows aligned in columns, with a rule under the header.
  func textLines() -> [String] {
    let all = [header] + rows
    let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      "  "
        + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
        .joined(separator: "  ")
    }
    return [
      line(header), "  " + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "),
    ]
      + rows.map(line)
  }
}

extension Chart {
  /// A character plot of the series: one marker per series, y axis labelled at both ends.
  func textLines(width: Int, height: Int) -> [String] {
    let markers: [Character] = ["*", "o", "+", "x", "#", "@"]
    let transform: (Double) -> Double = logScale ? { log10(Swift.max($0, 1e-300)) } : { $0 }
    let values = series.flatMap(\.values).filter(\.isFinite).map(transform)
    guard let low = values.min(), let high = values.max(),
      let longest = series.map(\.values.count).max(),
      longest > 0
    else { return ["  (no data)"] }
    let span = high > low ? high - low : 1
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    for (s, curve) in series.enumerated() {
      let end = Chart.divergence(curve.values) ?? curve.values.count
      for (i, v) in curve.values.prefix(end).enumerated() where !logScale || v > 0 {
        let x =
          longest == 1 ? 0 : Int((Double(i) / Double(longest - 1) * Double(width - 1)).rounded())
        let y = Int(((transform(v) - low) / span * Double(height - 1)).rounded())
        grid[height - 1 - y][x] = markers[s % markers.count]
      }
    }
    let top = formatFigure(logScale ? pow(10, high) : high)
    let bottom = formatFigure(logScale ? pow(10, low) : low)
    let labelWidth = Swift.max(top.count, bottom.count)
    var lines: [String] = []
    for (r, row) in grid.enumerated() {
      let label = r == 0 ? top : (r == height - 1 ? bottom : "")
      lines.append(
        "  " + String(repeating: " ", count: labelWidth - label.count) + label + " |" + String(row))
    }
    lines.append(
      "  " + String(repeating: " ", count: labelWidth) + " +" + String(repeating: "-", count: width)
    )
    lines.append(
      "  " + String(repeating: " ", count: labelWidth) + "  1"
        + String(repeating: " ", count: Swift.max(1, width - 2 - String(longest).count))
        + String(longest) + "  " + xLabel)
    let legend = series.enumerated().map { s, curve in
      let diverged = Chart.divergence(curve.values).map {
        " (diverged at \(xLabel.split(separator: " ").first ?? "step") \($0 + 1))"
      }
      return "\(markers[s % markers.count]) \(curve.label)\(diverged ?? "")"
    }
    lines.append("  " + legend.joined(separator: "   ") + (logScale ? "   (log scale)" : ""))
    return lines
  }
}
