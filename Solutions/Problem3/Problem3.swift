// Problem 3: binary logistic regression with a numerically stable sigmoid and BCE.
//
// Two 2-D Gaussian blobs, a linear model ŷ = σ(Xw + b), binary cross-entropy written by
// hand, and gradient descent at two learning rates, with and without L2.

import Autograd
import Courseware
import Foundation

/// Two Gaussian blobs of `n / 2` points each, centred at (−c, −c) (label 0) and (c, c)
/// (label 1) with c = `centre`, shuffled. Each coordinate's noise is N(0, 1) scaled by
/// `spread` (unit variance by default).
///
/// - Returns: Inputs [n, 2] and labels [n, 1] holding 0 or 1 in the inputs' type.
public func makeBlobs(
  n: Int = 3000, centre: Double = 2, spread: [Double] = [1, 1], dtype: DType = .float32,
  seed: UInt64 = 0
) -> (x: Tensor, y: Tensor) {
  var g = Generator(seed: seed)
  let half = n / 2
  let centres = Tensor([-centre, -centre, centre, centre], shape: [2, 2]).to(dtype)
  let labels = Tensor.cat([
    Tensor.zeros([half], dtype: .int64), Tensor.ones([n - half], dtype: .int64),
  ])
  var noise = Tensor.randn([n, 2], dtype: dtype, generator: &g)
  if spread != [1, 1] { noise = noise * Tensor(spread).to(dtype) }
  let x = centres[labels] + noise
  let order = Tensor.randperm(n, generator: &g)
  return (x[order], labels[order].to(dtype).unsqueeze(1))
}

/// The logistic sigmoid σ(z) = 1 / (1 + e^(−z)), computed so that no exponential overflows:
/// for z ≥ 0 as 1 / (1 + e^(−z)), for z < 0 as e^z / (1 + e^z). Finite, with finite
/// gradients, at z = ±1000, and its gradient is the exact σ(z)(1 − σ(z)) at every z,
/// z = 0 included (0.25 there).
public func stableSigmoid(_ z: Tensor) -> Tensor {
  // BEGIN SOLUTION: task 1, numerically stable sigmoid
  // Each branch exponentiates only a number ≤ 0: the other side of the cut is replaced by 0
  // before exp, so no inf is ever formed (an inf in the unused branch would turn its zero
  // gradient into 0·inf = NaN). Not e^(−|z|): |z| has gradient 0 at z = 0, which would make
  // dσ/dz 0 there instead of 0.25. `where` passes the gradient to the side it picks, so at
  // z = 0 it flows through the z ≥ 0 branch whole.
  let nonNegative = z .>= 0
  let above = Tensor.where(nonNegative, z, 0)
  let below = Tensor.where(nonNegative, 0, z)
  let e = below.exp()
  return Tensor.where(nonNegative, 1 / (1 + (-above).exp()), e / (1 + e))
  // END SOLUTION
}

/// Binary cross-entropy from probabilities: `−mean(y·log p + (1 − y)·log(1 − p))`.
///
/// Probabilities are clamped to [ε, 1 − ε] first (ε = 1e-7 in float32, 1e-12 in float64, so
/// that 1 − ε is below 1 in the tensor's type), so that p = 0 or 1 gives a large finite loss
/// rather than inf or NaN.
public func binaryCrossEntropy(probabilities p: Tensor, targets y: Tensor) -> Tensor {
  // BEGIN SOLUTION: task 2, binary cross-entropy by hand
  let epsilon = p.dtype == .float64 ? 1e-12 : 1e-7
  let q = p.clamp(min: epsilon, max: 1 - epsilon)
  return -(y * q.log() + (1 - y) * (1 - q).log()).mean()
  // END SOLUTION
}

/// Binary cross-entropy from logits z, stable for any z:
/// `mean(max(z, 0) − z·y + log(1 + e^(−|z|)))`, which equals the BCE of σ(z). Its gradient
/// with respect to z is the exact (σ(z) − y)/N at every z, z = 0 included.
public func binaryCrossEntropy(logits z: Tensor, targets y: Tensor) -> Tensor {
  // BEGIN SOLUTION: task 2, binary cross-entropy from logits without overflow
  // BCE(σ(z), y) = softplus(z) − z·y with softplus(z) = log(1 + e^z), written as
  // z + log1p(e^(−z)) for z ≥ 0 and log1p(e^z) for z < 0, so exp only sees numbers ≤ 0.
  // Not relu(z) + log1p(e^(−|z|)): relu and |z| both have gradient 0 at z = 0, which gives
  // −y there instead of σ(0) − y = 0.5 − y.
  let nonNegative = z .>= 0
  let above = Tensor.where(nonNegative, z, 0)
  let below = Tensor.where(nonNegative, 0, z)
  let softplus = Tensor.where(nonNegative, above + (-above).exp().log1p(), below.exp().log1p())
  return (softplus - z * y).mean()
  // END SOLUTION
}

/// The fraction of rows whose predicted class (logit > 0) equals the label.
public func accuracy(logits z: Tensor, targets y: Tensor) -> Double {
  // BEGIN SOLUTION: task 4, accuracy
  noGrad { ((z .> 0).to(y.dtype) .== y).float().mean().item() }
  // END SOLUTION
}

