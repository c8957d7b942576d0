import Autograd
import Foundation
import Testing

// Reference values from an independent Python implementation of the algorithms documented in
// Core/Random.swift (SplitMix64 seeding, xoshiro256**, 53-bit uniforms, Box–Muller with
// u1 = 1 - uniform, cosine first then sine, rejection-sampled integers, Fisher–Yates).
// Regenerate with python3 (integers are unbounded, so every step is masked to 64 bits):
//
//   import math; M = 2**64 - 1
//   def gen(seed):
//     s, sm = [], seed
//     for _ in range(4):
//       sm = (sm + 0x9E3779B97F4A7C15) & M; z = sm
//       z = ((z ^ z >> 30) * 0xBF58476D1CE4E5B9) & M
//       z = ((z ^ z >> 27) * 0x94D049BB133111EB) & M; s.append(z ^ z >> 31)
//     rotl = lambda x, k: (x << k | x >> 64 - k) & M
//     def nxt():
//       r = rotl(s[1] * 5 & M, 7) * 9 & M; t = s[1] << 17 & M
//       s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
//       s[3] = rotl(s[3], 45); return r
//     return nxt
//   uni = lambda g: (g() >> 11) * 2.0**-53
//   def normals(g, n):
//     out = []
//     while len(out) < n:
//       u1 = 1 - uni(g); u2 = uni(g); r = math.sqrt(-2 * math.log(u1)); a = 2 * math.pi * u2
//       out += [r * math.cos(a), r * math.sin(a)]
//     return out[:n]
//   def nint(g, lo, hi):
//     n = hi - lo; th = (2**64 - n) % n
//     while (r := g()) < th: pass
//     return lo + r % n
//   def randperm(g, n):
//     v = list(range(n))
//     for i in range(n - 1, 0, -1): j = nint(g, 0, i + 1); v[i], v[j] = v[j], v[i]
//     return v
//   for seed in (0, 42):
//     g = gen(seed); print([hex(g()) for _ in range(8)])
//     g = gen(seed); print([repr(uni(g)) for _ in range(5)])
//     g = gen(seed); print([repr(x) for x in normals(g, 6)])
//     g = gen(seed); print(randperm(g, 10))
//     g = gen(seed); print([nint(g, 0, 10) for _ in range(8)])
//
// (Sanity check of the SplitMix64 part: its first output for seed 0 is 0xE220A8397B1DCDAF,
// the published value.)

/// What the Python reference printed for one seed.
struct RandomReference: Sendable, CustomStringConvertible {
  let seed: UInt64
  let raw: [UInt64]
  let uniforms: [Double]
  let normals: [Double]
  let randperm10: [Int]
  let randint0to10: [Int]

  var description: String { "seed \(seed)" }

  static let all: [RandomReference] = [
    RandomReference(
      seed: 0,
      raw: [
        0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0,
        0x6AA5_94F1_262D_2D2C, 0xBBA5_AD4A_1F84_2E59, 0xFFEF_8375_D9EB_CACA,
        0x6C16_0DEE_D2F5_4C98, 0x8920_AD64_8FC3_0A3F,
      ],
      uniforms: [
        0.6012629994179048, 0.7477740925472398, 0.10301998939503632, 0.4165890778296456,
        0.7329967790569901,
      ],
      normals: [
        -0.01896499060631051, -1.3559302271143727, -0.40372109705088766,
        0.23335097938940202, 1.6251100012755157, -0.0025686863690826036,
      ],
      randperm10: [4, 2, 1, 7, 5, 6, 3, 9, 8, 0],
      randint0to10: [0, 2, 8, 2, 7, 8, 4, 3]),
    RandomReference(
      seed: 42,
      raw: [
        0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
        0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64, 0xC50D_A531_0179_5238,
        0xB821_5485_5A65_DDB2, 0xD99A_2743_EBE6_0087,
      ],
      uniforms: [
        0.08386297105988216, 0.3789802506626686, 0.6800434110281394, 0.9246929453253876,
        0.9918039142821028,
      ],
      normals: [
        -0.303263064678738, 0.28846173882942383, 1.3438117634372806, -0.6879751798977497,
        0.3834617912676943, -3.0758989311988945,
      ],
      randperm10: [7, 3, 8, 9, 5, 6, 4, 1, 0, 2],
      randint0to10: [2, 2, 9, 3, 6, 4, 4, 7]),
  ]
}

/// Normals go through log, sqrt, cos and sin. sqrt is correctly rounded everywhere, but
/// glibc, Darwin's libm and CPython's math module only promise log/cos/sin to within about
/// one ulp, so the last bit may legitimately differ between platforms. 1e-15 relative is
/// about 4.5 ulps of a double: it allows that, and nothing more.
private let libmTolerance = 1e-15

private func relativeError(_ a: Double, _ b: Double) -> Double {
  a == b ? 0 : Swift.abs(a - b) / Swift.max(Swift.abs(a), Swift.abs(b))
}

@Suite struct RandomTests {}

