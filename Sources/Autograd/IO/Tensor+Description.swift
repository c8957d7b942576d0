import Foundation

// Printing tensors the way PyTorch does, so that output looks familiar:
// tensor([[ 1.0000, -2.5000],
//         [ 0.0000,  3.0000]], requires_grad=True)

extension Tensor: CustomStringConvertible, CustomDebugStringConvertible {
  /// A PyTorch-style rendering of the values, with dtype, gradient function and
  /// requires-grad flag when they are not the defaults. Large tensors are summarised.
  public var description: String {
    let values = toArray()
    let summarize = count > 1000
    let format = Tensor.elementFormat(values, dtype: dtype)
    let width = values.map { format($0).count }.max() ?? 1
    let body = render(values, dim: 0, offset: 0, indent: 7, summarize: summarize) {
      let s = format($0)
      return String(repeating: " ", count: Swift.max(0, width - s.count)) + s
    }
    var suffixes: [String] = []
    if dtype != .float32 && dtype != .int64 && dtype != .bool || (count == 0 && dtype != .float32) {
      suffixes.append("dtype=\(dtype)")
    }
    if let gradFn {
      suffixes.append("gradFn=<\(gradFn.name)>")
    } else if _requiresGrad {
      suffixes.append("requiresGrad=true")
    }
    return "tensor(" + ([body] + suffixes).joined(separator: ", ") + ")"
  }

  /// The description with the shape and dtype spelled out.
  public var debugDescription: String {
    "Tensor(shape: \(describe(shape)), dtype: \(dtype)) " + description
  }

  private func render(
    _ values: [Double], dim: Int, offset: Int, indent: Int, summarize: Bool,
    _ format: (Double) -> String
  ) -> String {
    if rank == 0 { return format(values.first ?? 0) }
    let size = shape[dim]
    let inner = Shape.count(Array(shape[(dim + 1)...]))
    var shown = Array(0..<size)
    var elided = false
    if summarize && size > 6 {
      shown = [0, 1, 2, size - 3, size - 2, size - 1]
      elided = true
    }
    var parts: [String] = []
    for (n, i) in shown.enumerated() {
      if elided && n == 3 { parts.append(dim == rank - 1 ? " ..." : "...") }
      if dim == rank - 1 {
        parts.append(format(values[offset + i]))
      } else {
        parts.append(
          render(
            values, dim: dim + 1, offset: offset + i * inner, indent: indent + 1,
            summarize: summarize, format))
      }
    }
    if dim == rank - 1 { return "[" + parts.joined(separator: ", ") + "]" }
    let separator =
      "," + String(repeating: "\n", count: rank - dim - 1)
      + String(repeating: " ", count: indent + 1)
    return "[" + parts.joined(separator: separator) + "]"
  }

  /// Chooses fixed-point with 4 decimals, or scientific notation when magnitudes are very
  /// large or small, as PyTorch's printer does.
  private static func elementFormat(_ values: [Double], dtype: DType) -> (Double) -> String {
    switch dtype {
    case .bool: return { $0 != 0 ? "True" : "False" }
    case .int64: return { String(Int($0)) }
    case .float32, .float64:
      let finite = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
      let largest = finite.max() ?? 1
      let smallest = finite.min() ?? 1
      // PyTorch's rules: scientific when magnitudes are extreme or span more than 1000×;
      // whole numbers print as `1.`; otherwise four decimals.
      let scientific = largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1000
      let integral = values.allSatisfy { !$0.isFinite || $0 == $0.rounded() }
      return { v in
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if scientific { return String(format: "%.4e", v) }
        if integral { return String(format: "%.0f.", v) }
        return String(format: "%.4f", v)
      }
    }
  }
}
