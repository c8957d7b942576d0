// Problem 2: ridge linear regression with mini-batches and gradient accumulation.
//
// Fit ŷ = Xw + b with Loss = (1/N)‖Xw + b − y‖² + λ‖w‖², updating w and b by hand under
// noGrad, and simulate a batch of 2048 by accumulating the gradients of 4 micro-batches of 512.

import Autograd
import Courseware

/// A regression data set: inputs and targets, all that training may see.
public struct RidgeData {
  /// Inputs, [N, D].
  public let x: Tensor
  /// Targets, [N, 1].
  public let y: Tensor

  /// Wraps a data set.
  public init(x: Tensor, y: Tensor) {
    self.x = x
    self.y = y
  }
}

/// A regression problem y = X·w* + b* + noise: the data and the true parameters behind it,
/// which only evaluation uses.
public struct RidgeProblem {
  /// The data.
  public let data: RidgeData
  /// The true weights w*, [D, 1].
  public let trueW: Tensor
  /// The true bias b*, [1].
  public let trueB: Tensor
}

/// The problem: X ~ N(0, 1) of shape [n, d], w* ~ N(0, 1), b* ~ N(0, 1),
/// y = X·w* + b* + noise·N(0, 1).
public func makeRidgeProblem(
  n: Int = 10_000, d: Int = 50, noise: Double = 0.1, dtype: DType = .float32, seed: UInt64 = 0
) -> RidgeProblem {
  var g = Generator(seed: seed)
  let x = Tensor.randn([n, d], dtype: dtype, generator: &g)
  let trueW = Tensor.randn([d, 1], dtype: dtype, generator: &g)
  let trueB = Tensor.randn([1], dtype: dtype, generator: &g)
  let y = x.matmul(trueW) + trueB + noise * Tensor.randn([n, 1], dtype: dtype, generator: &g)
  return RidgeProblem(data: RidgeData(x: x, y: y), trueW: trueW, trueB: trueB)
}

/// The data of ``makeRidgeProblem(n:d:noise:dtype:seed:)`` alone.
public func makeRidgeData(
  n: Int = 10_000, d: Int = 50, noise: Double = 0.1, dtype: DType = .float32, seed: UInt64 = 0
) -> RidgeData {
  makeRidgeProblem(n: n, d: d, noise: noise, dtype: dtype, seed: seed).data
}

/// The ridge loss `(1/N)‖Xw + b − y‖² + λ‖w‖²`, where N is the number of rows of `x`.
/// The penalty covers `w` only, never the bias.
///
/// - Parameters:
///   - x: Inputs, [N, D].
///   - y: Targets, [N, 1].
///   - w: Weights, [D, 1].
///   - b: Bias, [1].
///   - lambda: The L2 strength λ.
/// - Returns: A 0-d tensor.
public func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor {
  // BEGIN SOLUTION: task 1, the ridge loss with λ on w only
  let residual = x.matmul(w) + b - y
  return (residual * residual).mean() + lambda * (w * w).sum()
  // END SOLUTION
}

/// The update rule: inside `noGrad`, `p -= learningRate * p.grad` for each parameter, then
/// its gradient is zeroed.
public func sgdUpdate(_ parameters: [Tensor], learningRate: Double) {
  // BEGIN SOLUTION: task 3, the update under noGrad with gradients zeroed
  noGrad {
    for p in parameters {
      guard let grad = p.grad else { continue }
      p -= learningRate * grad
    }
  }
  for p in parameters { p.zeroGrad() }
  // END SOLUTION
}

/// One update by gradient accumulation: for each micro-batch, backward of its loss divided
/// by the number of micro-batches (so the gradients add up to those of one large batch),
/// then one ``sgdUpdate(_:learningRate:)``.
///
/// - Returns: The loss of the combined batch (the mean of the micro-batch losses).
@discardableResult
public func accumulatedStep(
  microBatches: [(x: Tensor, y: Tensor)], w: Tensor, b: Tensor, lambda: Double,
  learningRate: Double
) -> Double {
  // BEGIN SOLUTION: task 2, gradient accumulation over micro-batches
  var total = 0.0
  let count = Double(microBatches.count)
  for batch in microBatches {
    let loss = ridgeLoss(x: batch.x, y: batch.y, w: w, b: b, lambda: lambda) / count
    loss.backward()
    total += loss.item()
  }
  sgdUpdate([w, b], learningRate: learningRate)
  return total
  // END SOLUTION
}

