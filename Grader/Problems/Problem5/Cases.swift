import Autograd
import Courseware
import GradeProtocol

/// The parameters of a two-layer network, as tensors the cases own (each side wraps them in
/// its own `MLP`, whose init marks them as requiring grad, so gradients land on these).
struct Network {
  let w1: Tensor
  let b1: Tensor
  let w2: Tensor
  let b2: Tensor

  /// W1, b1, W2, b2.
  var all: [Tensor] { [w1, b1, w2, b2] }
  /// Their names, in the same order.
  static let names = ["W1", "b1", "W2", "b2"]
}

/// Settings of a training run in a case.
struct RunSettings {
  var epochs: Int
  var learningRate: Double
  var weightDecay: Double
  var clip: Double?
  var cosine: Bool
}

/// The functions of problem 5 that cases call: the student's in the program, the reference's
/// (or a known mistake's) in the grader.
protocol API {
  func forward(_ network: Network, _ x: Tensor) -> Tensor
  func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor
  func regularizedLoss(_ network: Network, x: Tensor, y: Tensor, weightDecay: Double) -> Tensor
  func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double
  func trainingStep(
    _ network: Network, x: Tensor, y: Tensor, learningRate: Double, weightDecay: Double,
    clip: Double?
  ) -> (loss: Double, gradientNorm: Double)
  /// Trains with `trainMLP` (its initialisation and shuffles): the final parameters and the
  /// validation MSE per epoch (diagnostics only).
  func train(xTrain: Tensor, yTrain: Tensor, xVal: Tensor, yVal: Tensor, settings: RunSettings)
    -> (network: Network, valMSE: [Double])
  func report(seed: UInt64) -> Report
}

/// Problem 5's cases.
enum Cases {
  /// The cases that train a model: the known mistakes are not run on them (each would train
  /// again), since every mistake shows in a function's own case.
  static let training: Set<String> = ["p5.decay-effect", "p5.training"]

  /// A 2 → 8 → 1 network with nonzero biases (so that a penalty on them shows).
  static func network(_ g: inout Generator) -> Values {
    [
      "w1": .of(Tensor.randn([2, 8], dtype: .float64, generator: &g)),
      "b1": .of(0.5 * Tensor.randn([8], dtype: .float64, generator: &g)),
      "w2": .of(Tensor.randn([8, 1], dtype: .float64, generator: &g)),
      // Around −1, so that some outputs are negative (a ReLU on the output shows).
      "b2": .of(0.5 * Tensor.randn([1], dtype: .float64, generator: &g) - 1),
    ]
  }

  /// The network of the inputs, each parameter a fresh tensor that requires grad.
  static func network(_ i: CaseInputs) -> Network {
    Network(
      w1: i.tensor("w1").requireGrad(), b1: i.tensor("b1").requireGrad(),
      w2: i.tensor("w2").requireGrad(), b2: i.tensor("b2").requireGrad())
  }

  /// The gradients of the network's parameters, as dW1, db1, dW2, db2.
  static func gradients(_ network: Network, prefix: String = "d") -> Values {
    var out: Values = [:]
    for (name, p) in zip(Network.names, network.all) { out[prefix + name] = .of(p.grad) }
    return out
  }

  /// y = sin(2x₁) + 0.5·cos(3x₂) + 0.1·N(0, 1) on x ~ U(−2, 2)², as in `makeRegressionData`:
  /// 4000 training rows, 500 validation rows the program sees, 2000 held-out rows it never
  /// sees.
  static func regression(_ r: inout CaseRandom) -> Values {
    var g = r.generator
    func rows(_ n: Int) -> (Tensor, Tensor) {
      let x = 4 * Tensor.rand([n, 2], dtype: .float64, generator: &g) - 2
      let y =
        (2 * x[.all, 0..<1]).sin() + 0.5 * (3 * x[.all, 1..<2]).cos()
        + 0.1 * Tensor.randn([n, 1], dtype: .float64, generator: &g)
      return (x.to(.float32), y.to(.float32))
    }
    let train = rows(4000)
    let validation = rows(500)
    let held = rows(2000)
    r.generator = g
    return [
      "x": .of(train.0), "y": .of(train.1), "xVal": .of(validation.0), "yVal": .of(validation.1),
      "_xHeld": .of(held.0), "_yHeld": .of(held.1),
    ]
  }

