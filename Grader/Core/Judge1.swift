import Autograd
import GradeProtocol
import Problem1Solution

/// Problem 1's cases, judged against `Problem1Solution`.
struct Judge1: ProblemJudge {
  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
  {
    let seed = request.seed
    switch request.id {
    case "p1.standardize":
      let x = CaseInputs.matrix([40, 6], seed: seed, scale: 3, shift: 1)
      try Check.matches(
        observation, "out", Problem1Solution.standardize(x), tolerance: Tolerances.float64,
        what: "standardize(X)",
        hint: "Use the column mean and the unbiased std (divide by N − 1), both with keepDim: true."
      )
      return .pass()
    case "p1.cosine":
      let x = CaseInputs.matrix([30, 5], seed: seed)
      try Check.matches(
        observation, "out", Problem1Solution.cosineSimilarity(x), tolerance: Tolerances.float64,
        what: "cosineSimilarity(X)",
        hint:
          "Divide each row by its norm (norm over dim 1, keepDim: true), then multiply by the transpose."
      )
      return .pass()
    case "p1.upper-mean":
      let s = CaseInputs.matrix([7, 7], seed: seed, scale: 5)
      let expected = Problem1Solution.upperTriangularMean(s)
      let (_, data) = try Check.tensor(observation, "out")
      guard data.count == 1 else {
        return .fail("the loss is not a single number (\(data.count) elements)")
      }
      try Check.finite(data, "the loss")
      let value = data[0]
      guard Check.error([value], expected.toArray()) <= Tolerances.float64 else {
        let withDiagonal = s.triu().sum().item() / 28
        let overAll = s.triu(diagonal: 1).sum().item() / 49
        var hint = "Average the N(N − 1)/2 entries above the diagonal, without the diagonal."
        if Check.error([value], [withDiagonal]) <= 1e-9 {
          hint = "The diagonal is included: use triu(diagonal: 1)."
        }
        if Check.error([value], [overAll]) <= 1e-9 {
          hint = "The sum is divided by N² instead of by the N(N − 1)/2 entries above the diagonal."
        }
        return .fail(
          "the upper-triangular mean differs from the reference", measured: Check.short(value),
          expected: Check.short(expected.item()), hint: hint)
      }
      return .pass(measured: Check.short(value), expected: Check.short(expected.item()))
    case "p1.gradient":
      guard case .bool(true)? = observation.values["exists"] else {
        return .fail(
          "X.grad does not exist after backward", hint: "Call backward() on the scalar loss.")
      }
      let x = CaseInputs.matrix([12, 5], seed: seed).requireGrad()
      Problem1Solution.similarityLoss(x).backward()
      try Check.matches(
        observation, "grad", x.grad!, tolerance: Tolerances.float64, what: "X.grad",
        hint: "Compute the loss from X itself, so the gradient flows through standardization too.")
      return .pass()
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown case \(request.id)"))
    }
  }
}
