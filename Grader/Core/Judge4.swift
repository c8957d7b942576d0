import Autograd
import Foundation
import GradeProtocol
import Problem4Solution

/// Problem 4's cases, judged against `Problem4Solution`.
struct Judge4: ProblemJudge {
  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
  {
    let seed = request.seed
    switch request.id {
    case "p4.softmax":
      let logits = CaseInputs.matrix([8, 5], seed: seed) + 1000
      let (shape, data) = try Check.tensor(observation, "out")
      guard shape == [8, 5] else {
        return .fail("softmax has shape \(shape) where [8, 5] was expected")
      }
      if data.contains(where: { !$0.isFinite }) {
        return .fail(
          "softmax of logits near 1000 is not finite", measured: "NaN or inf",
          hint: "Subtract each row's max logit before exponentiating.")
      }
      for row in 0..<8 {
        let sum = data[(row * 5)..<(row * 5 + 5)].reduce(0, +)
        if Swift.abs(sum - 1) > 1e-9 {
          return .fail(
            "row \(row) sums to \(Check.short(sum))", measured: Check.short(sum), expected: "1",
            hint: "Normalize each row by its own sum (sum over dim 1, keepDim: true).")
        }
      }
      try Check.matches(
        observation, "out", Problem4Solution.softmax(logits), tolerance: Tolerances.float64,
        what: "softmax")
      return .pass()
    case "p4.shift-invariance":
      let (shape, shifted) = try Check.tensor(observation, "shifted")
      try Check.finite(shifted, "softmax(z + 7)")
      try Check.matches(
        observation, "plain", Tensor(shifted, shape: shape), tolerance: 1e-12,
        what: "softmax(z) against softmax(z + 7)",
        hint: "Softmax of each row must not change when the same constant is added to the row.")
      return .pass()
    case "p4.cross-entropy":
      let logits = CaseInputs.matrix([16, 4], seed: seed, scale: 3).requireGrad()
      let labels = CaseInputs.labels(16, classes: 4, seed: seed)
      let loss = Problem4Solution.crossEntropy(logits: logits, labels: labels)
      loss.backward()
      let hint = "CE = mean over rows of (logsumexp(row) − row[label])."
      try Check.matches(
        observation, "loss", loss, tolerance: Tolerances.float64, what: "the cross-entropy",
        hint: hint)
      try Check.matches(
        observation, "grad", logits.grad!, tolerance: Tolerances.float64, what: "∂CE/∂logits",
        hint: hint)
      return .pass()
    case "p4.numerical-gradient":
      let theta = CaseInputs.matrix([3, 4], seed: seed)
      let exact = theta.toArray().map { 3 * $0 * $0 }
      let (shape, numeric) = try Check.tensor(observation, "numeric")
      guard shape == [3, 4] else {
        return .fail("the gradient has shape \(shape) where [3, 4] was expected")
      }
      try Check.finite(numeric, "the numerical gradient")
      let worst = zip(numeric, exact).map { Swift.abs($0 - $1) }.max() ?? 0
      let bound = rubric.threshold ?? 1e-7
      if case .tensor(_, _, let after)? = observation.values["thetaAfter"], after != theta.toArray()
      {
        return .fail(
          "θ was not restored after the differences",
          hint: "Put each element back after evaluating L(θ ± ε).")
      }
      guard worst <= bound else {
        // A one-sided difference (L(θ + ε) − L(θ)) / ε is off by about 3θε for Σθ³.
        let oneSided =
          zip(numeric, theta.toArray()).map { n, t in Swift.abs(n - 3 * t * t - 3 * t * 1e-6) }
          .max() ?? 1
        return .fail(
          "the numerical gradient of Σθ³ is off by \(Check.short(worst))",
          measured: Check.short(worst),
          expected: "≤ \(Check.short(bound))",
          hint: oneSided < worst / 10
            ? "This is a one-sided difference: use (L(θ + ε) − L(θ − ε)) / 2ε."
            : "Perturb one element at a time by ±ε and divide by 2ε.")
      }
      return .pass(
        measured: "largest error \(Check.short(worst))", expected: "≤ \(Check.short(bound))")
    case "p4.training":
      let bound = rubric.threshold ?? 0.95
      let history = try Check.numbers(observation, "accuracy")
      let final = history.last ?? .nan
      guard final >= bound else {
        return .fail(
          "training accuracy is \(Check.short(final))", measured: Check.short(final),
          expected: "≥ \(Check.short(bound))",
          hint: "Check the mini-batch step: backward, update inside noGrad, zero the gradients.")
      }
      let error = try Check.numbers(observation, "maxRelativeError").first ?? .nan
      guard error < 1e-3 else {
        return .fail(
          "the gradient check's largest relative error is \(Check.short(error))",
          measured: Check.short(error), expected: "< 1e-3",
          hint: "Run the check in Float64, with central differences, over every element of W and b."
        )
      }
      return .pass(measured: "accuracy \(Check.short(final))", expected: "≥ \(Check.short(bound))")
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown case \(request.id)"))
    }
  }
}