  /// Trains on the case's data with `settings`.
  static func train(_ api: some API, _ i: CaseInputs, _ settings: RunSettings) -> (
    network: Network, valMSE: [Double]
  ) {
    api.train(
      xTrain: i.tensor("x"), yTrain: i.tensor("y"), xVal: i.tensor("xVal"), yVal: i.tensor("yVal"),
      settings: settings)
  }

  static func all(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p5.forward",
        inputs: { r in
          var values = network(&r.generator)
          values["x"] = r.normal([16, 2], scale: 2)
          // b2 at minus the median of h·W2, so half the outputs are negative (a ReLU on the
          // output shows) whatever the draw.
          let i = CaseInputs(values)
          let o = noGrad { (i.tensor("x").matmul(i.tensor("w1")) + i.tensor("b1")).relu() }
            .matmul(i.tensor("w2")).toArray().sorted()
          values["b2"] = .of(Tensor([-(o[7] + o[8]) / 2 + 0.01]))
          return values
        },
        run: { i in
          let net = network(i)
          let out = api.forward(net, i.tensor("x"))
          out.sum().backward()
          return gradients(net).merging(["out": .of(out)]) { a, _ in a }
        },
        judge: { c in
          let hint = "ŷ = relu(X·W1 + b1)·W2 + b2: relu on the hidden layer only."
          try c.matches("out", tolerance: Tolerances.float64, what: "the forward pass", hint: hint)
          for name in Network.names {
            try c.matches(
              "d" + name, tolerance: Tolerances.float64, what: "∂Σŷ/∂\(name)", hint: hint)
          }
          return .pass()
        }),
      CaseSpec(
        "p5.mse",
        inputs: { r in
          let n = r.integer(17...31)
          return ["prediction": r.normal([n, 1]), "target": r.normal([n, 1], scale: 2)]
        },
        run: { i in
          let prediction = i.tensor("prediction").requireGrad()
          let loss = api.meanSquaredError(prediction, i.tensor("target"))
          loss.backward()
          return ["loss": .of(loss), "grad": .of(prediction.grad)]
        },
        judge: { c in
          let hint = "MSE = mean((prediction − target)²), over every element."
          try c.matches("loss", tolerance: Tolerances.float64, what: "the MSE", hint: hint)
          try c.matches(
            "grad", tolerance: Tolerances.float64, what: "∂MSE/∂prediction", hint: hint)
          return .pass()
        }),
      CaseSpec(
        "p5.loss",
        inputs: { r in
          var values = network(&r.generator)
          values["x"] = r.normal([16, 2], scale: 2)
          values["y"] = r.normal([16, 1])
          values["decay"] = .number(Double(r.integer(1...10)) / 100)
          return values
        },
        run: { i in
          let net = network(i)
          let loss = api.regularizedLoss(
            net, x: i.tensor("x"), y: i.tensor("y"), weightDecay: i.number("decay"))
          loss.backward()
          return gradients(net).merging(["loss": .of(loss)]) { a, _ in a }
        },
        judge: { c in
          let hint = "L = MSE + λ(‖W1‖² + ‖W2‖²): the biases are not penalized."
          try c.matches("loss", tolerance: Tolerances.float64, what: "the loss", hint: hint)
          for name in Network.names {
            try c.matches(
              "d" + name, tolerance: Tolerances.float64, what: "∂L/∂\(name)", hint: hint)
          }
          return .pass()
        }),
      CaseSpec(
        "p5.clip",
        inputs: { r in
          var values = network(&r.generator)
          let maxNorm = 0.5 + 1.5 * r.generator.nextUniform()
          values["maxNorm"] = .number(maxNorm)
          let shapes = [[2, 8], [8], [8, 1], [1]]
          for (k, shape) in shapes.enumerated() {
            values["large\(k)"] = r.normal(shape, scale: 3)
            values["small\(k)"] = r.normal(shape, scale: 0.01)
            // Each tensor's norm 0.8·maxNorm: none needs clipping alone, all together do.
            let g = Tensor.randn(shape, dtype: .float64, generator: &r.generator)
            values["spread\(k)"] = .of(g / g.norm().item() * (0.8 * maxNorm))
          }
          return values
        },
        run: { i in
          var out: Values = [:]
          for set in ["large", "spread", "small"] {
            let net = network(i)
            for (k, p) in net.all.enumerated() { p.grad = i.tensor("\(set)\(k)") }
            let norm = api.clipGradNorm(net.all, maxNorm: i.number("maxNorm"))
            out["norm-" + set] = .number(norm)
            out.merge(gradients(net, prefix: set + "-")) { a, _ in a }
          }
          return out
        },
        judge: { c in
          // The clipped gradients may leave out the 1e-6 of maxNorm / (total + 1e-6): it
          // changes them by ~1e-6 relative. Anything else is a different clipping.
          let clipping = 1e-5
          let described = [
            "large": "gradients far above maxNorm",
            "spread": "gradients each below maxNorm whose "
              + "global norm is above it", "small": "gradients below maxNorm",
          ]
          let hint =
            "total = √(Σᵢ‖gᵢ‖²) over all parameters together (not each tensor clipped on its "
            + "own); if total > maxNorm scale every gradient by maxNorm / (total + 1e-6), "
            + "otherwise leave them. Return total."
          for set in ["large", "spread", "small"] {
            try c.matches(
              "norm-" + set, tolerance: Tolerances.float64,
              what: "the returned norm (\(described[set]!))",
              hint: "Return the global norm before clipping, √(Σᵢ‖gᵢ‖²).")
            for name in Network.names {
              try c.matches(
                "\(set)-\(name)", tolerance: clipping,
                what: "the clipped gradient of \(name) (\(described[set]!))", hint: hint)
            }
          }
          return .pass()
        }),
      CaseSpec(
        "p5.step",
        inputs: { r in
          var values = network(&r.generator)
          for k in ["1", "2"] {
            values["x" + k] = r.normal([24, 2], scale: 2)
            values["y" + k] = r.normal([24, 1], scale: 2)
          }
          values["lr"] = .number(Double(r.integer(5...20)) / 100)
          values["decay"] = .number(Double(r.integer(1...5)) / 100)
          return values
        },
        run: { i in
          // The first step clips (at 0.1, below these gradients' norm); the second does not.
          let net = network(i)
          var out: Values = [:]
          for (k, clip) in [("1", 0.1 as Double?), ("2", nil)] {
            let step = api.trainingStep(
              net, x: i.tensor("x" + k), y: i.tensor("y" + k), learningRate: i.number("lr"),
              weightDecay: i.number("decay"), clip: clip)
            out["loss" + k] = .number(step.loss)
            out["norm" + k] = .number(step.gradientNorm)
            for (name, p) in zip(Network.names, net.all) { out[name + "-" + k] = .of(p) }
          }
          return out.merging(gradients(net, prefix: "grad-")) { a, _ in a }
        },
        judge: { c in
          let hint =
            "The step: the regularized loss, backward, clip the gradients (global norm) when "
            + "clip is set, p −= lr · p.grad under noGrad for all four parameters, then zero "
            + "the gradients."
          let update = Tolerances.sameUpdate * 100
          try c.matches(
            "loss1", tolerance: Tolerances.float64, what: "the returned loss", hint: hint)
          try c.matches(
            "norm1", tolerance: Tolerances.float64,
            what: "the returned gradient norm (before clipping)", hint: hint)
          for name in Network.names {
            try c.matches(
              name + "-1", tolerance: update, what: "\(name) after a step clipped at 0.1",
              hint: hint)
          }
          try c.zeroGradients(Network.names.map { "grad-" + $0 })
          for name in Network.names {
            try c.matches(
              name + "-2", tolerance: update, what: "\(name) after a second step, not clipped",
              hint: hint)
          }
          try c.matches(
            "norm2", tolerance: Tolerances.float64,
            what: "the gradient norm returned without clipping", hint: hint)
          return .pass()
        }),
      CaseSpec(
        "p5.decay-effect",
        inputs: { r in regression(&r) },
        run: { i in
          var out: Values = [:]
          for (key, decay) in [("plain", 0.0), ("decayed", 0.01)] {
            let run = train(
              api, i,
              RunSettings(epochs: 10, learningRate: 0.1, weightDecay: decay, clip: 1, cosine: false)
            )
            out["w1-" + key] = .of(run.network.w1)
            out["w2-" + key] = .of(run.network.w2)
          }
          return out
        },
        judge: { c in
          // ‖W1‖² + ‖W2‖² of the returned weights, computed here.
          func squares(_ side: Values, _ key: String) throws -> Double {
            try ["w1-", "w2-"].map { prefix -> Double in
              guard case .tensor(_, _, let w)? = side[prefix + key] else {
                throw CheckFailure(.invalid("no trained weights were returned"))
              }
              return w.map { $0 * $0 }.reduce(0, +)
            }.reduce(0, +)
          }
          let plain = try squares(c.student, "plain")
          let decayed = try squares(c.student, "decayed")
          let reference = try squares(c.reference, "decayed")
          let measured = "‖W1‖² + ‖W2‖² = \(short(decayed)) with λ = 0.01, \(short(plain)) without"
          // The same 630 steps from the same initialisation: float32 rounding and another
          // correct form of each function move the result by well under 5%.
          let drift = 0.05
          guard plain.isFinite, decayed.isFinite, decayed < plain,
            Swift.abs(decayed - reference) <= drift * reference
          else {
            return .fail(
              "after 10 epochs, " + measured, measured: measured,
              expected: "≈ \(short(reference)) with λ = 0.01, and less than without",
              hint: "The penalty λ(‖W1‖² + ‖W2‖²) must be part of the loss that backward runs on.")
          }
          return .pass(measured: measured, expected: "≈ \(short(reference)) with λ = 0.01")
        }),
      CaseSpec(
        "p5.training",
        inputs: { r in regression(&r) },
        run: { i in
          let run = train(
            api, i,
            RunSettings(epochs: 100, learningRate: 0.2, weightDecay: 1e-4, clip: 1, cosine: true))
          var out: Values = ["valMSE": .numbers(run.valMSE)]
          for (name, p) in zip(Network.names, run.network.all) { out[name] = .of(p) }
          return out
        },
        judge: { c in
          // Judged on held-out rows the program never saw, from the returned parameters.
          let x = c.hidden.tensor("_xHeld").double()
          let y = c.hidden.tensor("_yHeld").double()
          func heldOut(_ side: Values) throws -> Double {
            var p: [Tensor] = []
            for name in Network.names {
              guard case .tensor(let shape, _, let data)? = side[name],
                data.count == shape.reduce(1, *)
              else { throw CheckFailure(.invalid("no trained \(name) was returned")) }
              p.append(Tensor(data, shape: shape))
            }
            guard p[0].shape.count == 2, p[0].shape[0] == 2, p[2].shape.count == 2,
              p[2].shape[0] == p[0].shape[1], p[1].count == p[0].shape[1], p[3].count == 1
            else { return .nan }
            return noGrad {
              let prediction = (x.matmul(p[0]) + p[1]).relu().matmul(p[2]) + p[3]
              return (prediction - y).pow(2).mean().item()
            }
          }
          let mine = try heldOut(c.student)
          let floor = c.threshold ?? 0.02
          let measured = "held-out MSE \(short(mine))"
          // Within the rubric's bound a network passes whatever the reference reaches, so the
          // reference trains only when the bound alone does not decide.
          if mine.isFinite, mine <= floor {
            return .pass(measured: measured, expected: "≤ \(short(floor))")
          }
          let theirs = try heldOut(c.reference)
          let bound = Swift.max(floor, 1.5 * theirs)
          guard mine.isFinite, mine <= bound else {
            return .fail(
              "after training, the held-out MSE is \(short(mine))", measured: measured,
              expected: "≤ \(short(bound))",
              hint: mine.isFinite
                ? "Check the training step: clip after backward and before the update, then "
                  + "zero the gradients."
                : "Training diverged: check that clipping scales all gradients by the global norm.")
          }
          return .pass(measured: measured, expected: "≤ \(short(bound))")
        }),
      .report { api.report(seed: $0) },
    ]
  }
}
