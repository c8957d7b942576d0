// Exercise for Problem 5. Replace each `todo(...)` with your code: the doc comment
// above it says what the function must do. Keep the signatures: the grader calls them.
// (Generated from the reference solution by `swift run course assign`.)

// Problem 5: a two-layer MLP with manual parameters, weight decay and gradient-norm clipping.
//
// h = ReLU(X·W1 + b1), ŷ = h·W2 + b2, trained on y = sin(2x₁) + 0.5·cos(3x₂) + noise with
// L = MSE(ŷ, y) + λ(‖W1‖² + ‖W2‖²) and the global gradient norm clipped to 1.

import Autograd
import Courseware
import Foundation

/// The regression data: x ~ U(−2, 2)², y = sin(2x₁) + 0.5·cos(3x₂) + noise·N(0, 1); the
/// first `trainCount` rows for training, the rest for validation.
public func makeRegressionData(
  n: Int = 5000, trainCount: Int = 4000, noise: Double = 0.1, dtype: DType = .float32,
  seed: UInt64 = 0
) -> (xTrain: Tensor, yTrain: Tensor, xVal: Tensor, yVal: Tensor) {
  var g = Generator(seed: seed)
  let x = 4 * Tensor.rand([n, 2], dtype: dtype, generator: &g) - 2
  let y =
    (2 * x[.all, 0..<1]).sin() + 0.5 * (3 * x[.all, 1..<2]).cos()
    + noise * Tensor.randn([n, 1], dtype: dtype, generator: &g)
  return (x[0..<trainCount], y[0..<trainCount], x[trainCount...], y[trainCount...])
}

/// The network's parameters, all leaves that require grad.
public struct MLP {
  /// First-layer weights, [2, hidden].
  public let w1: Tensor
  /// First-layer bias, [hidden].
  public let b1: Tensor
  /// Second-layer weights, [hidden, 1].
  public let w2: Tensor
  /// Second-layer bias, [1].
  public let b2: Tensor

  /// Wraps parameters (each is marked as requiring grad).
  public init(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) {
    self.w1 = w1.requireGrad()
    self.b1 = b1.requireGrad()
    self.w2 = w2.requireGrad()
    self.b2 = b2.requireGrad()
  }

  /// Every parameter, in the order W1, b1, W2, b2.
  public var parameters: [Tensor] { [w1, b1, w2, b2] }

  /// W1 ~ N(0, 2/fan_in) (He initialisation, for the ReLU layer), W2 ~ N(0, 1/hidden),
  /// biases 0.
  public static func initialized(
    inputs: Int = 2, hidden: Int = 64, dtype: DType = .float32, seed: UInt64 = 1
  ) -> MLP {
    var g = Generator(seed: seed)
    let w1 =
      Tensor.randn([inputs, hidden], dtype: dtype, generator: &g)
      * (2 / Double(inputs)).squareRoot()
    let w2 =
      Tensor.randn([hidden, 1], dtype: dtype, generator: &g) * (1 / Double(hidden)).squareRoot()
    return MLP(
      w1: w1, b1: Tensor.zeros([hidden], dtype: dtype), w2: w2, b2: Tensor.zeros([1], dtype: dtype))
  }
}

/// The forward pass: `ReLU(x·W1 + b1)·W2 + b2`.
///
/// - Parameter x: Inputs, [N, 2].
/// - Returns: Predictions, [N, 1].
public func forward(_ mlp: MLP, _ x: Tensor) -> Tensor {
  todo("Problem 5, task 1: the forward pass")
}

/// The mean squared error `mean((prediction − target)²)`.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
  todo("Problem 5, task 1: mean squared error")
}

/// The training loss `MSE + λ(‖W1‖² + ‖W2‖²)`: weight decay on the weights only, never on
/// the biases.
public func regularizedLoss(_ mlp: MLP, x: Tensor, y: Tensor, weightDecay: Double) -> Tensor {
  todo("Problem 5, task 2: weight decay on W1 and W2")
}

/// Clips the gradients of `parameters` by their global norm: when
/// `total = √(Σ‖gᵢ‖²)` exceeds `maxNorm`, every gradient is scaled by
/// `maxNorm / (total + 1e-6)` in place, so their direction is kept; otherwise nothing changes.
///
/// - Returns: The global norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
  todo("Problem 5, task 2: global gradient-norm clipping")
}

