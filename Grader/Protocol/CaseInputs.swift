import Autograd

/// The inputs of each case, made from the case's seed. The student's program and the grader
/// both call these, so they see the same data without sending tensors across.
public enum CaseInputs {
  /// A Float64 matrix N(0, 1)·scale + shift of `shape`.
  public static func matrix(
    _ shape: [Int], seed: UInt64, scale: Double = 1, shift: Double = 0, salt: UInt64 = 0
  ) -> Tensor {
    var g = Generator(seed: seed &+ salt &* 0x9E37_79B9)
    return Tensor.randn(shape, dtype: .float64, generator: &g) * scale + shift
  }

  /// Logits that straddle the extremes a stable sigmoid must survive, Float64.
  public static let extremeLogits: [Double] = [-1000, -88, -30, -1, 0, 1, 30, 88, 1000]

  /// Labels 0…classes−1 of length n drawn from the seed.
  public static func labels(_ n: Int, classes: Int, seed: UInt64) -> Tensor {
    var g = Generator(seed: seed &+ 17)
    return Tensor.randint(0, classes, [n], generator: &g)
  }
}