/// Settings of one training run: full-batch gradient descent from w = 0, b = 0.
public struct LogisticConfig: Sendable {
  /// Learning rate.
  public var learningRate = 0.1
  /// Number of full-batch steps.
  public var epochs = 200
  /// L2 strength on w (the bias is not penalised).
  public var l2 = 0.0
  /// Whether each epoch also records the loss, gradient norm and weight norm in the run's
  /// `TrainingLog`: one more forward and backward pass over the whole training set per
  /// epoch. The benchmarks turn it off to time the training alone.
  public var diagnostics = true

  /// Creates a configuration.
  public init(learningRate: Double = 0.1, epochs: Int = 200, l2: Double = 0) {
    self.learningRate = learningRate
    self.epochs = epochs
    self.l2 = l2
  }
}

/// The outcome of one training run.
public struct LogisticRun {
  /// The settings used.
  public let config: LogisticConfig
  /// The learned weights, [2, 1].
  public let w: Tensor
  /// The learned bias, [1].
  public let b: Tensor
  /// The accuracy after each epoch's update.
  public let accuracy: [Double]
  /// Loss, gradient norm and weight norm per epoch.
  public let log: TrainingLog
}

/// One full-batch gradient-descent step on BCE(logits) + l2·‖w‖²: backward, the update
/// `p -= learningRate * p.grad` under `noGrad`, then the gradients zeroed.
///
/// - Returns: The loss before the update.
@discardableResult
public func gradientStep(
  x: Tensor, y: Tensor, w: Tensor, b: Tensor, learningRate: Double, l2: Double
) -> Double {
  // BEGIN SOLUTION: task 3, one step of gradient descent (with L2 when asked)
  let loss = binaryCrossEntropy(logits: x.matmul(w) + b, targets: y) + l2 * (w * w).sum()
  loss.backward()
  noGrad {
    w -= learningRate * w.grad!
    b -= learningRate * b.grad!
  }
  w.zeroGrad()
  b.zeroGrad()
  return loss.item()
  // END SOLUTION
}

/// Trains the logistic model from w = 0, b = 0 by full-batch gradient descent and records
/// the accuracy every epoch.
public func trainLogistic(x: Tensor, y: Tensor, config: LogisticConfig) -> LogisticRun {
  let w = Tensor.zeros([x.shape[1], 1], dtype: x.dtype, requiresGrad: true)
  let b = Tensor.zeros([1], dtype: x.dtype, requiresGrad: true)
  var accuracies: [Double] = []
  var log = TrainingLog(enabled: config.diagnostics)
  for _ in 0..<config.epochs {
    let loss = gradientStep(
      x: x, y: y, w: w, b: b, learningRate: config.learningRate, l2: config.l2)
    log.record(epochLoss: loss, parameters: [w, b]) {
      binaryCrossEntropy(logits: x.matmul(w) + b, targets: y) + config.l2 * (w * w).sum()
    }
    accuracies.append(accuracy(logits: noGrad { x.matmul(w) + b }, targets: y))
  }
  return LogisticRun(config: config, w: w, b: b, accuracy: accuracies, log: log)
}

// MARK: - The report (given code: `swift run course run 3` runs it on your functions)

/// The report's data: overlapping blobs centred at ±(0.75, 0.75), stretched along x₁
/// (noise σ = 2) and narrow along x₂ (σ = 0.5). The classes overlap, so accuracy stays
/// below 100 % and the runs need many epochs; the features' different scales make gradient
/// descent slow at lr 0.1; and L2 visibly turns the boundary, since it pulls w towards the
/// direction of the mean difference (1, 1) rather than the best-separating direction.
public let reportBlobs = (centre: 0.75, spread: [2.0, 0.5])

/// The accuracy the report's "epochs to" column measures.
public let reportAccuracyThreshold = 0.9

/// The first epoch (1-based) whose accuracy reaches `level`, or nil when none does.
public func epochsToAccuracy(_ run: LogisticRun, _ level: Double) -> Int? {
  run.accuracy.firstIndex { $0 >= level }.map { $0 + 1 }
}