/// Settings of one training run.
public struct MLPConfig: Sendable {
  /// Passes over the training rows.
  public var epochs = 100
  /// Rows per mini-batch.
  public var batchSize = 64
  /// Learning rate.
  public var learningRate = 0.1
  /// λ of the weight decay (0: none).
  public var weightDecay = 1e-4
  /// Maximum global gradient norm (`nil`: no clipping).
  public var clip: Double? = 1.0
  /// Decay the learning rate along a half cosine, from `learningRate` to 0 over the epochs.
  public var cosineSchedule = false
  /// Seed of the initialisation and the shuffles.
  public var seed: UInt64 = 1
  /// Whether each epoch also records the loss, gradient norm and weight norm in the run's
  /// `TrainingLog`: one more forward and backward pass over the whole training set per
  /// epoch. The benchmarks turn it off to time the training alone.
  public var diagnostics = true

  /// Creates a configuration. The defaults train at a constant lr 0.1.
  public init(
    epochs: Int = 100, batchSize: Int = 64, learningRate: Double = 0.1, weightDecay: Double = 1e-4,
    clip: Double? = 1.0, cosineSchedule: Bool = false, seed: UInt64 = 1
  ) {
    self.epochs = epochs
    self.cosineSchedule = cosineSchedule
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.clip = clip
    self.seed = seed
  }
}

/// The outcome of one training run.
public struct MLPRun {
  /// The settings used.
  public let config: MLPConfig
  /// The trained network.
  public let mlp: MLP
  /// Training MSE (without the penalty) after each epoch.
  public let trainMSE: [Double]
  /// Validation MSE after each epoch.
  public let valMSE: [Double]
  /// How many updates had their gradient clipped.
  public let clippedSteps: Int
  /// Loss, gradient norm (before clipping) and weight norm per epoch.
  public let log: TrainingLog
}

/// One training step on a mini-batch: the regularized loss, backward, global-norm clipping
/// of the gradients when `clip` is set, the update `p -= learningRate * p.grad` under
/// `noGrad`, then the gradients zeroed.
///
/// - Returns: The loss before the update and the global gradient norm before clipping.
@discardableResult
public func trainingStep(
  _ mlp: MLP, x: Tensor, y: Tensor, learningRate: Double, weightDecay: Double, clip: Double?
) -> (loss: Double, gradientNorm: Double) {
  todo("Problem 5, task 2: one training step with weight decay and clipping")
}

/// Trains the MLP with shuffled mini-batches, weight decay and optional clipping, and
/// tracks the training and validation MSE after every epoch.
public func trainMLP(
  xTrain: Tensor, yTrain: Tensor, xVal: Tensor, yVal: Tensor, config: MLPConfig
) -> MLPRun {
  let mlp = MLP.initialized(dtype: xTrain.dtype, seed: config.seed)
  var shuffle = Generator(seed: config.seed &+ 1)
  var train: [Double] = []
  var val: [Double] = []
  var clipped = 0
  var log = TrainingLog(enabled: config.diagnostics)
  let n = xTrain.shape[0]
  for epoch in 0..<config.epochs {
    let progress = Double(epoch) / Double(config.epochs)
    let learningRate =
      config.cosineSchedule
      ? config.learningRate * 0.5 * (1 + cos(Double.pi * progress)) : config.learningRate
    let order = Tensor.randperm(n, generator: &shuffle)
    var total = 0.0
    var steps = 0
    for start in stride(from: 0, to: n, by: config.batchSize) {
      let rows = order[start..<Swift.min(start + config.batchSize, n)]
      let step = trainingStep(
        mlp, x: xTrain[rows], y: yTrain[rows], learningRate: learningRate,
        weightDecay: config.weightDecay, clip: config.clip)
      total += step.loss
      steps += 1
      if let maxNorm = config.clip, step.gradientNorm > maxNorm { clipped += 1 }
    }
    log.record(epochLoss: total / Double(steps), parameters: mlp.parameters) {
      regularizedLoss(mlp, x: xTrain, y: yTrain, weightDecay: config.weightDecay)
    }
    noGrad {
      train.append(meanSquaredError(forward(mlp, xTrain), yTrain).item())
      val.append(meanSquaredError(forward(mlp, xVal), yVal).item())
    }
  }
  return MLPRun(
    config: config, mlp: mlp, trainMSE: train, valMSE: val, clippedSteps: clipped, log: log)
}

// MARK: - The report (given code: `swift run course run 5` runs it on your functions)

/// The peak learning rate of the report's main runs, decayed along a half cosine over 100
/// epochs. It is high enough that clipping matters: without clipping these runs diverge.
public let reportLearningRate = 0.2

/// A peak learning rate at which training without clipping still converges, but with
/// spikes: the comparison where clipping's smoothing shows rather than its rescue.
public let reportModerateLearningRate = 0.078

