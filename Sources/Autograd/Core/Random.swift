import Foundation
import Synchronization

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same numbers on every run and every machine: the algorithm is
/// fixed here and does not depend on the platform's generator.
///
/// ```swift
/// var g = Generator(seed: 7)
/// let x = Tensor.randn([3, 4], generator: &g)
/// ```
public struct Generator: RandomNumberGenerator, Sendable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64
  /// A second normal deviate left over from the last Box–Muller pair.
  private var spareNormal: Double?

  /// Creates a generator whose stream is fixed by `seed`.
  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always)
  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform double in [0, 1) with 53 random bits.
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (Box–Muller).
  public mutating func nextNormal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1 - nextUniform()
    let u2 = nextUniform()
    let radius = (-2 * Foundation.log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = radius * Foundation.sin(angle)
    return radius * Foundation.cos(angle)
  }

  /// A uniform integer in `low..<high`.
  ///
  /// Uses rejection sampling on the raw bits (not the standard library's algorithm), so the
  /// stream does not change with the Swift version.
  public mutating func nextInt(_ low: Int, _ high: Int) -> Int {
    let range = UInt64(high - low)
    while true {
      let r = next()
      // The threshold, 2⁶⁴ mod range, is below range: any r ≥ range is accepted without
      // the division that finds it (the same draws as computing it every time).
      if r >= range || r >= (0 &- range) % range { return low + Int(r % range) }
    }
  }
}

/// The generator used by factories called without `generator:`. Guarded by a mutex so that
/// concurrent tasks never race on it; ``manualSeed(_:)`` resets it.
private let defaultGenerator = Mutex(Generator(seed: 0))

/// Resets the default generator, as `torch.manual_seed` does.
///
/// Factories such as `Tensor.randn` without an explicit `generator:` draw from it. Code
/// that must be reproducible under concurrency should pass its own ``Generator``.
public func manualSeed(_ seed: UInt64) {
  defaultGenerator.withLock { $0 = Generator(seed: seed) }
}

/// Runs `body` with exclusive access to the default generator.
func withDefaultGenerator<R>(_ body: (inout Generator) -> R) -> R {
  defaultGenerator.withLock { body(&$0) }
}