extension RandomTests {
  @Suite struct Reference {
    @Test(arguments: RandomReference.all)
    func rawBitsMatchReference(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      let raw = (0..<ref.raw.count).map { _ in g.next() }
      #expect(raw == ref.raw)
    }

    /// (next() >> 11) * 2^-53 is exact in binary64 (a 53-bit integer times a power of two),
    /// so the uniforms must match bit for bit.
    @Test(arguments: RandomReference.all)
    func uniformsMatchReferenceExactly(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      let u = (0..<ref.uniforms.count).map { _ in g.nextUniform() }
      #expect(u == ref.uniforms)
    }

    @Test(arguments: RandomReference.all)
    func normalsMatchReference(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      for (i, expected) in ref.normals.enumerated() {
        let value = g.nextNormal()
        #expect(
          relativeError(value, expected) <= libmTolerance, "normal \(i): \(value) vs \(expected)")
      }
    }

    @Test(arguments: RandomReference.all)
    func randpermMatchesReference(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      let p = Tensor.randperm(10, generator: &g)
      #expect(p.dtype == .int64)
      #expect(p.shape == [10])
      #expect(p.toArray(Int.self) == ref.randperm10)
    }

    @Test(arguments: RandomReference.all)
    func randintMatchesReference(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      let r = Tensor.randint(0, 10, [8], generator: &g)
      #expect(r.dtype == .int64)
      #expect(r.shape == [8])
      #expect(r.toArray(Int.self) == ref.randint0to10)
      var h = Generator(seed: ref.seed)
      #expect((0..<8).map { _ in h.nextInt(0, 10) } == ref.randint0to10)
    }

    /// The tensor factories draw in row-major order from the same stream.
    @Test(arguments: RandomReference.all)
    func tensorFactoriesFollowTheStream(_ ref: RandomReference) {
      var g = Generator(seed: ref.seed)
      let u = Tensor.rand([5], dtype: .float64, generator: &g)
      #expect(u.dtype == .float64)
      #expect(u.toArray() == ref.uniforms)

      var h = Generator(seed: ref.seed)
      let n = Tensor.randn([2, 3], dtype: .float64, generator: &h)
      #expect(n.shape == [2, 3])
      let values = n.toArray()
      #expect(values.count == ref.normals.count)
      for (v, e) in zip(values, ref.normals) {
        #expect(relativeError(v, e) <= libmTolerance, "\(v) vs \(e)")
      }
    }
  }
}

extension RandomTests {
  @Suite struct Properties {
    @Test func sameSeedGivesSameTensor() {
      var a = Generator(seed: 1234)
      var b = Generator(seed: 1234)
      let x = Tensor.randn([4, 5], generator: &a)
      let y = Tensor.randn([4, 5], generator: &b)
      #expect(x.shape == y.shape)
      #expect(x.toArray() == y.toArray())
      // The generators stay in step afterwards.
      #expect(a.next() == b.next())
    }

    @Test func differentSeedsGiveDifferentTensors() {
      var a = Generator(seed: 1234)
      var b = Generator(seed: 1235)
      let x = Tensor.randn([4, 5], generator: &a).toArray()
      let y = Tensor.randn([4, 5], generator: &b).toArray()
      // Not merely "not all equal": no element should coincide.
      #expect(zip(x, y).allSatisfy { $0 != $1 })
    }

    @Test func successiveDrawsContinueTheStream() {
      var g = Generator(seed: 9)
      let first = Tensor.randn([3], dtype: .float64, generator: &g).toArray()
      let second = Tensor.randn([3], dtype: .float64, generator: &g).toArray()
      var h = Generator(seed: 9)
      let together = Tensor.randn([6], dtype: .float64, generator: &h).toArray()
      #expect(first + second == together)
      #expect(first != second)
    }

    /// 100,000 standard normals have mean with standard error 1/√n ≈ 0.0032 and standard
    /// deviation with standard error ≈ 1/√(2n) ≈ 0.0022. The bounds of 0.02 are 6.3 and 8.9
    /// standard errors: a correct generator fails them with probability below 1e-9 whatever
    /// the seed, while a wrong transform (uniforms, a missing √2, a sign bias) misses by far.
    @Test func randnHasStandardNormalMoments() {
      var g = Generator(seed: 2024)
      let x = Tensor.randn([100_000], dtype: .float64, generator: &g).toArray()
      let n = Double(x.count)
      let mean = x.reduce(0, +) / n
      let std = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
      #expect(Swift.abs(mean) < 0.02, "mean \(mean)")
      #expect(Swift.abs(std - 1) < 0.02, "std \(std)")
      // P(|Z| < 1) = 0.6827; its standard error over n samples is ≈ 0.0015.
      let inside = Double(x.filter { Swift.abs($0) < 1 }.count) / n
      #expect(Swift.abs(inside - 0.6827) < 0.01, "fraction within 1 sigma \(inside)")
      // Both signs of both halves of the Box–Muller pair are used.
      let evens = stride(from: 0, to: x.count, by: 2).map { x[$0] }
      let odds = stride(from: 1, to: x.count, by: 2).map { x[$0] }
      #expect(Swift.abs(evens.reduce(0, +) / (n / 2)) < 0.03)
      #expect(Swift.abs(odds.reduce(0, +) / (n / 2)) < 0.03)
    }

