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

  /// The parameters (W1, b1, W2, b2) of the 2→8→1 network problem 5's cases use.
  public static func network(seed: UInt64) -> (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    (
      matrix([2, 8], seed: seed, salt: 1), matrix([8], seed: seed, scale: 0.1, salt: 2),
      matrix([8, 1], seed: seed, scale: 0.3, salt: 3), matrix([1], seed: seed, scale: 0.1, salt: 4)
    )
  }

  /// Labels 0…classes−1 of length n drawn from the seed.
  public static func labels(_ n: Int, classes: Int, seed: UInt64) -> Tensor {
    var g = Generator(seed: seed &+ 17)
    return Tensor.randint(0, classes, [n], generator: &g)
  }
}

/// Central differences of a scalar function of some tensors, computed inside the student's
/// program so that the grader can compare them with the program's own autograd gradients.
public enum FiniteDifferences {
  /// `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h` for every element of every tensor in `inputs`
  /// (contiguous Float64 tensors, changed in place and restored).
  public static func gradients(of f: () -> Tensor, at inputs: [Tensor], step h: Double = 1e-6)
    -> [Tensor]
  {
    noGrad {
      inputs.map { x in
        let flat = x.detach().reshape([x.count])
        let values = (0..<x.count).map { i -> Double in
          let original = flat[i].item()
          flat[i] = Tensor(original + h, dtype: x.dtype)
          let up = f().item()
          flat[i] = Tensor(original - h, dtype: x.dtype)
          let down = f().item()
          flat[i] = Tensor(original, dtype: x.dtype)
          return (up - down) / (2 * h)
        }
        return Tensor(values, shape: x.shape)
      }
    }
  }
}
