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

  /// Float32 values with the special ones mixed in (NaN, ±inf, ±0), seeded.
  private static func values(_ n: Int, seed: UInt64) -> Tensor {
    var g = Generator(seed: seed)
    let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1, -1]
    let drawn = Tensor.randn([n], generator: &g).toArray(Float.self)
    return Tensor(drawn.enumerated().map { i, x in i % 5 == 4 ? specials[i % 7] : x })
  }

  /// The same operands as full tensors, one broadcast element (0-d, or expanded by zero
  /// strides) and a full tensor, for every count up to 40 and one of 1003.
  private static func operandPairs() -> [(Tensor, Tensor, [Float], [Float])] {
    var pairs: [(Tensor, Tensor, [Float], [Float])] = []
    for n in Array(1...40) + [1003] {
      let (a, b) = (values(n, seed: UInt64(n)), values(n, seed: UInt64(1000 + n)))
      let one = Tensor(-0.75, dtype: .float32)
      let expanded = Tensor(3, dtype: .float32).reshape([1]).expand([n])
      let (xa, xb) = (a.toArray(Float.self), b.toArray(Float.self))
      pairs += [
        (a, b, xa, xb), (a, one, xa, Array(repeating: -0.75, count: n)),
        (one, b, Array(repeating: -0.75, count: n), xb),
        (expanded, b, Array(repeating: 3, count: n), xb),
      ]
    }
    return pairs
  }

  /// Float32 `+ − × ÷` and the comparisons of contiguous and broadcast operands run as C
  /// loops; each result equals Swift's own Float arithmetic, bit for bit (IEEE operations,
  /// each rounded once), NaN and infinities included.
  @Test func arithmeticAndComparisonsEqualSwiftsFloatOperations() {
    for (a, b, xa, xb) in Self.operandPairs() {
      let arithmetic: [((Tensor, Tensor) -> Tensor, (Float, Float) -> Float)] = [
        ({ $0 + $1 }, { $0 + $1 }), ({ $0 - $1 }, { $0 - $1 }), ({ $0 * $1 }, { $0 * $1 }),
        ({ $0 / $1 }, { $0 / $1 }),
      ]
      for (op, f) in arithmetic {
        let got = op(a, b).toArray(Float.self).map(\.bitPattern)
        let expected = zip(xa, xb).map { f($0, $1) }
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) where !(e.isNaN && Float(bitPattern: g).isNaN) {
          #expect(g == e.bitPattern)
        }
      }
      let comparisons: [((Tensor, Tensor) -> Tensor, (Float, Float) -> Bool)] = [
        ({ $0 .< $1 }, { $0 < $1 }), ({ $0 .<= $1 }, { $0 <= $1 }), ({ $0 .> $1 }, { $0 > $1 }),
        ({ $0 .>= $1 }, { $0 >= $1 }), ({ $0 .== $1 }, { $0 == $1 }), ({ $0 .!= $1 }, { $0 != $1 }),
      ]
      for (op, f) in comparisons {
        #expect(op(a, b).toArray(Bool.self) == zip(xa, xb).map { f($0, $1) })
      }
    }
  }

  /// A tensor with a number, negation and relu, through the same loops: bit for bit Swift's.
  @Test func arithmeticWithANumberAndNegationEqualSwiftsFloatOperations() {
    for n in Array(1...40) + [1003] {
      let a = Self.values(n, seed: UInt64(2000 + n))
      let xa = a.toArray(Float.self)
      let cases: [(Tensor, [Float])] = [
        (a + 0.1, xa.map { $0 + Float(0.1) }), (0.1 - a, xa.map { Float(0.1) - $0 }),
        (a * 3, xa.map { $0 * 3 }), (2 / a, xa.map { 2 / $0 }), (a / 7, xa.map { $0 / 7 }),
        (-a, xa.map { -$0 }), (a.relu(), xa.map { $0 <= 0 ? 0 : $0 }),
      ]
      for (got, expected) in cases {
        let bits = got.toArray(Float.self).map(\.bitPattern)
        for (g, e) in zip(bits, expected) where !(e.isNaN && Float(bitPattern: g).isNaN) {
          #expect(g == e.bitPattern, "n = \(n)")
        }
      }
    }
  }

  /// Relu's float32 backward passes the gradient where the output is positive or NaN and 0
  /// elsewhere, exactly.
  @Test func reluGradientPassesWhereTheOutputIsPositiveOrNaN() {
    var g = Generator(seed: 8)
    for n in [1, 7, 8, 9, 33, 1003] {
      let xs = Self.values(n, seed: UInt64(3000 + n)).toArray(Float.self)
      let x = Tensor(xs, requiresGrad: true)
      let w = Tensor.randn([n], generator: &g)
      (x.relu() * w).sum().backward()
      let expected = zip(xs, w.toArray(Float.self)).map { x, w in x <= 0 ? 0 : w }
      #expect(x.grad!.toArray(Float.self) == expected, "n = \(n)")
    }
  }
}