    @Test(arguments: [DType.float32, .float64])
    func randLiesInTheHalfOpenUnitInterval(_ dtype: DType) {
      var g = Generator(seed: 77)
      let u = Tensor.rand([100_000], dtype: dtype, generator: &g)
      #expect(u.dtype == dtype)
      let x = u.toArray()
      #expect(x.allSatisfy { $0 >= 0 && $0 < 1 })
      let mean = x.reduce(0, +) / Double(x.count)
      // Standard error 1/√(12n) ≈ 0.0009.
      #expect(Swift.abs(mean - 0.5) < 0.01, "mean \(mean)")
    }

    /// Float32 `rand` rounds a 53-bit double uniform to float32, and every double in
    /// [1 - 2^-25, 1) rounds to 1.0f. The Python reference shows that seed 10,309,825 draws
    /// 0.9999999983914025 second, so `rand([2])` in float32 contains 1.0. PyTorch (and this
    /// library's own documentation) promise [0, 1).
    @Test func float32RandNeverReturnsOne() {
      var g = Generator(seed: 10_309_825)
      _ = g.nextUniform()
      let second = g.nextUniform()
      #expect(second < 1 && Float(second) == 1, "precondition: the stream reaches 1 - 2^-25")
      var h = Generator(seed: 10_309_825)
      let u = Tensor.rand([2], generator: &h).toArray()
      #expect(u.allSatisfy { $0 >= 0 && $0 < 1 }, "float32 rand gave \(u)")
    }

    @Test func randintStaysWithinBoundsAndCoversThem() {
      var g = Generator(seed: 5)
      let r = Tensor.randint(-3, 4, [10_000], generator: &g).toArray(Int.self)
      #expect(r.allSatisfy { (-3..<4).contains($0) })
      #expect(Set(r) == Set(-3..<4))
      let single = Tensor.randint(5, 6, [10], generator: &g).toArray(Int.self)
      #expect(single == Array(repeating: 5, count: 10))
      // A range that is not a power of two and close to 2^63 exercises the rejection step.
      let big = (1 << 62) + 12_345
      let wide = Tensor.randint(0, big, [1000], generator: &g).toArray(Int.self)
      #expect(wide.allSatisfy { $0 >= 0 && $0 < big })
      #expect(wide.contains { $0 > big / 2 } && wide.contains { $0 < big / 2 })
    }

    @Test(arguments: [0, 1, 2, 7, 100])
    func randpermIsAPermutation(_ n: Int) {
      var g = Generator(seed: UInt64(n) + 3)
      let p = Tensor.randperm(n, generator: &g)
      #expect(p.dtype == .int64)
      #expect(p.shape == [n])
      #expect(p.toArray(Int.self).sorted() == Array(0..<n))
      if n >= 7 { #expect(p.toArray(Int.self) != Array(0..<n)) }
    }

    /// Both precisions draw the same float64 normals; float32 must be their rounding.
    @Test func float32AndFloat64RandnAgreeToFloat32Rounding() {
      var a = Generator(seed: 31)
      var b = Generator(seed: 31)
      let single = Tensor.randn([3, 7], dtype: .float32, generator: &a)
      let double = Tensor.randn([3, 7], dtype: .float64, generator: &b)
      #expect(single.dtype == .float32 && double.dtype == .float64)
      let rounded = double.toArray().map { Double(Float($0)) }
      #expect(single.toArray() == rounded)
      #expect(single.toArray() != double.toArray())
    }
  }
}

/// `manualSeed` resets a process-wide generator, so these tests run one at a time. No other
/// test in this target draws from the default generator.
extension RandomTests {
  @Suite(.serialized) struct DefaultGenerator {
    @Test(arguments: [0, 42, 987_654_321] as [UInt64])
    func manualSeedMatchesAnExplicitGenerator(_ seed: UInt64) {
      manualSeed(seed)
      let x = Tensor.randn([3, 4])
      var g = Generator(seed: seed)
      let y = Tensor.randn([3, 4], generator: &g)
      #expect(x.dtype == .float32)
      #expect(x.shape == [3, 4])
      #expect(x.toArray() == y.toArray())
    }

    @Test func manualSeedRestartsTheStream() {
      manualSeed(11)
      let a = Tensor.randn([5], dtype: .float64).toArray()
      let b = Tensor.randn([5], dtype: .float64).toArray()
      manualSeed(11)
      let c = Tensor.randn([10], dtype: .float64).toArray()
      #expect(a + b == c)
      #expect(a != b)
    }

    @Test func defaultFactoriesDrawFromTheSeededGenerator() {
      manualSeed(42)
      let u = Tensor.rand([5], dtype: .float64).toArray()
      #expect(u == RandomReference.all[1].uniforms)
      manualSeed(42)
      #expect(Tensor.randperm(10).toArray(Int.self) == RandomReference.all[1].randperm10)
      manualSeed(42)
      #expect(Tensor.randint(0, 10, [8]).toArray(Int.self) == RandomReference.all[1].randint0to10)
    }
  }
}
