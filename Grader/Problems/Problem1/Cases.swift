import Autograd
import Courseware
import GradeProtocol

/// The functions of problem 1 that cases call: the student's in the program, the reference's
/// (or a known mistake's) in the grader.
protocol API {
  func standardize(_ x: Tensor) -> Tensor
  func cosineSimilarity(_ x: Tensor) -> Tensor
  func upperTriangularMean(_ s: Tensor) -> Tensor
  func similarityLoss(_ x: Tensor) -> Tensor
  func backwardAndCheck(_ x: Tensor) -> (
    exists: Bool, shape: [Int], allZero: Bool, min: Double, max: Double, mean: Double
  )
  func report(seed: UInt64) -> Report
}

/// Problem 1's cases.
enum Cases {
  /// The functions that must be written without loops.
  static let vectorized = ["standardize", "cosineSimilarity", "upperTriangularMean"]

  static func all(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p1.standardize",
        inputs: { r in ["x": r.normal([40, 6], scale: 3, shift: 1)] },
        run: { i in ["out": .of(api.standardize(i.tensor("x")))] },
        judge: { c in
          try c.matches(
            "out", tolerance: Tolerances.float64, what: "standardize(X)",
            hint: "Subtract the column mean (dim 0) and divide by the column's unbiased std.")
          return .pass()
        }),
      CaseSpec(
        "p1.cosine",
        inputs: { r in ["x": r.normal([30, 5], scale: 2)] },
        run: { i in ["out": .of(api.cosineSimilarity(i.tensor("x")))] },
        judge: { c in
          try c.matches(
            "out", tolerance: Tolerances.float64, what: "cosineSimilarity(X)",
            hint: "S[i, j] = xᵢ·xⱼ / (‖xᵢ‖ ‖xⱼ‖): row norms over dim 1, one matmul.")
          return .pass()
        }),
      CaseSpec(
        "p1.upper-mean",
        inputs: { r in ["s": r.normal([7, 7], scale: 5)] },
        run: { i in ["out": .of(api.upperTriangularMean(i.tensor("s")))] },
        judge: { c in
          let value = try c.number("out")
          let expected = try c.expectedNumber("out")
          try JudgeContext.compare(
            shape: [], data: [value], expectedShape: [], reference: [expected],
            tolerance: Tolerances.float64, what: "the upper-triangular mean",
            hint: "Average the N(N − 1)/2 entries strictly above the diagonal.")
          return .pass(measured: short(value), expected: short(expected))
        }),
      CaseSpec(
        "p1.gradient",
        inputs: { r in ["x": r.normal([12, 5])] },
        run: { i in
          // Called twice on the same leaf: a function that leaves the first call's gradient
          // in place reports twice the gradient the second time.
          let x = i.tensor("x").requireGrad()
          _ = api.backwardAndCheck(x)
          let check = api.backwardAndCheck(x)
          return [
            "grad": .of(x.grad), "exists": .bool(check.exists),
            "shape": .numbers(check.shape.map(Double.init)), "allZero": .bool(check.allZero),
            "min": .number(check.min), "max": .number(check.max), "mean": .number(check.mean),
          ]
        },
        judge: { c in
          guard case .bool(true)? = c.student["exists"], c.student["grad"] != .missing else {
            return .fail(
              "X.grad does not exist after backwardAndCheck",
              hint: "Call backward() on the scalar loss computed from X.")
          }
          try c.matches(
            "grad", tolerance: Tolerances.float64,
            what: "X.grad after the second of two calls of backwardAndCheck on the same X",
            hint: "Compute the loss from X itself, so the gradient flows through standardization.")
          // The summary the function reports must describe the gradient it left.
          let (shape, grad) = try c.tensor("grad")
          guard case .numbers(let reported)? = c.student["shape"],
            reported == shape.map(Double.init)
          else {
            return .fail(
              "backwardAndCheck reports a shape other than X.grad's \(shape)",
              hint: "Report x.grad's own shape.")
          }
          let facts: [(String, Double)] = [
            ("min", grad.min() ?? 0), ("max", grad.max() ?? 0),
            ("mean", grad.reduce(0, +) / Double(Swift.max(grad.count, 1))),
          ]
          for (key, truth) in facts {
            let reported = try c.number(key)
            try JudgeContext.compare(
              shape: [], data: [reported], expectedShape: [], reference: [truth],
              tolerance: Tolerances.float64, what: "the reported \(key) of X.grad",
              hint: "Compute \(key) over every element of x.grad.")
          }
          if case .bool(let allZero)? = c.student["allZero"],
            allZero != grad.allSatisfy({ $0 == 0 })
          {
            return .fail("backwardAndCheck's allZero is \(allZero), but X.grad says otherwise")
          }
          return .pass()
        }),
      CaseSpec(
        "p1.properties",
        inputs: { r in ["x": r.normal([40, 6], scale: 3, shift: -2), "s": r.normal([9, 9])] },
        run: { i in
          [
            "standardized": .of(api.standardize(i.tensor("x"))),
            "similarity": .of(api.cosineSimilarity(i.tensor("x"))),
            "upper": .of(api.upperTriangularMean(i.tensor("s"))),
          ]
        },
        judge: { c in
          let (shape, z) = try c.tensor("standardized")
          guard shape == [40, 6] else {
            return .fail("standardize(X) has shape \(shape) where [40, 6] was expected")
          }
          try c.finite(z, "standardize(X)")
          for column in 0..<6 {
            let values = (0..<40).map { z[$0 * 6 + column] }
            let mean = values.reduce(0, +) / 40
            let unbiased = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 39).squareRoot()
            guard Swift.abs(mean) <= 1e-9, Swift.abs(unbiased - 1) <= 1e-9 else {
              return .fail(
                "column \(column) of standardize(X) has mean \(short(mean)) and unbiased std "
                  + short(unbiased), measured: "mean \(short(mean)), std \(short(unbiased))",
                expected: "mean 0, std 1")
            }
          }
          let (sShape, s) = try c.tensor("similarity")
          guard sShape == [40, 40] else {
            return .fail("S has shape \(sShape) where [40, 40] was expected")
          }
          try c.finite(s, "S")
          for i in 0..<40 {
            guard Swift.abs(s[i * 40 + i] - 1) <= 1e-9 else {
              return .fail(
                "S[\(i), \(i)] = \(short(s[i * 40 + i])), not 1",
                hint: "Each row must be divided by its own norm.")
            }
            for j in 0..<i where Swift.abs(s[i * 40 + j] - s[j * 40 + i]) > 1e-9 {
              return .fail("S is not symmetric at (\(i), \(j))")
            }
          }
          // The strictly upper-triangular mean of a hidden 9 × 9 matrix, summed here entry by
          // entry (an independent closed form, not the reference's code).
          let m = c.inputs.tensor("s").toArray()
          let above = (0..<9).flatMap { i in ((i + 1)..<9).map { m[i * 9 + $0] } }
          let truth = above.reduce(0, +) / Double(above.count)
          try JudgeContext.compare(
            shape: [], data: [try c.number("upper")], expectedShape: [], reference: [truth],
            tolerance: Tolerances.float64, what: "the upper-triangular mean of a 9 × 9 matrix")
          return .pass()
        }),
      .source("p1.no-loops", functions: vectorized),
      CaseSpec(
        "p1.speed", timed: true,
        inputs: { r in ["x": r.normal([4000, 256])] },
        run: { i in
          let x = i.tensor("x").to(.float32).requireGrad()
          let loss = api.similarityLoss(x)
          loss.backward()
          return ["loss": .of(loss), "gradSum": .of(x.grad?.abs().sum())]
        },
        judge: { c in
          // The timed value must be right too: a shortcut for the timed shape earns nothing.
          try c.matches(
            "loss", tolerance: Tolerances.float32 * 10, what: "the loss at N = 4000",
            hint: "The timed run must compute the same loss as the small cases.")
          try c.matches(
            "gradSum", tolerance: Tolerances.float32 * 10, what: "Σ|X.grad| at N = 4000")
          guard let seconds = c.seconds, let reference = c.referenceSeconds else {
            return .invalid("the call was not timed")
          }
          let bound = (c.threshold ?? 10) * reference + 5
          guard seconds <= bound else {
            return .fail(
              "forward and backward at N = 4000 took \(short(seconds)) s",
              measured: "\(short(seconds)) s", expected: "≤ \(short(bound)) s",
              hint: "Use whole-tensor operations (one matmul for all pairs), never loops over rows."
            )
          }
          return .pass(measured: "\(short(seconds)) s", expected: "≤ \(short(bound)) s")
        }),
      .report { api.report(seed: $0) },
    ]
  }
}
