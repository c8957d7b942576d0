// Exercise for Problem 4. Replace each `todo(...)` with your code: the doc comment
// above it says what the function must do. Keep the signatures: the grader calls them.
// (Generated from the reference solution by `swift run course assign`.)

// Problem 4: a linear softmax classifier with cross-entropy, and a numerical gradient check.
//
// logits = XW + b, ŷ = softmax(logits), L = −(1/N) Σ log ŷ[i, yᵢ]; train with mini-batch
// gradient descent, then check autograd against central differences in Float64.

import Autograd
import Courseware

/// A classification data set: `classes` centres drawn as `spread`·N(0, 1) in ℝ^d, and n
/// points, each its class's centre plus N(0, 1) noise, with labels spread evenly over the
/// classes. The smaller `spread`, the more the classes overlap.
///
/// - Returns: Inputs [n, d] and int64 labels [n].
public func makeClusters(
  n: Int = 3000, classes: Int = 5, d: Int = 20, spread: Double = 3, dtype: DType = .float32,
  seed: UInt64 = 0
) -> (x: Tensor, labels: Tensor) {
  var g = Generator(seed: seed)
  let centres = spread * Tensor.randn([classes, d], dtype: dtype, generator: &g)
  let labels = Tensor((0..<n).map { $0 % classes })
  let order = Tensor.randperm(n, generator: &g)
  let shuffled = labels[order]
  return (centres[shuffled] + Tensor.randn([n, d], dtype: dtype, generator: &g), shuffled)
}

/// Softmax over each row, with the row's maximum subtracted before exponentiating so that
/// logits of 1000 do not overflow.
///
/// - Parameter logits: [N, C].
/// - Returns: [N, C], each row positive and summing to 1.
public func softmax(_ logits: Tensor) -> Tensor {
  todo("Problem 4, task 1: softmax with the max subtracted")
}

/// Cross-entropy `−(1/N) Σ log softmax(logits)[i, yᵢ]`, computed from the logits so that it
/// stays finite for logits of 1000 and keeps its relative accuracy when the loss is tiny.
///
/// - Parameters:
///   - logits: [N, C].
///   - labels: int64 class indices, [N].
/// - Returns: A 0-d tensor.
public func crossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
  todo("Problem 4, task 1: cross-entropy from logits")
}

/// The fraction of rows whose most probable class (under ``softmax(_:)``) is the label.
public func accuracy(logits: Tensor, labels: Tensor) -> Double {
  // Softmax keeps each row's order, so the predicted class is the largest logit's.
  noGrad { (logits.argmax(dim: 1) .== labels).float().mean().item() }
}

/// Central-difference gradient of `loss` with respect to every element of `parameter`:
/// `(L(θ + ε) − L(θ − ε)) / 2ε`, one element at a time, restoring θ afterwards.
///
/// `loss` is evaluated with the parameter changed in place (inside `noGrad`); run it in
/// Float64, where ε = 1e-6 leaves an error of about 1e-10. The parameter must be contiguous
/// (a tensor you created, not a transposed or sliced view).
///
/// - Returns: A tensor of the parameter's shape and type.
public func numericalGradient(
  of loss: () -> Tensor, parameter: Tensor, epsilon: Double = 1e-6
) -> Tensor {
  todo("Problem 4, task 3: the numerical gradient by central differences")
}

/// The largest relative difference `|a − n| / max(|a| + |n|, 1e-8)` between two gradients,
/// element by element. The floor keeps entries that are zero up to rounding (both below
/// about 1e-9) from dividing rounding noise by almost nothing.
public func maxRelativeError(_ analytic: Tensor, _ numeric: Tensor) -> Double {
  todo("Problem 4, task 3: relative error between two gradients")
}

/// Checks autograd's gradients of the cross-entropy with respect to W and b against
/// ``numericalGradient(of:parameter:epsilon:)``, in Float64.
///
/// - Returns: The largest relative error over every element of W and b.
public func gradientCheck(x: Tensor, labels: Tensor, w: Tensor, b: Tensor) -> Double {
  todo("Problem 4, task 3: the gradient check in Float64")
}

/// Settings of mini-batch training from W = 0, b = 0.
public struct SoftmaxConfig: Sendable {
  /// Passes over the data.
  public var epochs = 20
  /// Rows per mini-batch.
  public var batchSize = 128
  /// Learning rate.
  public var learningRate = 0.5
  /// Seed of the shuffles.
  public var seed: UInt64 = 1
  /// Whether each epoch also records the loss, gradient norm and weight norm in the run's
  /// `TrainingLog`: one more forward and backward pass over the whole training set per
  /// epoch. The benchmarks turn it off to time the training alone.
  public var diagnostics = true

  /// The defaults of the problem.
  public init() {}
}

/// The outcome of training.
public struct SoftmaxRun {
  /// The learned weights, [D, C].
  public let w: Tensor
  /// The learned bias, [C].
  public let b: Tensor
  /// Training accuracy after each epoch.
  public let accuracy: [Double]
  /// Loss, gradient norm and weight norm per epoch.
  public let log: TrainingLog
}

