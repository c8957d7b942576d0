import Foundation

/// One tick on an axis: its value, its label (empty for an unlabelled minor tick) and whether
/// it is major (drawn with a darker gridline).
struct Tick: Equatable {
  /// The data value (not its logarithm) where the tick sits.
  var value: Double
  /// The text under or beside the tick; empty for a minor tick.
  var label: String
  /// Major ticks get a gridline of full strength, minor ones a faint one.
  var isMajor: Bool
}

/// An axis's visible range and its ticks, linear or logarithmic.
///
/// Ranges are padded a little beyond the data, as plotting libraries do, so that no curve
/// runs along the frame; ticks are "nice" values (1, 2 or 5 times a power of ten) inside
/// that range.
struct AxisScale {
  /// The lowest visible value, in plot coordinates (log10 of the value on a log axis).
  var lower: Double
  /// The highest visible value, in plot coordinates.
  var upper: Double
  /// Whether positions are log10 of the values.
  var isLog: Bool
  /// The ticks, in increasing order.
  var ticks: [Tick]

  /// A value's position in plot coordinates (its log10 on a log axis; non-positive values
  /// on a log axis go to the bottom of the range).
  func coordinate(_ value: Double) -> Double {
    isLog ? (value > 0 ? log10(value) : lower) : value
  }

  /// A linear axis over `low...high` with about `target` ticks; `integers` keeps ticks on
  /// whole numbers (epochs). The range is padded by `padding` of its span on each side.
  static func linear(
    _ low: Double, _ high: Double, target: Int = 6, integers: Bool = false, padding: Double = 0.04
  ) -> AxisScale {
    var (low, high) = (low, high)
    if !(high > low) {
      // One value: show it in the middle of a unit (or ±10 %) window.
      let half = low == 0 ? 1 : Swift.abs(low) * 0.1
      (low, high) = (low - half, high + half)
    }
    let pad = (high - low) * padding
    let (lower, upper) = (low - pad, high + pad)
    var step = niceNumber((upper - lower) / Double(Swift.max(target - 1, 1)), round: true)
    if integers { step = Swift.max(step, 1) }
    let first = (lower / step).rounded(.up)
    let last = (upper / step).rounded(.down)
    let values = stride(from: first, through: last, by: 1).map { $0 * step }
    let ticks = values.map { Tick(value: $0, label: linearLabel($0, step: step), isMajor: true) }
    return AxisScale(lower: lower, upper: upper, isLog: false, ticks: ticks)
  }

  /// A log axis over `low...high` (both positive): a major tick at each power of ten
  /// (every second or third one when there are many), faint minor ticks at 2…9 times each,
  /// and, when fewer than three powers of ten are visible, labels on the 2× and 5× ticks
  /// too (or on every tick when even that leaves fewer than three labels).
  static func logarithmic(_ low: Double, _ high: Double, padding: Double = 0.04) -> AxisScale {
    var (a, b) = (log10(low), log10(high))
    // Under half a decade of data would give a log axis with one or no power of ten:
    // widen it around its centre so that several labelled ticks fit.
    let minimumSpan = 0.5
    if b - a < minimumSpan {
      let centre = (a + b) / 2
      (a, b) = (centre - minimumSpan / 2, centre + minimumSpan / 2)
    }
    let pad = (b - a) * padding
    let (lower, upper) = (a - pad, b + pad)
    let decades = upper - lower
    // At most about eight labelled powers of ten; with more, label every k-th one.
    let every = Swift.max(1, Int((decades / 8).rounded(.up)))
    var ticks: [Tick] = []
    for k in Int(lower.rounded(.down))...Int(upper.rounded(.up)) {
      for m in 1...9 {
        let value = Double(m) * pow(10, Double(k))
        let position = log10(value)
        guard position >= lower - 1e-9, position <= upper + 1e-9 else { continue }
        if m == 1 {
          let labelled = k % every == 0
          ticks.append(Tick(value: value, label: labelled ? logLabel(m, k) : "", isMajor: labelled))
        } else if decades <= 6 {
          ticks.append(Tick(value: value, label: "", isMajor: false))
        }
      }
    }
    // Few powers of ten in view: label the 2× and 5× ticks too, and every tick when even
    // that leaves fewer than three labels.
    for chosen in [Set([2, 5]), Set(2...9)] where ticks.filter({ !$0.label.isEmpty }).count < 3 {
      ticks = ticks.map { tick in
        var tick = tick
        let k = Int(log10(tick.value).rounded(.down))
        let m = Int((tick.value / pow(10, Double(k))).rounded())
        if tick.label.isEmpty, chosen.contains(m) { tick.label = logLabel(m, k) }
        return tick
      }
    }
    return AxisScale(lower: lower, upper: upper, isLog: true, ticks: ticks)
  }
}

/// The "nice" number near `x`: 1, 2, 5 or 10 times a power of ten (Heckbert's rule);
/// `round` picks the nearest, otherwise the next one up.
func niceNumber(_ x: Double, round: Bool) -> Double {
  guard x > 0, x.isFinite else { return 1 }
  let exponent = log10(x).rounded(.down)
  let fraction = x / pow(10, exponent)
  let nice: Double =
    round
    ? (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10)
    : (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10)
  return nice * pow(10, exponent)
}

/// A linear tick's label with as many decimals as the step needs; scientific notation for
/// very large or very small steps.
func linearLabel(_ value: Double, step: Double) -> String {
  let value = Swift.abs(value) < step * 1e-9 ? 0 : value  // -0 and rounding dust print as 0
  let stepExponent = Int(log10(step).rounded(.down))
  if stepExponent < -3 || stepExponent > 5 {
    let exponent = value == 0 ? stepExponent : Int(log10(Swift.abs(value)).rounded(.down))
    let decimals = Swift.max(0, exponent - stepExponent)
    return cleanExponent(String(format: "%.\(decimals)e", value))
  }
  return String(format: "%.\(Swift.max(0, -stepExponent))f", value)
}

/// The label of m × 10^k on a log axis: plain digits from 0.001 to 10000, else `me-k`.
func logLabel(_ m: Int, _ k: Int) -> String {
  if (-3...4).contains(k) {
    return String(format: "%.\(Swift.max(0, -k))f", Double(m) * pow(10, Double(k)))
  }
  return "\(m)e\(k)"
}

/// `1.5e-05` → `1.5e-5`, `2e+06` → `2e6`.
private func cleanExponent(_ text: String) -> String {
  guard let e = text.firstIndex(of: "e") else { return text }
  let mantissa = text[..<e]
  var exponent = String(text[text.index(after: e)...])
  let negative = exponent.hasPrefix("-")
  exponent = String(exponent.drop { $0 == "-" || $0 == "+" || $0 == "0" })
  return "\(mantissa)e\(negative ? "-" : "")\(exponent.isEmpty ? "0" : exponent)"
}