/// Splits the rows of `x` and `y`, taken in the order `order` gives, into consecutive
/// batches of `batchSize` rows; the last batch holds what is left.
public func miniBatches(x: Tensor, y: Tensor, order: Tensor, batchSize: Int) -> [(
  x: Tensor, y: Tensor
)] {
  // BEGIN SOLUTION: task 1, mini-batches of a shuffled epoch
  let n = order.shape[0]
  return stride(from: 0, to: n, by: batchSize).map { start in
    let rows = order[start..<Swift.min(start + batchSize, n)]
    return (x[rows], y[rows])
  }
  // END SOLUTION
}

/// Settings of one training run.
public struct RidgeConfig: Sendable {
  /// Passes over the data.
  public var epochs = 20
  /// Rows per micro-batch.
  public var batchSize = 512
  /// Micro-batches accumulated per update (1: no accumulation).
  public var accumulation = 4
  /// Learning rate.
  public var learningRate = 0.05
  /// L2 strength on w.
  public var lambda = 1e-3
  /// Seed of the shuffles.
  public var seed: UInt64 = 1
  /// Whether each epoch also records the loss, gradient norm and weight norm in the run's
  /// `TrainingLog`: one more forward and backward pass over the whole training set per
  /// epoch. The benchmarks turn it off to time the training alone.
  public var diagnostics = true

  /// The defaults of the problem.
  public init() {}
}

/// The outcome of a training run.
public struct RidgeRun {
  /// The learned weights.
  public let w: Tensor
  /// The learned bias.
  public let b: Tensor
  /// Loss, gradient norm and weight norm per epoch.
  public let log: TrainingLog

  /// ‖w − w*‖ against a problem's true weights.
  public func wError(_ problem: RidgeProblem) -> Double {
    noGrad { (w - problem.trueW).norm().item() }
  }
}

/// Trains w and b from zero with shuffled mini-batches and gradient accumulation.
public func trainRidge(_ data: RidgeData, config: RidgeConfig = RidgeConfig()) -> RidgeRun {
  let d = data.x.shape[1]
  let w = Tensor.zeros([d, 1], dtype: data.x.dtype, requiresGrad: true)
  let b = Tensor.zeros([1], dtype: data.x.dtype, requiresGrad: true)
  var shuffle = Generator(seed: config.seed)
  var log = TrainingLog(enabled: config.diagnostics)
  for _ in 0..<config.epochs {
    let order = Tensor.randperm(data.x.shape[0], generator: &shuffle)
    let batches = miniBatches(x: data.x, y: data.y, order: order, batchSize: config.batchSize)
    var epochLoss = 0.0
    var updates = 0
    for start in stride(from: 0, to: batches.count, by: config.accumulation) {
      let group = Array(batches[start..<Swift.min(start + config.accumulation, batches.count)])
      epochLoss += accumulatedStep(
        microBatches: group, w: w, b: b, lambda: config.lambda, learningRate: config.learningRate)
      updates += 1
    }
    log.record(epochLoss: epochLoss / Double(updates), parameters: [w, b]) {
      ridgeLoss(x: data.x, y: data.y, w: w, b: b, lambda: config.lambda)
    }
  }
  return RidgeRun(w: w, b: b, log: log)
}

// MARK: - The report (given code: `swift run course run 2` runs it on your functions)