/// One mini-batch step: the cross-entropy of `x·w + b`, backward, the update
/// `p -= learningRate * p.grad` under `noGrad`, then the gradients zeroed.
///
/// - Returns: The mini-batch loss before the update.
@discardableResult
public func miniBatchStep(
  x: Tensor, labels: Tensor, w: Tensor, b: Tensor, learningRate: Double
) -> Double {
  todo("Problem 4, task 2: one mini-batch step")
}

/// Trains W and b from zero with shuffled mini-batches.
public func trainSoftmax(
  x: Tensor, labels: Tensor, classes: Int, config: SoftmaxConfig = SoftmaxConfig()
) -> SoftmaxRun {
  let w = Tensor.zeros([x.shape[1], classes], dtype: x.dtype, requiresGrad: true)
  let b = Tensor.zeros([classes], dtype: x.dtype, requiresGrad: true)
  var shuffle = Generator(seed: config.seed)
  var accuracies: [Double] = []
  var log = TrainingLog(enabled: config.diagnostics)
  let n = x.shape[0]
  for _ in 0..<config.epochs {
    let order = Tensor.randperm(n, generator: &shuffle)
    var total = 0.0
    var steps = 0
    for start in stride(from: 0, to: n, by: config.batchSize) {
      let rows = order[start..<Swift.min(start + config.batchSize, n)]
      total += miniBatchStep(
        x: x[rows], labels: labels[rows], w: w, b: b, learningRate: config.learningRate)
      steps += 1
    }
    log.record(epochLoss: total / Double(steps), parameters: [w, b]) {
      crossEntropy(logits: x.matmul(w) + b, labels: labels)
    }
    accuracies.append(accuracy(logits: noGrad { x.matmul(w) + b }, labels: labels))
  }
  return SoftmaxRun(w: w, b: b, accuracy: accuracies, log: log)
}

// MARK: - The report (given code: `swift run course run 4` runs it on your functions)

/// The report's data and settings: overlapping classes (centres 0.5·N(0, 1), so about a
/// fifth of the points lie nearer another class's centre) and a small learning rate, so
/// that the accuracy visibly rises over the epochs instead of being reached in one.
public let reportClusterSpread = 0.5

/// The report's learning rate (the problem's default is 0.5, which converges in one epoch).
public let reportLearningRate = 0.01

/// Trains on 3000 points of 5 overlapping classes, then checks the gradient on the first 64
/// rows.
public func report(seed: UInt64 = 0) -> Report {
  let (x, labels) = makeClusters(spread: reportClusterSpread, seed: seed)
  var config = SoftmaxConfig()
  config.learningRate = reportLearningRate
  let run = trainSoftmax(x: x, labels: labels, classes: 5, config: config)
  let rows = 0..<64
  let maxError = gradientCheck(x: x[rows], labels: labels[rows], w: run.w, b: run.b)
  let first = run.accuracy.first ?? .nan
  let last = run.accuracy.last ?? .nan
  let best = run.accuracy.max() ?? .nan
  // The first epoch within half a point of the best accuracy: where the curve flattens.
  let plateau = (run.accuracy.firstIndex { $0 >= best - 0.005 } ?? 0) + 1
  var report = Report(problem: 4, title: "Softmax classifier + gradient check")
  report.figures =
    [
      ("max_relative_error", .number(maxError)),
      ("train_accuracy", .number(last)),
      ("final_loss", .number(run.log.loss.last ?? .nan)),
      ("learning_rate", .number(reportLearningRate)),
      ("accuracy_history", .numbers(run.accuracy)),
    ] + run.log.jsonFields
  report.findings = [
    "Training accuracy rises from \(formatFigure(first)) after epoch 1 to \(formatFigure(last)) "
      + "after epoch \(run.accuracy.count) (within half a point of its best from epoch \(plateau)), "
      + "and the loss falls from \(formatFigure(run.log.loss.first ?? .nan)) to "
      + "\(formatFigure(run.log.loss.last ?? .nan)) (lr \(reportLearningRate), batches of 128).",
    "The classes overlap (centres drawn as \(reportClusterSpread)·N(0, 1) in 20 dimensions, noise "
      + "N(0, 1)), so about \(formatFigure(100 * (1 - last)))% of the points stay misclassified: "
      + "a linear classifier cannot do better than the nearest-centre rule here.",
    "Gradient check (Float64, first 64 rows, all \(run.w.count + run.b.count) parameters, "
      + "ε = 1e-6): the largest relative error between autograd and central differences is "
      + "\(formatFigure(maxError)), far below the 1e-3 threshold.",
  ]
  report.charts = [
    Chart(
      name: "accuracy", title: "Training accuracy per epoch", xLabel: "epoch",
      yLabel: "accuracy (fraction correct)",
      series: [Series(label: "training accuracy", values: run.accuracy)])
  ]
  report.addTrainingLogs(
    [("training run", run.log)], lossLabel: "cross-entropy (nats)", parameters: "W and b")
  return report
}
