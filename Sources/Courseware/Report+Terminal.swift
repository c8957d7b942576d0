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
  /// A character plot of the series: one marker per series, a few nice ticks labelled on
  /// the y axis (1, 2 or 5 times a power of ten; powers of ten on a log axis) and the
  /// first, middle and last step labelled on the x axis.
  func textLines(width: Int, height: Int) -> [String] {
    let markers: [Character] = ["*", "o", "+", "x", "#", "@"]
    let shown = series.flatMap { s in s.values.prefix(Chart.divergence(s.values) ?? s.values.count)
    }
    .filter { logScale ? $0 > 0 : true }
    guard let low = shown.min(), let high = shown.max(),
      let longest = series.map(\.values.count).max(),
      longest > 0
    else { return ["  (no data)"] }
    // The axis's range is the data's (no padding: a character row is coarse already), widened
    // by the scale only where the data is one value or under half a decade on a log axis.
    let axis =
      logScale
      ? AxisScale.logarithmic(low, high, padding: 0)
      : AxisScale.linear(low, high, target: Swift.max(2, height / 3), padding: 0)
    let span = axis.upper > axis.lower ? axis.upper - axis.lower : 1
    func row(_ value: Double) -> Int {
      let fraction = (axis.coordinate(value) - axis.lower) / span
      return Swift.min(height - 1, Swift.max(0, Int((fraction * Double(height - 1)).rounded())))
    }
    var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
    for (s, curve) in series.enumerated() {
      let end = Chart.divergence(curve.values) ?? curve.values.count
      for (i, v) in curve.values.prefix(end).enumerated() where !logScale || v > 0 {
        let x =
          longest == 1 ? 0 : Int((Double(i) / Double(longest - 1) * Double(width - 1)).rounded())
        grid[height - 1 - row(v)][x] = markers[s % markers.count]
      }
    }
    // The labelled ticks inside the range; where they would crowd (labels on neighbouring
    // rows), every second, third, … one, so that the labels stay evenly spaced in value.
    let candidates = axis.ticks.filter { tick in
      let position = axis.coordinate(tick.value)
      return !tick.label.isEmpty && position >= axis.lower - 1e-9 * span
        && position <= axis.upper + 1e-9 * span
    }.map { (row: height - 1 - row($0.value), label: $0.label) }
    var labels: [Int: String] = [:]
    search: for every in 1...Swift.max(1, candidates.count) {
      for offset in 0..<every {
        let chosen = stride(from: offset, to: candidates.count, by: every).map { candidates[$0] }
        if zip(chosen, chosen.dropFirst()).allSatisfy({ Swift.abs($0.row - $1.row) >= 2 }) {
          for tick in chosen { labels[tick.row] = tick.label }
          break search
        }
      }
    }
    let labelWidth = labels.values.map(\.count).max() ?? 0
    var lines: [String] = []
    for (r, cells) in grid.enumerated() {
      let label = labels[r] ?? ""
      let axisMark = labels[r] == nil ? " |" : " +"
      lines.append(
        "  " + String(repeating: " ", count: labelWidth - label.count) + label + axisMark
          + String(cells))
    }
    let indent = String(repeating: " ", count: labelWidth)
    lines.append("  " + indent + " +" + String(repeating: "-", count: width))
    lines.append("  " + indent + "  " + xAxisLabels(longest: longest, width: width) + "  " + xLabel)
    let legend = series.enumerated().map { s, curve in
      let diverged = Chart.divergence(curve.values).map {
        " (diverged at \(xLabel.split(separator: " ").first ?? "step") \($0 + 1))"
      }
      return "\(markers[s % markers.count]) \(curve.label)\(diverged ?? "")"
    }
    lines.append("  " + legend.joined(separator: "   ") + (logScale ? "   (log scale)" : ""))
    return lines
  }

  /// The x axis's labels under a plot `width` characters wide of `longest` steps: the first
  /// step at the left, the last at the right and the middle one under its column, where
  /// each fits with a space on both sides.
  func xAxisLabels(longest: Int, width: Int) -> String {
    var line = Array(repeating: Character(" "), count: width)
    func place(_ text: String, at start: Int) -> Bool {
      let end = start + text.count
      guard start >= 0, end <= width,
        line[Swift.max(0, start - 1)..<Swift.min(width, end + 1)].allSatisfy({ $0 == " " })
      else { return false }
      line.replaceSubrange(start..<end, with: Array(text))
      return true
    }
    let first = "1"
    let last = String(longest)
    _ = place(first, at: 0)
    if longest > 1 { _ = place(last, at: width - last.count) }
    let middle = (longest + 1) / 2
    if longest > 2, middle != 1, middle != longest {
      let column = Int((Double(middle - 1) / Double(longest - 1) * Double(width - 1)).rounded())
      let text = String(middle)
      _ = place(text, at: column - (text.count - 1) / 2)
    }
    return String(line)
  }
}
