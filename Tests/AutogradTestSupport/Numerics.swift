import Autograd

/// Named tolerances. Each says what it allows for and why it is that size.
public enum Tolerance {
  /// Autograd against central finite differences in Float64: the truncation error of a
  /// central difference with h = 1e-6 is O(h²·f''') ≈ 1e-12 and its rounding error is
  /// O(u·|f|/h) ≈ 1e-10 for |f| ~ 1, so 1e-6 leaves four orders of magnitude of margin
  /// while still catching any wrong derivative rule.
  public static let finiteDifference = 1e-6
  /// Float64 results against PyTorch's Float64 results: only summation order differs,
  /// which moves results by a few ulps of the largest partial sum.
  public static let float64Reference = 1e-10
  /// Float32 results against a Float64 closed form: a few ulps of float32 (u ≈ 6e-8)
  /// accumulated over short sums.
  public static let float32 = 1e-5
  /// Float32 results against PyTorch's float32 results: both round each operation to
  /// float32 (u ≈ 6e-8), but libm, vectorised sums and float64 accumulation differ by a
  /// few ulps, compounded over a handful of operations.
  public static let float32Reference = 1e-5
}

/// ``mixedError(_:_:)`` that treats NaN as equal to NaN and an infinity as equal to the same
/// infinity (∞ when only one side is NaN or infinite): for checking where NaN and inf
/// propagate, not only finite values.
public func edgeAwareError(_ a: Double, _ b: Double) -> Double {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .infinity }
  if a.isInfinite || b.isInfinite { return a == b ? 0 : .infinity }
  return mixedError(a, b)
}

/// The largest ``edgeAwareError(_:_:)`` between corresponding elements (∞ if the counts
/// differ).
public func maxEdgeAwareError(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).map { edgeAwareError($0, $1) }.max() ?? 0
}

/// `|a − b| / max(1, |a|, |b|)`: relative for large values, absolute below 1, so values
/// near zero do not turn rounding noise into huge relative errors.
public func mixedError(_ a: Double, _ b: Double) -> Double {
  if a == b { return 0 }
  if a.isNaN || b.isNaN { return .infinity }
  return Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
}

/// The largest ``mixedError(_:_:)`` between corresponding elements (∞ if the counts differ).
public func maxError(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).map { mixedError($0, $1) }.max() ?? 0
}

/// Whether two tensors have the same shape and elements within `tolerance`.
public func allClose(_ a: Tensor, _ b: Tensor, tolerance: Double) -> Bool {
  a.shape == b.shape && maxError(a.toArray(), b.toArray()) <= tolerance
}

/// Central finite differences of a scalar function with respect to every element of each
/// input, in Float64: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h.
///
/// Inputs are perturbed in place inside `noGrad` and restored afterwards.
public func finiteDifferenceGradients(
  of f: ([Tensor]) -> Tensor, at inputs: [Tensor], step h: Double = 1e-6
) -> [[Double]] {
  noGrad {
    inputs.map { x in
      precondition(x.dtype == .float64, "finite differences run in Float64")
      let flat = x.reshape([x.count])
      return (0..<x.count).map { i in
        let original = flat[i].item()
        flat[i] = Tensor(original + h, dtype: .float64)
        let up = f(inputs).item()
        flat[i] = Tensor(original - h, dtype: .float64)
        let down = f(inputs).item()
        flat[i] = Tensor(original, dtype: .float64)
        return (up - down) / (2 * h)
      }
    }
  }
}

/// Autograd gradients of `sum(op(inputs) * weights)` (weights fixed, random) next to the
/// finite-difference gradients of the same scalar, for each input.
///
/// Weighting the output by a fixed random tensor checks every element of the Jacobian
/// product, not just the sum of the output.
public func gradientCheck(
  _ op: ([Tensor]) -> Tensor, inputs: [Tensor], seed: UInt64 = 7
) -> (autograd: [[Double]], numeric: [[Double]]) {
  let probe = noGrad { op(inputs) }
  var generator = Generator(seed: seed)
  let weights = Tensor.randn(probe.shape, dtype: .float64, generator: &generator)
  return withoutActuallyEscaping(op) { op in
    let scalar: ([Tensor]) -> Tensor = { (op($0).to(.float64) * weights).sum() }
    for x in inputs { x.grad = nil }
    scalar(inputs).backward()
    let analytic = inputs.map { $0.grad?.toArray() ?? Array(repeating: 0, count: $0.count) }
    let numeric = finiteDifferenceGradients(of: scalar, at: inputs)
    return (analytic, numeric)
  }
}

/// Seeded Float64 inputs that require grad, kept away from 0 by at least `margin` when asked
/// (for log, sqrt, division and kinks).
public func seededInput(
  _ shape: [Int], seed: UInt64, awayFromZero margin: Double? = nil, positive: Bool = false
) -> Tensor {
  var generator = Generator(seed: seed)
  var values = Tensor.randn(shape, dtype: .float64, generator: &generator).toArray()
  if let margin {
    values = values.map { v in (v < 0 ? -1 : 1) * (Swift.abs(v) + margin) }
  }
  if positive { values = values.map { Swift.abs($0) + (margin ?? 0.1) } }
  return Tensor(values, shape: shape, requiresGrad: true)
}

/// The matrix product `a · b` of two matrices by its definition, in Double: an independent
/// reference for the library's product routes (whatever their layout, both are read in
/// logical order).
public func matrixProductByLoops(_ a: Tensor, _ b: Tensor) -> [Double] {
  let (n, k, m) = (a.shape[0], a.shape[1], b.shape[1])
  let (x, y) = (a.toArray(), b.toArray())
  var out = [Double](repeating: 0, count: n * m)
  for i in 0..<n {
    for j in 0..<m {
      var s = 0.0
      for p in 0..<k { s += x[i * k + p] * y[p * m + j] }
      out[i * m + j] = s
    }
  }
  return out
}
