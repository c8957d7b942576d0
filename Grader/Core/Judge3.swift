import Autograd
import GradeProtocol
import Problem3Solution

/// Problem 3's cases, judged against `Problem3Solution`.
struct Judge3: ProblemJudge {
  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
  {
    let seed = request.seed
    switch request.id {
    case "p3.sigmoid-extremes":
      let z = Tensor(CaseInputs.extremeLogits).requireGrad()
      let s = Problem3Solution.stableSigmoid(z)
      s.sum().backward()
      for (dtype, tolerance) in [("float32", Tolerances.float32), ("float64", Tolerances.float64)] {
        let (_, values) = try Check.tensor(observation, "sigmoid-\(dtype)")
        if let i = values.firstIndex(where: { !$0.isFinite }) {
          let at = CaseInputs.extremeLogits[i]
          return .fail(
            "σ(\(Int(at))) is \(values[i]) in \(dtype)", measured: "\(values[i])",
            expected: "a finite value",
            hint: at < 0
              ? "exp(−z) overflows for very negative z: use e^z / (1 + e^z) there (or e^(−|z|))."
              : "exp(z) overflows for large z: use 1 / (1 + e^(−z)) there.")
        }
        try Check.matches(
          observation, "sigmoid-\(dtype)", s, tolerance: tolerance, what: "σ(z) in \(dtype)")
        let (_, grads) = try Check.tensor(observation, "grad-\(dtype)")
        if let i = grads.firstIndex(where: { !$0.isFinite }) {
          return .fail(
            "dσ/dz at z = \(Int(CaseInputs.extremeLogits[i])) is \(grads[i]) in \(dtype)",
            hint: "The formula overflows inside (an inf divided by an inf): compute σ from "
              + "e^(−|z|), which never exceeds 1.")
        }
        try Check.matches(
          observation, "grad-\(dtype)", z.grad!, tolerance: tolerance, what: "dσ/dz in \(dtype)")
      }
      return .pass()
    case "p3.bce":
      let z = CaseInputs.matrix([20], seed: seed, scale: 4).requireGrad()
      let y = (CaseInputs.matrix([20], seed: seed, salt: 1) .> 0).to(.float64)
      let fromLogits = Problem3Solution.binaryCrossEntropy(logits: z, targets: y)
      fromLogits.backward()
      let p = (CaseInputs.matrix([20], seed: seed, salt: 2) * 0.4 + 0.5).clamp(min: 0.01, max: 0.99)
        .requireGrad()
      let fromProbabilities = Problem3Solution.binaryCrossEntropy(probabilities: p, targets: y)
      fromProbabilities.backward()
      let hint =
        "BCE = −mean(y·log p + (1 − y)·log(1 − p)); from logits: mean(max(z, 0) − z·y + log(1 + e^(−|z|)))."
      try Check.matches(
        observation, "logits", fromLogits, tolerance: Tolerances.float64, what: "BCE from logits",
        hint: hint)
      try Check.matches(
        observation, "dz", z.grad!, tolerance: Tolerances.float64, what: "∂BCE/∂z", hint: hint)
      try Check.matches(
        observation, "probabilities", fromProbabilities, tolerance: Tolerances.float64,
        what: "BCE from probabilities", hint: hint)
      try Check.matches(
        observation, "dp", p.grad!, tolerance: Tolerances.float64, what: "∂BCE/∂p", hint: hint)
      return .pass()
    case "p3.bce-extremes":
      let z = Tensor(CaseInputs.extremeLogits).requireGrad()
      let y = Tensor([0, 1, 0, 1, 0, 1, 0, 1, 0] as [Double])
      let loss = Problem3Solution.binaryCrossEntropy(logits: z, targets: y)
      loss.backward()
      let hint = "From logits: mean(max(z, 0) − z·y + log1p(e^(−|z|))) never overflows."
      let (_, value) = try Check.tensor(observation, "loss")
      try Check.finite(value, "BCE at logits ±1000")
      try Check.matches(
        observation, "loss", loss, tolerance: Tolerances.float64, what: "BCE at extreme logits",
        hint: hint)
      try Check.matches(
        observation, "dz", z.grad!, tolerance: Tolerances.float64,
        what: "∂BCE/∂z at extreme logits", hint: hint)
      return .pass()
    case "p3.l2":
      let plain = try Check.numbers(observation, "plain").first ?? .nan
      let decayed = try Check.numbers(observation, "decayed").first ?? .nan
      guard decayed.isFinite, plain.isFinite, decayed < plain else {
        return .fail(
          "‖w‖ is \(Check.short(decayed)) with L2 and \(Check.short(plain)) without",
          expected: "smaller with L2",
          hint: "Add l2·‖w‖² to the loss (a plus sign) before backward.")
      }
      return .pass(measured: "‖w‖ \(Check.short(decayed)) with L2, \(Check.short(plain)) without")
    case "p3.training":
      let bound = rubric.threshold ?? 0.99
      var measured: [String] = []
      for lr in [0.1, 1.0] {
        let history = try Check.numbers(observation, "accuracy-\(lr)")
        guard history.count == 200 else {
          return .fail(
            "\(history.count) accuracies were recorded over 200 epochs at lr \(lr)",
            hint: "Record the accuracy once per epoch.")
        }
        let final = history.last ?? .nan
        measured.append("lr \(lr): \(Check.short(final))")
        guard final >= bound else {
          return .fail(
            "final accuracy at lr \(lr) is \(Check.short(final))", measured: Check.short(final),
            expected: "≥ \(Check.short(bound))",
            hint: final.isNaN
              ? "The loss became NaN: check that the sigmoid and BCE are stable."
              : "Check the gradient step: p -= lr * p.grad inside noGrad, then zero the gradients.")
        }
      }
      return .pass(measured: measured.joined(separator: ", "), expected: "≥ \(Check.short(bound))")
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown case \(request.id)"))
    }
  }
}