/// The largest epoch-to-epoch rise of a loss curve, as a ratio (1: it never rose), with the
/// epoch (1-based) where it happened, over the finite part of the curve.
public func largestRise(_ values: [Double]) -> (ratio: Double, epoch: Int) {
  let finite = Array(values.prefix { $0.isFinite })
  var best = (ratio: 1.0, epoch: 1)
  for e in finite.indices.dropFirst() where finite[e] / finite[e - 1] > best.ratio {
    best = (finite[e] / finite[e - 1], e + 1)
  }
  return best
}

/// The number of epochs whose loss rose by more than 10 % over the previous epoch's.
public func spikeCount(_ values: [Double]) -> Int {
  let finite = Array(values.prefix { $0.isFinite })
  return zip(finite.dropFirst(), finite).filter { $0 > 1.1 * $1 }.count
}

/// Trains five runs: with and without clipping at a moderate learning rate (where both
/// converge) and at a high one (where only clipping converges), and at the high one without
/// weight decay; and compares them.
public func report(seed: UInt64 = 0) -> Report {
  let data = makeRegressionData(seed: seed)
  let (high, moderate) = (reportLearningRate, reportModerateLearningRate)
  let configs = [
    MLPConfig(learningRate: high, weightDecay: 1e-4, clip: 1.0, cosineSchedule: true),
    MLPConfig(learningRate: high, weightDecay: 1e-4, clip: nil, cosineSchedule: true),
    MLPConfig(learningRate: moderate, weightDecay: 1e-4, clip: 1.0, cosineSchedule: true),
    MLPConfig(learningRate: moderate, weightDecay: 1e-4, clip: nil, cosineSchedule: true),
    MLPConfig(learningRate: high, weightDecay: 0, clip: 1.0, cosineSchedule: true),
  ]
  let runs = configs.map {
    trainMLP(xTrain: data.xTrain, yTrain: data.yTrain, xVal: data.xVal, yVal: data.yVal, config: $0)
  }
  func weightNorm(_ r: MLPRun) -> Double { globalNorm([r.mlp.w1, r.mlp.w2]) }
  var report = Report(problem: 5, title: "Two-layer MLP with weight decay and clipping")
  report.figures = [
    ("final_train_mse", .number(runs[0].trainMSE.last ?? .nan)),
    ("final_val_mse", .number(runs[0].valMSE.last ?? .nan)),
    ("learning_rate", .number(high)),
    ("moderate_learning_rate", .number(moderate)),
    (
      "runs",
      .array(
        runs.map { r in
          .object(
            [
              ("lr", .number(r.config.learningRate)),
              ("clip", r.config.clip.map { .number($0) } ?? .null),
              ("weight_decay", .number(r.config.weightDecay)),
              ("final_train_mse", .number(r.trainMSE.last ?? .nan)),
              ("final_val_mse", .number(r.valMSE.last ?? .nan)),
              (
                "diverged_at_epoch",
                Chart.divergence(r.trainMSE).map { .number(Double($0 + 1)) } ?? .null
              ),
              ("largest_train_mse_rise", .number(largestRise(r.trainMSE).ratio)),
              ("train_mse_spikes", .number(Double(spikeCount(r.trainMSE)))),
              ("clipped_steps", .number(Double(r.clippedSteps))),
              ("weight_norm", .number(weightNorm(r))),
              ("train_mse_history", .numbers(r.trainMSE)),
              ("val_mse_history", .numbers(r.valMSE)),
            ] + r.log.jsonFields)
        })
    ),
  ]
  let totalSteps = configs[0].epochs * ((data.xTrain.shape[0] + 63) / 64)
  report.tables = [
    Table(
      title: "Runs (cosine decay from the peak lr, \(configs[0].epochs) epochs, batches of 64)",
      header: ["run", "train MSE", "val MSE", "largest rise", "spikes", "‖W‖", "clipped steps"],
      rows: runs.map {
        let rise = largestRise($0.trainMSE)
        return [
          runName($0), formatFigure($0.trainMSE.last ?? .nan), formatFigure($0.valMSE.last ?? .nan),
          "×\(String(format: "%.2f", rise.ratio)) (epoch \(rise.epoch))",
          "\(spikeCount($0.trainMSE))",
          formatFigure(weightNorm($0)),
          $0.config.clip == nil ? "-" : "\($0.clippedSteps) of \(totalSteps)",
        ]
      })
  ]
  report.findings = findings(runs, totalSteps: totalSteps)
  report.charts = [
    Chart(
      name: "mse", title: "Validation MSE per epoch", xLabel: "epoch", yLabel: "validation MSE",
      logScale: true, series: runs.map { Series(label: runName($0), values: $0.valMSE) }),
    Chart(
      name: "train-val", title: "Train and validation MSE (\(runName(runs[0])))", xLabel: "epoch",
      yLabel: "MSE", logScale: true,
      series: [
        Series(label: "train", values: runs[0].trainMSE),
        Series(label: "validation", values: runs[0].valMSE),
      ]),
  ]
  report.addTrainingLogs(
    runs.map { (runName($0), $0.log) }, lossLabel: "MSE + λ(‖W1‖² + ‖W2‖²)",
    parameters: "W1, b1, W2, b2")
  return report
}

