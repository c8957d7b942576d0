import Autograd
import Foundation
import GradeProtocol
import Problem1Solution

/// Problem 1's cases, judged against `Problem1Solution`.
struct Judge1: ProblemJudge {
  /// The reference's time for forward and backward at N = 4000, D = 256 (float32),
  /// measured in the grader's process on this machine.
  static func referenceSeconds(seed: UInt64) -> Double {
    var g = Generator(seed: seed)
    let x = Tensor.randn([4000, 256], requiresGrad: true, generator: &g)
    // One timed run: the budget is generous, and grading time counts.
    let start = Date()
    Problem1Solution.similarityLoss(x).backward()
    let best = Date().timeIntervalSince(start)
    return best
  }

  /// The functions that must be written without loops.
  static let vectorized: Set<String> = ["standardize", "cosineSimilarity", "upperTriangularMean"]

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
    case "p1.properties":
      let (_, z) = try Check.tensor(observation, "standardized")
      try Check.finite(z, "standardize(X)")
      for column in 0..<6 {
        let values = (0..<40).map { z[$0 * 6 + column] }
        let mean = values.reduce(0, +) / 40
        let unbiased = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 39).squareRoot()
        guard Swift.abs(mean) <= 1e-9, Swift.abs(unbiased - 1) <= 1e-9 else {
          let biased = unbiased * (39.0 / 40).squareRoot()
          return .fail(
            "column \(column) of standardize(X) has mean \(Check.short(mean)) and unbiased std "
              + "\(Check.short(unbiased))", expected: "mean 0, std 1",
            hint: Swift.abs(biased - 1) <= 1e-9
              ? "The std is the biased one (divides by N): torch.std divides by N − 1."
              : "Subtract the column mean and divide by the column std, over dim 0.")
        }
      }
      let (shape, s) = try Check.tensor(observation, "similarity")
      guard shape == [40, 40] else {
        return .fail("S has shape \(shape) where [40, 40] was expected")
      }
      try Check.finite(s, "S")
      for i in 0..<40 {
        guard Swift.abs(s[i * 40 + i] - 1) <= 1e-9 else {
          return .fail(
            "S[\(i), \(i)] = \(Check.short(s[i * 40 + i])), not 1",
            hint: "Each row must be divided by its own norm.")
        }
        for j in 0..<i where Swift.abs(s[i * 40 + j] - s[j * 40 + i]) > 1e-9 {
          return .fail(
            "S is not symmetric at (\(i), \(j))",
            hint: "Normalize the rows, then multiply by the transpose.")
        }
      }
      return .pass()
    case "p1.speed":
      let seconds = try Check.numbers(observation, "seconds").first ?? .nan
      let reference = Judge1.referenceSeconds(seed: seed)
      let bound = (rubric.threshold ?? 10) * reference + 5
      guard seconds.isFinite, seconds <= bound else {
        return .fail(
          "forward and backward at N = 4000 took \(Check.short(seconds)) s",
          measured: "\(Check.short(seconds)) s", expected: "≤ \(Check.short(bound)) s",
          hint: "Use whole-tensor operations (one matmul for all pairs), never loops over rows.")
      }
      return .pass(measured: "\(Check.short(seconds)) s", expected: "≤ \(Check.short(bound)) s")
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