/// Trains three ways for the same 20 epochs and compares them: 4 × 512 accumulated
/// micro-batches, true batches of 2048, and full-batch gradient descent on all N rows (one
/// update per epoch).
public func report(seed: UInt64 = 0) -> Report {
  let problem = makeRidgeProblem(seed: seed)
  let data = problem.data
  let rows = data.x.shape[0]
  let accumulated = trainRidge(data)
  var batchConfig = RidgeConfig()
  batchConfig.batchSize = 2048
  batchConfig.accumulation = 1
  let batch = trainRidge(data, config: batchConfig)
  var fullConfig = RidgeConfig()
  fullConfig.batchSize = rows
  fullConfig.accumulation = 1
  let full = trainRidge(data, config: fullConfig)
  let difference = noGrad { (accumulated.w - batch.w).norm().item() }
  // The largest gap between the two loss curves, relative to the loss: how far "the same
  // updates" are from identical in float32.
  let curveGap =
    zip(accumulated.log.loss, batch.log.loss).map { Swift.abs($0 - $1) / Swift.max($1, 1e-30) }
    .max() ?? .nan
  let updates = (rows + 2047) / 2048
  let runs: [(String, RidgeRun, Int)] = [
    ("4 × 512 accumulated", accumulated, updates), ("true batch of 2048", batch, updates),
    ("full batch (all \(rows) rows)", full, 1),
  ]
  var report = Report(problem: 2, title: "Ridge linear regression (manual gradient descent)")
  report.figures =
    [
      ("w_error", .number(accumulated.wError(problem))),
      ("full_batch_w_error", .number(batch.wError(problem))),
      ("full_gradient_descent_w_error", .number(full.wError(problem))),
      ("accumulated_vs_full_w_difference", .number(difference)),
      ("accumulated_vs_full_max_relative_loss_gap", .number(curveGap)),
      ("final_loss", .number(accumulated.log.loss.last ?? .nan)),
    ] + accumulated.log.jsonFields + [
      ("full_batch_loss_history", .numbers(batch.log.loss)),
      ("full_gradient_descent_loss_history", .numbers(full.log.loss)),
      (
        "runs",
        .array(
          runs.map { label, run, perEpoch in
            .object(
              [
                ("run", .string(label)), ("updates_per_epoch", .number(Double(perEpoch))),
                ("w_error", .number(run.wError(problem))),
              ] + run.log.jsonFields)
          })
      ),
    ]
  let accumulatedLoss = accumulated.log.loss.last ?? .nan
  let fullLoss = full.log.loss.last ?? .nan
  report.findings = [
    "After 20 epochs ‖w − w*‖ = \(formatFigure(accumulated.wError(problem))) with 4 × 512 "
      + "accumulated micro-batches and \(formatFigure(batch.wError(problem))) with true batches "
      + "of 2048.",
    "Accumulation and the true batch of 2048 make the same updates: their weights end "
      + "\(formatFigure(difference)) apart and their loss curves differ by at most "
      + "\(formatFigure(100 * curveGap))% (float32 rounding, and the last, shorter group of each "
      + "epoch), so in the loss chart the dashed curve lies on the solid one.",
    "Full-batch gradient descent on all \(rows) rows makes 1 update per epoch instead of "
      + "\(updates): after the same 20 epochs its loss is \(formatFigure(fullLoss)), "
      + "\(formatFigure(fullLoss / accumulatedLoss)) times the mini-batch runs' "
      + "\(formatFigure(accumulatedLoss)), and ‖w − w*‖ = \(formatFigure(full.wError(problem))). "
      + "Per pass over the data, smaller batches make more progress.",
    "‖w − w*‖ does not reach 0: the noise (σ = 0.1) and the penalty λ‖w‖² (λ = 1e-3), which "
      + "pulls w slightly towards 0, set its floor.",
  ]
  report.tables = [
    Table(
      title: "Three ways to take a gradient step (20 epochs, lr 0.05)",
      header: ["run", "updates/epoch", "final loss", "‖w − w*‖"],
      rows: runs.map { label, run, perEpoch in
        [
          label, "\(perEpoch)", formatFigure(run.log.loss.last ?? .nan),
          formatFigure(run.wError(problem)),
        ]
      })
  ]
  report.addTrainingLogs(
    runs.map { ($0.0, $0.1.log) }, lossLabel: "ridge loss (squared error + λ‖w‖²)",
    parameters: "w and b")
  return report
}