/// A run's name in tables and legends: its peak lr, clipping and weight decay.
private func runName(_ r: MLPRun) -> String {
  "lr \(r.config.learningRate), " + (r.config.clip.map { "clip \($0)" } ?? "no clipping")
    + (r.config.weightDecay == 0 ? ", no weight decay" : "")
}

/// Sentences describing what clipping and weight decay did in these runs, from the numbers.
private func findings(_ runs: [MLPRun], totalSteps: Int) -> [String] {
  let (clipped, unclipped, moderateClipped, moderateUnclipped, noDecay) = (
    runs[0], runs[1], runs[2], runs[3], runs[4]
  )
  let valBoth = clipped.valMSE.last ?? .nan
  func percent(_ r: MLPRun) -> String {
    formatFigure(100 * Double(r.clippedSteps) / Double(totalSteps)) + "%"
  }
  func rise(_ r: MLPRun) -> String {
    let (ratio, epoch) = largestRise(r.trainMSE)
    return "×\(String(format: "%.2f", ratio)) at epoch \(epoch)"
  }
  var out = [
    "With clipping and weight decay at lr \(reportLearningRate) the validation MSE ends at "
      + "\(formatFigure(valBoth)) (the noise alone gives 0.01)."
  ]
  if let epoch = Chart.divergence(unclipped.trainMSE) {
    out.append(
      "At lr \(reportLearningRate) without clipping, training diverged at epoch \(epoch + 1): a few "
        + "large mini-batch gradients threw the weights off and the loss became non-finite. With "
        + "clipping, \(clipped.clippedSteps) of \(totalSteps) steps (\(percent(clipped))) were clipped "
        + "and training converged.")
  } else {
    out.append(
      "At lr \(reportLearningRate) without clipping the validation MSE ends at "
        + "\(formatFigure(unclipped.valMSE.last ?? .nan)) against \(formatFigure(valBoth)) with it."
    )
  }
  let moderateNoClip = moderateUnclipped.valMSE.last ?? .nan
  let moderateClip = moderateClipped.valMSE.last ?? .nan
  let lr = reportModerateLearningRate
  if let epoch = Chart.divergence(moderateUnclipped.trainMSE) {
    out.append(
      "At lr \(lr) without clipping training diverged as well (epoch \(epoch + 1)); with clipping "
        + "its validation MSE ends at \(formatFigure(moderateClip)).")
  } else {
    let (noClipRise, clipRise) = (
      largestRise(moderateUnclipped.trainMSE).ratio, largestRise(moderateClipped.trainMSE).ratio
    )
    out.append(
      "At lr \(lr) training without clipping converges (validation MSE \(formatFigure(moderateNoClip))) "
        + "but spikes: its training MSE rose by more than 10 % in \(spikeCount(moderateUnclipped.trainMSE)) "
        + "epochs, the largest \(rise(moderateUnclipped)). With clipping the largest rise is "
        + "\(rise(moderateClipped))"
        + (clipRise < noClipRise ? ", smaller: a clipped step cannot jump far." : ".")
        + " But \(percent(moderateClipped)) of its steps were clipped to norm 1, so its steps are "
        + "shorter"
        + (moderateClip > moderateNoClip
          ? " and it learns more slowly: validation MSE \(formatFigure(moderateClip)) after 100 epochs."
          : "; its validation MSE ends at \(formatFigure(moderateClip))."))
  }
  out.append(
    "Weight decay (λ = 1e-4) shrinks the weights: ‖W‖ = \(formatFigure(globalNorm([clipped.mlp.w1, clipped.mlp.w2]))) "
      + "with it and \(formatFigure(globalNorm([noDecay.mlp.w1, noDecay.mlp.w2]))) without; the "
      + "validation MSE moves from \(formatFigure(noDecay.valMSE.last ?? .nan)) to "
      + "\(formatFigure(valBoth)).")
  return out
}
