// Exercise for Problem 1. Replace each `todo(...)` with your code: the doc comment
// above it says what the function must do. Keep the signatures: the grader calls them.
// (Generated from the reference solution by `swift run course assign`.)

// Problem 1: broadcasted standardization and all-pairs cosine similarity, with backward.
//
// Given X ∈ ℝ^(N×D), standardize its columns, compute the cosine similarity of every pair of
// rows, take the mean of the strictly upper-triangular entries as a loss, and check the
// gradient that backward leaves in X.grad.

import Autograd
import Courseware
import Foundation

/// Standardizes each column of `x`: subtracts the column mean and divides by the column's
/// unbiased standard deviation (as `torch.std`), using broadcasting, not loops.
///
/// - Parameter x: A matrix of shape [N, D].
/// - Returns: A matrix of shape [N, D] whose columns have mean 0 and unbiased std 1.
public func standardize(_ x: Tensor) -> Tensor {
  todo("Problem 1, task 1: column standardization by broadcasting")
}

/// The cosine similarity of every pair of rows: `S[i, j] = xᵢ·xⱼ / (‖xᵢ‖ ‖xⱼ‖)`.
///
/// Vectorized: one matrix product, no loops over rows.
///
/// - Parameter x: A matrix of shape [N, D] with no all-zero row.
/// - Returns: A symmetric [N, N] matrix with ones on its diagonal.
public func cosineSimilarity(_ x: Tensor) -> Tensor {
  todo("Problem 1, task 2: all-pairs cosine similarity without loops")
}

/// The mean of the entries strictly above the diagonal of a square matrix: the N(N − 1)/2
/// entries `S[i, j]` with `j > i`.
///
/// - Parameter s: A square matrix of shape [N, N], N ≥ 2.
/// - Returns: A 0-d tensor.
public func upperTriangularMean(_ s: Tensor) -> Tensor {
  todo("Problem 1, task 3: mean of the strictly upper-triangular entries")
}

/// The loss of task 3: standardize, cosine similarity, then the upper-triangular mean.
public func similarityLoss(_ x: Tensor) -> Tensor {
  upperTriangularMean(cosineSimilarity(standardize(x)))
}

/// What task 3's checks found about `X.grad` after backward.
public struct GradientCheck: Sendable, Equatable {
  /// Whether `X.grad` exists.
  public var exists: Bool
  /// The shape of `X.grad` (empty when it does not exist).
  public var shape: [Int]
  /// Whether every element of `X.grad` is zero.
  public var allZero: Bool
  /// The smallest, largest and mean element of `X.grad` (0 when it does not exist).
  public var min: Double
  /// The largest element.
  public var max: Double
  /// The mean element.
  public var mean: Double

  /// Creates a check result.
  public init(exists: Bool, shape: [Int], allZero: Bool, min: Double, max: Double, mean: Double) {
    self.exists = exists
    self.shape = shape
    self.allZero = allZero
    self.min = min
    self.max = max
    self.mean = mean
  }
}

/// Runs backward through ``similarityLoss(_:)`` from `x` (a leaf that requires grad) and
/// reports what `x.grad` holds: whether it exists, its shape, whether it is all zeros, and
/// its min, max and mean. Any gradient left from before is cleared first.
public func backwardAndCheck(_ x: Tensor) -> GradientCheck {
  todo("Problem 1, task 3: backward and the checks on X.grad")
}

// MARK: - The report (given code: `swift run course run 1` runs it on your functions)

/// Why no GPU time is measured, and what measuring one would take; the report's finding and
/// the guide say the same.
public let gpuExplanation =
  "GPU time: none measured. This build of Autograd has no CUDA backend (CPU only), so a tensor "
  + "cannot be placed on a CUDA device (Device.cuda.isAvailable is false) and there is nothing "
  + "to time. Measuring one would need an NVIDIA GPU with its driver and the CUDA toolkit "
  + "(cuBLAS), and a CUDA backend in Autograd: device memory for Storage, kernels for the "
  + "elementwise ops and reductions, cuBLAS for the products, and a synchronisation before "
  + "the clock stops, since GPU launches return before the work is done."

/// Runs the problem end to end on X ~ N(0, 1) of shape [n, d] in float32: forward and
/// backward timed on the CPU, the GPU stated as unavailable when it is, and X.grad's
/// statistics. Its one "step" is logged like the other problems' epochs: the loss, the
/// gradient norm ‖X.grad‖ and the "weight" norm ‖X‖ (X is the only leaf).
public func report(seed: UInt64 = 0, n: Int = 4000, d: Int = 256) -> Report {
  var generator = Generator(seed: seed)
  let x = Tensor.randn([n, d], requiresGrad: true, generator: &generator)
  var best = Double.infinity
  var check = backwardAndCheck(x)
  for _ in 0..<3 {
    let start = Date()
    check = backwardAndCheck(x)
    best = Swift.min(best, Date().timeIntervalSince(start))
  }
  let loss = noGrad { similarityLoss(x).item() }
  let gradientNorm = x.grad.map { globalNorm([$0]) } ?? .nan
  let weightNorm = globalNorm([x])
  let gpu = Device.cuda
  var report = Report(problem: 1, title: "Broadcasted standardization + cosine similarity")
  report.figures = [
    ("n", .number(Double(n))), ("d", .number(Double(d))),
    ("cpu_seconds", .number(best)),
    ("gpu_seconds", .null),
    ("gpu_status", .string(gpu.unavailableReason.map { "not available: \($0)" } ?? "available")),
    ("grad_exists", .bool(check.exists)),
    ("grad_shape", .array(check.shape.map { .number(Double($0)) })),
    ("grad_all_zero", .bool(check.allZero)),
    ("grad_min", .number(check.min)), ("grad_max", .number(check.max)),
    ("grad_mean", .number(check.mean)),
    ("loss", .number(loss)), ("gradient_norm", .number(gradientNorm)),
    ("weight_norm", .number(weightNorm)),
    ("loss_history", .numbers([loss])), ("gradient_norm_history", .numbers([gradientNorm])),
    ("weight_norm_history", .numbers([weightNorm])),
  ]
  report.findings = [
    "Forward and backward on the CPU took \(formatFigure(best)) s (best of 3, float32).",
    gpu.isAvailable
      ? "A CUDA device is available, but this report times the CPU only." : gpuExplanation,
    "X.grad exists with shape \(check.shape), is \(check.allZero ? "" : "not ")all zeros, and its "
      + "entries are tiny (about ±\(formatFigure(Swift.max(Swift.abs(check.min), Swift.abs(check.max)))))"
      + ": each of the N(N − 1)/2 pairs contributes 1/(N(N − 1)/2) to the loss.",
    "The one step: loss \(formatFigure(loss)) (the mean cosine similarity of distinct rows, near 0 "
      + "for independent random rows), ‖X.grad‖ = \(formatFigure(gradientNorm)), ‖X‖ = "
      + "\(formatFigure(weightNorm)) (about √(N·D) = \(formatFigure(Double(n * d).squareRoot())) for "
      + "N(0, 1) entries).",
  ]
  report.tables = [
    Table(
      title: "The one step (there is no training loop)",
      header: ["step", "loss", "‖gradient‖", "‖X‖"],
      rows: [["1", formatFigure(loss), formatFigure(gradientNorm), formatFigure(weightNorm)]])
  ]
  return report
}