/// Trains at lr 0.1 and 1.0, each without and with L2, on overlapping blobs, and compares
/// accuracy, convergence and the decision boundaries.
public func report(seed: UInt64 = 0) -> Report {
  let (x, y) = makeBlobs(centre: reportBlobs.centre, spread: reportBlobs.spread, seed: seed)
  let configs = [
    LogisticConfig(learningRate: 0.1), LogisticConfig(learningRate: 1.0),
    LogisticConfig(learningRate: 0.1, l2: 0.05), LogisticConfig(learningRate: 1.0, l2: 0.05),
  ]
  let runs = configs.map { trainLogistic(x: x, y: y, config: $0) }
  // Training uses the logits form of BCE; the spec's form, BCE of σ(Xw + b), must agree.
  let finalLogits = noGrad { x.matmul(runs[0].w) + runs[0].b }
  let viaSigmoid = binaryCrossEntropy(probabilities: stableSigmoid(finalLogits), targets: y).item()
  let viaLogits = binaryCrossEntropy(logits: finalLogits, targets: y).item()
  func name(_ r: LogisticRun) -> String { "lr \(r.config.learningRate), L2 \(r.config.l2)" }
  func norm(_ t: Tensor) -> Double { noGrad { t.norm().item() } }
  // The boundary's normal w as an angle from the x₁ axis, in degrees.
  func angle(_ r: LogisticRun) -> Double {
    let w = r.w.toArray()
    return atan2(w[1], w[0]) * 180 / Double.pi
  }
  let threshold = reportAccuracyThreshold
  func epochsTo(_ r: LogisticRun) -> String {
    epochsToAccuracy(r, threshold).map(String.init) ?? "never"
  }
  var report = Report(problem: 3, title: "Logistic regression (binary) with stability")
  report.figures = [
    ("final_accuracy", .number(runs[0].accuracy.last ?? .nan)),
    ("final_bce_via_sigmoid", .number(viaSigmoid)),
    ("final_bce_via_logits", .number(viaLogits)),
    ("accuracy_threshold", .number(threshold)),
    (
      "runs",
      .array(
        runs.map { r in
          .object(
            [
              ("lr", .number(r.config.learningRate)), ("l2", .number(r.config.l2)),
              ("final_accuracy", .number(r.accuracy.last ?? .nan)),
              ("final_loss", .number(r.log.loss.last ?? .nan)),
              ("weight_norm", .number(norm(r.w))),
              ("boundary_normal_degrees", .number(angle(r))),
              (
                "epochs_to_threshold",
                epochsToAccuracy(r, threshold).map { .number(Double($0)) } ?? .null
              ),
              ("accuracy_history", .numbers(r.accuracy)),
            ] + r.log.jsonFields)
        })
    ),
  ]
  report.tables = [
    Table(
      title: "Runs (200 full-batch epochs, overlapping blobs)",
      header: [
        "run", "final accuracy", "final loss", "‖w‖", "normal angle",
        "epochs to \(Int(100 * threshold))%",
      ],
      rows: runs.map {
        [
          name($0), formatFigure($0.accuracy.last ?? .nan), formatFigure($0.log.loss.last ?? .nan),
          formatFigure(norm($0.w)), String(format: "%.1f°", angle($0)), epochsTo($0),
        ]
      })
  ]
  let (slow, fast, slowL2, fastL2) = (runs[0], runs[1], runs[2], runs[3])
  let percent = "\(Int(100 * threshold))%"
  report.findings = [
    "lr 1.0 reaches \(percent) accuracy in \(epochsTo(fast)) epochs, lr 0.1 in \(epochsTo(slow)). "
      + "After 200 epochs the loss is \(formatFigure(fast.log.loss.last!)) at lr 1.0 against "
      + "\(formatFigure(slow.log.loss.last!)) at lr 0.1: the small step has not yet converged along "
      + "x₂, the narrow direction, where the gradient is small.",
    "The blobs overlap, so no line separates them: final accuracy \(formatFigure(fast.accuracy.last!)) "
      + "at lr 1.0 and \(formatFigure(slow.accuracy.last!)) at lr 0.1.",
    "L2 (λ = 0.05) caps ‖w‖ at \(formatFigure(norm(fastL2.w))) (against \(formatFigure(norm(fast.w))) "
      + "without) and turns the boundary: its normal points at \(String(format: "%.1f°", angle(fastL2))) "
      + "instead of \(String(format: "%.1f°", angle(fast))), towards the 45° of the mean difference. "
      + "The loss rises to \(formatFigure(fastL2.log.loss.last!)) and accuracy falls to "
      + "\(formatFigure(fastL2.accuracy.last!)).",
    "With L2 both learning rates reach the same minimum (losses \(formatFigure(slowL2.log.loss.last!)) "
      + "and \(formatFigure(fastL2.log.loss.last!))): the penalty makes the loss strongly convex, so "
      + "even lr 0.1 converges within 200 epochs.",
    "BCE of σ(Xw + b) at the final weights is \(formatFigure(viaSigmoid)), and BCE from the "
      + "logits \(formatFigure(viaLogits)): the same loss; training uses the logits form, which "
      + "never takes the log of a probability that rounded to 0 or 1.",
  ]
  report.charts = [
    Chart(
      name: "accuracy", title: "Training accuracy per epoch", xLabel: "epoch",
      yLabel: "accuracy (fraction correct)",
      series: runs.map { Series(label: name($0), values: $0.accuracy) })
  ]
  report.addTrainingLogs(
    runs.map { (name($0), $0.log) }, lossLabel: "BCE + L2 penalty (nats)", parameters: "w and b")
  let xs = x.toRows()
  let ys = y.toArray()
  report.boundaries = [
    BoundaryPlot(
      name: "boundaries", title: "Decision boundaries w·x + b = 0 after 200 epochs",
      points: zip(xs, ys).map { ($0[0], $0[1], Int($1)) },
      boundaries: runs.map { r in
        let w = r.w.toArray()
        return (name(r), w[0], w[1], r.b.item())
      })
  ]
  return report
}
