import Autograd
import Foundation
import Testing

// exp, log and log1p of contiguous float32 tensors run as vectorized C loops (`CVectorMath`)
// with their own polynomials. Each result is compared with the exact value computed in Float64 by the C
// library, in units in the last place of the float32 result.

/// The largest error allowed, in ulps. The polynomials' worst case over 4.4 million floats,
/// uniform and by bit pattern, was 0.96 (exp), 0.81 (log) and 1.44 ulp (log1p, near
/// x = −9e−8); C's float32 functions, which these replace, are within 1 ulp.
private let maxULPs = 1.5

/// The error of `got` against `exact`, in ulps of the float32 nearest `exact`; 0 when both
/// are the same infinity or both NaN, infinite when only one is.
private func ulps(_ got: Float, _ exact: Double) -> Double {
  if exact.isNaN || got.isNaN { return exact.isNaN && got.isNaN ? 0 : .infinity }
  let nearest = Float(exact)
  if nearest.isInfinite || got.isInfinite { return got == nearest ? 0 : .infinity }
  let unit = Double(nearest == 0 ? Float.leastNonzeroMagnitude : nearest.ulp)
  return Swift.abs(Double(got) - exact) / unit
}

/// Floats drawn with a seeded generator: uniform in `range`, and by bit pattern over
/// `patterns` (every exponent equally likely).
private func samples(
  seed: UInt64, count: Int, range: ClosedRange<Double>, patterns: ClosedRange<UInt32>? = nil
) -> [Float] {
  var g = Generator(seed: seed)
  var values: [Float] = []
  for i in 0..<count {
    if let patterns, i % 2 == 1 {
      let span = Double(patterns.upperBound - patterns.lowerBound)
      values.append(Float(bitPattern: patterns.lowerBound + UInt32(g.nextUniform() * span)))
    } else {
      values.append(
        Float(range.lowerBound + g.nextUniform() * (range.upperBound - range.lowerBound)))
    }
  }
  return values
}

private func worst(
  _ inputs: [Float], _ op: (Tensor) -> Tensor, _ exact: (Double) -> Double
) -> (ulps: Double, at: Float) {
  let out = op(Tensor(inputs)).toArray(Float.self)
  var result = (ulps: 0.0, at: Float(0))
  for (x, y) in zip(inputs, out) {
    let error = ulps(y, exact(Double(x)))
    if !(error <= result.ulps) { result = (error, x) }
  }
  return result
}

@Suite struct VectorMathTests {
  /// Special values, the thresholds of overflow and underflow, and subnormals. 41 values, so
  /// the last ones go through the scalar remainder after the vector loop.
  static let edges: [Float] = [
    0, -0.0, .infinity, -.infinity, .nan, 1, -1, 2, 0.5, -0.5, 88.72283, 88.7229, 89, -87.33,
    -87.34, -103.97, -103.98, -104, -150, 1e-30, -1e-30, 1e-8, -1e-8, 0x1p-126, 0x1p-149,
    0x1.8p-140, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0.70710677, 0.7071068,
    1.4142135, -0.99999994, -1.0000001, -2, 3e38, 0x1p-148, 7, -7, 0x1p-24, -0x1p-24, 0x1p-25,
  ]

  @Test func expIsWithinTheBoundOnEveryRange() {
    let inputs = Self.edges + samples(seed: 1, count: 200_003, range: -104...89)
    let result = worst(inputs, { $0.exp() }, Foundation.exp)
    #expect(result.ulps <= maxULPs, "exp: \(result.ulps) ulp at \(result.at)")
  }

  @Test func logIsWithinTheBoundOnEveryExponent() {
    let inputs =
      Self.edges + samples(seed: 2, count: 200_003, range: 0.5...2, patterns: 0...0x7f7f_ffff)
    let result = worst(inputs, { $0.log() }, Foundation.log)
    #expect(result.ulps <= maxULPs, "log: \(result.ulps) ulp at \(result.at)")
  }

  @Test func log1pIsWithinTheBoundNearZeroAndFarFromIt() {
    let inputs =
      Self.edges + samples(seed: 3, count: 200_003, range: -1...1, patterns: 0...0x7f7f_ffff)
      + samples(seed: 4, count: 20_000, range: -1e-6...1e-6)
    let result = worst(inputs, { $0.log1p() }, Foundation.log1p)
    #expect(result.ulps <= maxULPs, "log1p: \(result.ulps) ulp at \(result.at)")
  }

  @Test func stridedTensorsGiveTheSameValuesAsContiguousOnes() {
    // A transposed view takes the element-by-element route; it must agree with the C loops.
    var g = Generator(seed: 5)
    let x = Tensor.randn([37, 11], generator: &g)
    let t = x.T
    #expect(!t.isContiguous)
    for op in [{ (a: Tensor) in a.exp() }, { $0.abs().log() }, { $0.abs().log1p() }] {
      let strided = op(t).toArray(Float.self)
      let contiguous = op(t.contiguous()).toArray(Float.self)
      for (a, b) in zip(strided, contiguous) {
        #expect(ulps(a, Double(b)) <= 2 * maxULPs)
      }
    }
  }

  /// `where` on contiguous float32 operands, each side a full tensor or one broadcast
  /// element, and every count up to 40 and one of 1003 (vector bodies and remainders of
  /// every width), against a choice made element by element. The chosen elements are
  /// copied, so the comparison is exact, NaN's bit pattern included.
  @Test func selectCopiesTheChosenSideForEveryStrideAndCount() {
    var g = Generator(seed: 6)
    for n in Array(0...40) + [1003] {
      let mask = Tensor.rand([n], generator: &g) .< 0.5
      let a = Tensor.randn([n], generator: &g)
      let b = Tensor.randn([n], generator: &g)
      let (one, other) = (Tensor(.nan, dtype: .float32), Tensor(-2.5, dtype: .float32))
      let flags = mask.toArray(Bool.self)
      for (x, y) in [(a, b), (a, other), (one, b), (one, other)] {
        func elements(_ t: Tensor) -> [Float] {
          t.count == 1 && n != 1
            ? [Float](repeating: t.toArray(Float.self)[0], count: n) : t.toArray(Float.self)
        }
        let (xs, ys) = (elements(x), elements(y))
        let got = Tensor.where(mask, x, y).toArray(Float.self)
        let expected = (0..<n).map { flags[$0] ? xs[$0] : ys[$0] }
        #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "n = \(n)")
      }
    }
  }

  /// A contiguous bool mask converted to float32 is 1 where true and 0 elsewhere.
  @Test func boolMasksBecomeOnesAndZeros() {
    var g = Generator(seed: 7)
    for n in [0, 1, 7, 8, 9, 31, 33, 1003] {
      let mask = Tensor.rand([n], generator: &g) .< 0.5
      let expected = mask.toArray(Bool.self).map { $0 ? Float(1) : 0 }
      #expect(mask.float().toArray(Float.self) == expected, "n = \(n)")
    }
  }
}
