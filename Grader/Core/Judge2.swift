import Autograd
import GradeProtocol
import Problem2Solution

/// Problem 2's cases, judged against `Problem2Solution`.
struct Judge2: ProblemJudge {
  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
  {
    let seed = request.seed
    switch request.id {
    case "p2.loss":
      let x = CaseInputs.matrix([32, 5], seed: seed).requireGrad()
      let y = CaseInputs.matrix([32, 1], seed: seed, salt: 1).requireGrad()
      let w = CaseInputs.matrix([5, 1], seed: seed, salt: 2).requireGrad()
      let b = CaseInputs.matrix([1], seed: seed, salt: 3).requireGrad()
      let loss = Problem2Solution.ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.01)
      loss.backward()
      let (_, data) = try Check.tensor(observation, "loss")
      let dataTerm = noGrad { (x.matmul(w) + b - y).pow(2).mean().item() }
      var hint = "Loss = mean((Xw + b − y)²) + λ‖w‖², with λ on w only."
      if let value = data.first {
        if Check.error([value], [dataTerm]) <= 1e-9 { hint = "The λ‖w‖² penalty is missing." }
        if Check.error([value], [loss.item() + 0.01 * b.item() * b.item()]) <= 1e-9 {
          hint = "The bias is penalized too: λ applies to w only."
        }
      }
      try Check.matches(
        observation, "loss", loss, tolerance: Tolerances.float64, what: "the loss", hint: hint)
      try Check.matches(
        observation, "dw", w.grad!, tolerance: Tolerances.float64, what: "∂L/∂w", hint: hint)
      try Check.matches(
        observation, "db", b.grad!, tolerance: Tolerances.float64, what: "∂L/∂b", hint: hint)
      try Check.matches(observation, "dx", x.grad!, tolerance: Tolerances.float64, what: "∂L/∂X")
      return .pass()
    case "p2.gradient-fd":
      for name in ["dw", "db"] {
        let (shape, numeric) = try Check.tensor(observation, "numeric-" + name)
        try Check.matches(
          observation, name, Tensor(numeric, shape: shape), tolerance: 1e-6,
          what: "autograd's \(name == "dw" ? "∂L/∂w" : "∂L/∂b") against finite differences",
          hint:
            "Build the loss from w and b with tensor operations only, so autograd sees every step.")
      }
      return .pass()
    case "p2.update":
      let w = CaseInputs.matrix([3, 1], seed: seed)
      let b = CaseInputs.matrix([1], seed: seed, salt: 1)
      let gw = CaseInputs.matrix([3, 1], seed: seed, salt: 2)
      let gb = CaseInputs.matrix([1], seed: seed, salt: 3)
      try Check.matches(
        observation, "w", w - 0.1 * gw, tolerance: Tolerances.sameUpdate,
        what: "w after the update",
        hint: "The update is p −= learningRate · p.grad, inside noGrad.")
      try Check.matches(
        observation, "b", b - 0.1 * gb, tolerance: Tolerances.sameUpdate, what: "b after the update"
      )
      for key in ["wGradAfter", "bGradAfter"] {
        if case .tensor(_, _, let g)? = observation.values[key], g.contains(where: { $0 != 0 }) {
          return .fail(
            "the gradients are not zero after the update",
            hint:
              "Gradients accumulate over backward calls and grow step after step: zero them after each update."
          )
        }
      }
      return .pass()
    case "p2.accumulation":
      let data = Problem2Solution.makeRidgeData(n: 2048, d: 10, dtype: .float64, seed: seed)
      let start = CaseInputs.matrix([10, 1], seed: seed, salt: 4)
      let w = start.clone().requireGrad()
      let b = Tensor([0.3] as [Double]).requireGrad()
      Problem2Solution.ridgeLoss(x: data.x, y: data.y, w: w, b: b, lambda: 1e-3).backward()
      Problem2Solution.sgdUpdate([w, b], learningRate: 0.05)
      let (_, observed) = try Check.tensor(observation, "w")
      let step = zip(observed, start.toArray()).map { $0 - $1 }
      let expectedStep = zip(w.toArray(), start.toArray()).map { $0 - $1 }
      var hint =
        "Divide each micro-batch loss by the number of micro-batches before backward, and update once."
      if Check.error(step, expectedStep.map { $0 * 4 }) <= 1e-6 {
        hint =
          "The update is 4× too large: each micro-batch loss must be divided by the number of micro-batches."
      }
      if Check.error(step, [Double](repeating: 0, count: step.count)) == 0 {
        hint = "w did not change: the update must run after the last micro-batch's backward."
      }
      try Check.matches(
        observation, "w", w, tolerance: Tolerances.sameUpdate,
        what: "w after one accumulated update", hint: hint)
      try Check.matches(
        observation, "b", b, tolerance: Tolerances.sameUpdate,
        what: "b after one accumulated update", hint: hint)
      if case .tensor(_, _, let grad)? = observation.values["wGradAfter"],
        grad.contains(where: { $0 != 0 })
      {
        return .fail(
          "w.grad is not zero after the update",
          hint: "Zero the gradients after each update (w.zeroGrad()).")
      }
      return .pass()
    case "p2.training":
      let data = Problem2Solution.makeRidgeData(seed: seed)
      let (shape, w) = try Check.tensor(observation, "w")
      guard shape == data.trueW.shape else {
        return .fail("w has shape \(shape) where \(data.trueW.shape) was expected")
      }
      try Check.finite(w, "w")
      let error = zip(w, data.trueW.toArray()).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        .squareRoot()
      let bound = rubric.threshold ?? 0.02
      guard error <= bound else {
        return .fail(
          "‖w − w*‖ = \(Check.short(error)) is above the bound", measured: Check.short(error),
          expected: "≤ \(Check.short(bound))",
          hint:
            "Check the update rule, the learning rate and that gradients are zeroed after each update."
        )
      }
      return .pass(
        measured: "‖w − w*‖ = \(Check.short(error))", expected: "≤ \(Check.short(bound))")
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown case \(request.id)"))
    }
  }
}
