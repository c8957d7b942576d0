import Autograd
import GradeProtocol
import Problem5Solution

/// Problem 5's cases, judged against `Problem5Solution`.
struct Judge5: ProblemJudge {
  private func network(_ seed: UInt64) -> MLP {
    let p = CaseInputs.network(seed: seed)
    return MLP(w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2)
  }

  private let names = ["W1", "b1", "W2", "b2"]

  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
  {
    let seed = request.seed
    switch request.id {
    case "p5.forward":
      let mlp = network(seed)
      let out = Problem5Solution.forward(mlp, CaseInputs.matrix([16, 2], seed: seed, scale: 2))
      out.sum().backward()
      let hint = "ŷ = relu(X·W1 + b1)·W2 + b2."
      try Check.matches(
        observation, "out", out, tolerance: Tolerances.float64, what: "the forward pass", hint: hint
      )
      for (name, p) in zip(names, mlp.parameters) {
        try Check.matches(
          observation, "d" + name, p.grad!, tolerance: Tolerances.float64, what: "∂ŷ/∂\(name)",
          hint: hint)
      }
      return .pass()
    case "p5.loss":
      let mlp = network(seed)
      let x = CaseInputs.matrix([16, 2], seed: seed, scale: 2)
      let y = CaseInputs.matrix([16, 1], seed: seed, salt: 5)
      let loss = Problem5Solution.regularizedLoss(mlp, x: x, y: y, weightDecay: 0.01)
      loss.backward()
      var hint = "L = MSE + λ(‖W1‖² + ‖W2‖²): the biases are not penalized."
      if let value = try? Check.tensor(observation, "loss").data.first {
        let biases = noGrad { (mlp.b1 * mlp.b1).sum().item() + (mlp.b2 * mlp.b2).sum().item() }
        if Check.error([value], [loss.item() + 0.01 * biases]) <= 1e-9 {
          hint = "The biases are penalized too: weight decay covers W1 and W2 only."
        }
        let mse = noGrad {
          Problem5Solution.meanSquaredError(Problem5Solution.forward(mlp, x), y).item()
        }
        if Check.error([value], [mse]) <= 1e-9 { hint = "The weight-decay term is missing." }
      }
      try Check.matches(
        observation, "loss", loss, tolerance: Tolerances.float64, what: "the loss", hint: hint)
      for (name, p) in zip(names, mlp.parameters) {
        try Check.matches(
          observation, "d" + name, p.grad!, tolerance: Tolerances.float64, what: "∂L/∂\(name)",
          hint: hint)
      }
      return .pass()
    case "p5.clip":
      for (label, scale) in [("large", 3.0), ("small", 0.01)] {
        let mlp = network(seed)
        for (i, p) in mlp.parameters.enumerated() {
          p.grad = CaseInputs.matrix(p.shape, seed: seed, scale: scale, salt: 10 + UInt64(i))
        }
        let norm = Problem5Solution.clipGradNorm(mlp.parameters, maxNorm: 1.0)
        let observed = try Check.numbers(observation, "norm-\(label)").first ?? .nan
        var clippedNorm = 0.0
        var perTensorOK = true
        for name in names {
          let (_, g) = try Check.tensor(observation, "\(label)-\(name)")
          let n = g.map { $0 * $0 }.reduce(0, +)
          clippedNorm += n
          perTensorOK = perTensorOK && n.squareRoot() <= 1 + 1e-9
        }
        clippedNorm = clippedNorm.squareRoot()
        let hint =
          perTensorOK && clippedNorm > 1 + 1e-6
          ? "Each tensor was clipped on its own: clip by the global norm over all parameters."
          : "total = √(Σ‖gᵢ‖²); if total > max, scale every gradient by max / (total + 1e-6)."
        guard Check.error([observed], [norm]) <= 1e-9 else {
          return .fail(
            "the returned norm (\(label) gradients) is \(Check.short(observed))",
            measured: Check.short(observed),
            expected: Check.short(norm), hint: "Return the global norm before clipping.")
        }
        for (name, p) in zip(names, mlp.parameters) {
          try Check.matches(
            observation, "\(label)-\(name)", p.grad!, tolerance: Tolerances.float64,
            what: "the clipped gradient of \(name) (\(label) gradients)", hint: hint)
        }
      }
      return .pass()
    case "p5.decay-effect":
      let plain = try Check.numbers(observation, "plain").first ?? .nan
      let decayed = try Check.numbers(observation, "decayed").first ?? .nan
      guard plain.isFinite, decayed.isFinite, decayed < plain else {
        return .fail(
          "‖W1‖² + ‖W2‖² is \(Check.short(decayed)) with weight decay and \(Check.short(plain)) without",
          expected: "smaller with weight decay",
          hint: "The penalty λ(‖W1‖² + ‖W2‖²) must be part of the loss that backward runs on.")
      }
      return .pass(measured: "\(Check.short(decayed)) with decay, \(Check.short(plain)) without")
    case "p5.training":
      let bound = rubric.threshold ?? 0.02
      let history = try Check.numbers(observation, "valMSE")
      let final = history.last ?? .nan
      guard final <= bound else {
        return .fail(
          "validation MSE is \(Check.short(final))", measured: Check.short(final),
          expected: "≤ \(Check.short(bound))",
          hint: final.isNaN
            ? "Training diverged: check that clipping scales all gradients by the global norm."
            : "Check the training step: clip after backward and before the update, then zero the gradients."
        )
      }
      return .pass(
        measured: "validation MSE \(Check.short(final))", expected: "≤ \(Check.short(bound))")
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown case \(request.id)"))
    }
  }
}
