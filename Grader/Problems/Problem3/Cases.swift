import Autograd
import Courseware
import GradeProtocol

/// The functions of problem 3 that cases call: the student's in the program, the reference's
/// (or a known mistake's) in the grader.
protocol API {
  func stableSigmoid(_ z: Tensor) -> Tensor
  func bce(probabilities p: Tensor, targets y: Tensor) -> Tensor
  func bce(logits z: Tensor, targets y: Tensor) -> Tensor
  func accuracy(logits z: Tensor, targets y: Tensor) -> Double
  func gradientStep(
    x: Tensor, y: Tensor, w: Tensor, b: Tensor, learningRate: Double, l2: Double
  ) -> Double
  /// Trains from zero with `trainLogistic` (200 full-batch epochs): the final parameters
  /// and the per-epoch histories (diagnostics only).
  func train(x: Tensor, y: Tensor, learningRate: Double, l2: Double) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  )
  func report(seed: UInt64) -> Report
}

/// Problem 3's cases.
enum Cases {
  /// The cases that train a model: the known mistakes are not run on them (each would train
  /// again), since every mistake shows in a function's own case.
  static let training: Set<String> = ["p3.l2", "p3.training"]

  /// Logits where naive formulas break: e^1000 overflows everywhere, e^88 is near float32's
  /// limit, σ(±30) rounds to 0 or 1 in float32, and z = 0 is where |z| and relu have no
  /// single derivative.
  static let extremes: [Double] = [-1000, -88, -30, -1, 0, 0, 1, 30, 88, 1000]

  /// `values` followed by `count` draws of N(0, scale²), in a random order.
  static func shuffled(_ r: inout CaseRandom, _ values: [Double], plus count: Int, scale: Double)
    -> [Double]
  {
    var all = values
    for _ in 0..<count { all.append(scale * r.generator.nextNormal()) }
    for i in stride(from: all.count - 1, to: 0, by: -1) {
      all.swapAt(i, r.integer(0...i))
    }
    return all
  }

  /// A tensor value of `values` in `dtype`.
  static func value(_ values: [Double], shape: [Int]? = nil, _ dtype: DType = .float64) -> Value {
    .of(Tensor(values, shape: shape ?? [values.count]).to(dtype))
  }

  /// Every case, in the rubric's order: the functions' own cases, then the training cases,
  /// then the report.
  static func all(_ api: some API) -> [CaseSpec] {
    functionCases(api) + trainingCases(api) + [.report { api.report(seed: $0) }]
  }

  /// The cases of the functions one at a time: the sigmoid, the two BCEs, the accuracy and
  /// one gradient step.
  static func functionCases(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p3.sigmoid-extremes",
        inputs: { r in
          let z = shuffled(&r, extremes, plus: 6, scale: 3)
          return ["z64": value(z), "z32": value(z, .float32)]
        },
        run: { i in
          var out: Values = [:]
          for bits in ["32", "64"] {
            let z = i.tensor("z" + bits).requireGrad()
            let s = api.stableSigmoid(z)
            s.sum().backward()
            out["s" + bits] = .of(s)
            out["ds" + bits] = .of(z.grad)
          }
          return out
        },
        judge: { c in
          for (bits, tolerance) in [("32", Tolerances.float32), ("64", Tolerances.float64)] {
            let z = c.inputs.tensor("z" + bits).toArray()
            try elementwise(
              c, "s" + bits, at: z, tolerance: tolerance, what: "σ(z) in float\(bits)",
              hint: { at in
                at < 0
                  ? "e^(−z) overflows for very negative z: compute σ there as e^z / (1 + e^z)."
                  : "e^z overflows for large z: compute σ there as 1 / (1 + e^(−z))."
              })
            try elementwise(
              c, "ds" + bits, at: z, tolerance: tolerance, what: "dσ/dz in float\(bits)",
              hint: { at in
                at == 0
                  ? "dσ/dz at z = 0 is σ(0)(1 − σ(0)) = 0.25. |z|, relu and a clamp at 0 have "
                    + "gradient 0 there: pick the branch with `where(z >= 0, …)` and write each "
                    + "branch in z itself (exp of a value ≤ 0 on its side)."
                  : "e^(−z) overflows at z = −1000 (and e^z at 1000): an inf inside either branch "
                    + "turns the gradient into NaN even where `where` does not pick it. Make sure "
                    + "each branch only exponentiates numbers ≤ 0."
              })
          }
          return .pass()
        }),
      CaseSpec(
        "p3.bce",
        inputs: { r in
          let n = r.integer(17...29)
          let p = (0..<n).map { _ in 0.02 + 0.96 * r.generator.nextUniform() }
          let y = (0..<n).map { _ in Double(r.integer(0...1)) }
          // Probabilities that are exactly 0 or 1 (a saturated sigmoid), for each target.
          let edges: [Double] = [0, 0, 1, 1, 1e-9, 0.5]
          let edgeTargets: [Double] = [0, 1, 0, 1, 1, 0]
          return [
            "p": value(p), "y": value(y), "edge64": value(edges),
            "edge32": value(edges, .float32), "edgeY64": value(edgeTargets),
            "edgeY32": value(edgeTargets, .float32),
          ]
        },
        run: { i in
          let p = i.tensor("p").requireGrad()
          let loss = api.bce(probabilities: p, targets: i.tensor("y"))
          loss.backward()
          var out: Values = ["loss": .of(loss), "dp": .of(p.grad)]
          for bits in ["32", "64"] {
            let edge = i.tensor("edge" + bits).requireGrad()
            let edgeLoss = api.bce(probabilities: edge, targets: i.tensor("edgeY" + bits))
            edgeLoss.backward()
            out["edgeLoss" + bits] = .of(edgeLoss)
            out["dEdge" + bits] = .of(edge.grad)
          }
          return out
        },
        judge: { c in
          let hint = "BCE = −mean(y·log p + (1 − y)·log(1 − p)), with p clamped to [ε, 1 − ε]."
          try c.matches("loss", tolerance: Tolerances.float64, what: "the BCE", hint: hint)
          try c.matches("dp", tolerance: Tolerances.float64, what: "∂BCE/∂p", hint: hint)
          for (bits, epsilon) in [("64", "1e-12"), ("32", "1e-7")] {
            let clampHint =
              "Clamp p to [ε, 1 − ε] before the logs, with ε = \(epsilon) in float\(bits) (so "
              + "that 1 − ε is below 1 in that type): log(0) is −inf."
            try c.finite(
              try c.tensor("edgeLoss" + bits).data, "the BCE of p = 0 or 1 in float\(bits)",
              hint: clampHint)
            try c.finite(
              try c.tensor("dEdge" + bits).data, "∂BCE/∂p at p = 0 or 1 in float\(bits)",
              hint: clampHint)
            try c.matches(
              "edgeLoss" + bits,
              tolerance: bits == "32" ? Tolerances.float32 : Tolerances.float64,
              what: "the BCE of probabilities 0 and 1 in float\(bits)", hint: clampHint)
          }
          return .pass()
        }),
      CaseSpec(
        "p3.bce-logits",
        inputs: { r in
          let z = shuffled(&r, [0, 0], plus: 22, scale: 3)
          var y = (0..<z.count).map { _ in Double(r.integer(0...1)) }
          // Both targets at z = 0, where (σ(0) − y)/N tells a kinked formula apart.
          let zeros = z.indices.filter { z[$0] == 0 }
          y[zeros[0]] = 0
          y[zeros[1]] = 1
          return ["z": value(z), "y": value(y)]
        },
        run: { i in
          let z = i.tensor("z").requireGrad()
          let loss = api.bce(logits: z, targets: i.tensor("y"))
          loss.backward()
          return ["loss": .of(loss), "dz": .of(z.grad)]
        },
        judge: { c in
          try c.matches(
            "loss", tolerance: Tolerances.float64, what: "the BCE from logits",
            hint: "BCE from logits = mean(max(z, 0) − z·y + log(1 + e^(−|z|))).")
          try elementwise(
            c, "dz", at: c.inputs.tensor("z").toArray(), tolerance: Tolerances.float64,
            what: "∂BCE/∂z", hint: { _ in logitsHint })
          return .pass()
        }),
      CaseSpec(
        "p3.bce-extremes",
        inputs: { r in
          var pairs: [(Double, Double)] = [(0, 0), (0, 1)]
          for z in [-1000.0, 1000, -88, 88, -30, 30] {
            pairs += [(z, 0.0), (z, 1.0)]
          }
          for _ in 0..<4 { pairs.append((3 * r.generator.nextNormal(), Double(r.integer(0...1)))) }
          for i in stride(from: pairs.count - 1, to: 0, by: -1) {
            pairs.swapAt(i, r.integer(0...i))
          }
          let z = pairs.map(\.0)
          let y = pairs.map(\.1)
          return [
            "z64": value(z), "y64": value(y), "z32": value(z, .float32), "y32": value(y, .float32),
          ]
        },
        run: { i in
          var out: Values = [:]
          for bits in ["32", "64"] {
            let z = i.tensor("z" + bits).requireGrad()
            let loss = api.bce(logits: z, targets: i.tensor("y" + bits))
            loss.backward()
            out["loss" + bits] = .of(loss)
            out["dz" + bits] = .of(z.grad)
          }
          return out
        },
        judge: { c in
          for (bits, tolerance) in [("64", Tolerances.float64), ("32", Tolerances.float32)] {
            let z = c.inputs.tensor("z" + bits).toArray()
            try c.finite(
              try c.tensor("loss" + bits).data, "the BCE at logits ±1000 in float\(bits)",
              hint: "log(1 + e^(−z)) overflows at z = −1000: use max(z, 0) − z·y + "
                + "log1p(e^(−|z|)), where the exponent is never positive.")
            try c.matches(
              "loss" + bits, tolerance: tolerance,
              what: "the BCE at extreme logits in float\(bits)",
              hint: "At z = ±1000 the loss of a wrong label is 1000: taking log of σ(z) (a "
                + "probability rounded to 0 or 1, then clamped) loses it. Work from the logits: "
                + "max(z, 0) − z·y + log1p(e^(−|z|)).")
            try elementwise(
              c, "dz" + bits, at: z, tolerance: tolerance, what: "∂BCE/∂z in float\(bits)",
              hint: { _ in logitsHint })
          }
          return .pass()
        }),
      CaseSpec(
        "p3.accuracy",
        inputs: { r in
          var values: Values = [:]
          for (key, n) in [("a", 37), ("b", r.integer(19...31))] {
            // Logits of both signs, some in (0, 0.5): a logit above 0 is class 1 even where
            // σ(z) < 0.62; thresholding the logit at 0.5 gets these wrong.
            var z = shuffled(&r, [0.1, 0.2, 0.3, 0.4, -0.1, -0.3], plus: n - 6, scale: 2)
            z = z.map { $0 == 0 ? 0.05 : $0 }
            // Labels of 1 for those, so that a 0.5 threshold always costs them.
            let y = z.map { $0 > 0 && $0 < 0.5 ? 1 : Double(r.integer(0...1)) }
            values["z" + key] = value(z, shape: [n, 1], .float32)
            values["y" + key] = value(y, shape: [n, 1], .float32)
          }
          return values
        },
        run: { i in
          [
            "a": .number(api.accuracy(logits: i.tensor("za"), targets: i.tensor("ya"))),
            "b": .number(api.accuracy(logits: i.tensor("zb"), targets: i.tensor("yb"))),
          ]
        },
        judge: { c in
          for key in ["a", "b"] {
            let z = c.inputs.tensor("z" + key).toArray()
            let y = c.inputs.tensor("y" + key).toArray()
            let right = zip(z, y).filter { ($0 > 0 ? 1.0 : 0.0) == $1 }.count
            let truth = Double(right) / Double(z.count)
            let value = try c.number(key)
            try JudgeContext.compare(
              shape: [], data: [value], expectedShape: [], reference: [truth],
              tolerance: Tolerances.float32,
              what: "the accuracy of \(z.count) rows (\(right) right)",
              hint: "Accuracy is the fraction of rows whose class (logit > 0) equals the label: "
                + "the mean, not the count, and the logit's threshold is 0, not 0.5.")
          }
          return .pass()
        }),
      CaseSpec(
        "p3.step",
        inputs: { r in
          [
            "x1": r.normal([24, 3]),
            "y1": value((0..<24).map { _ in Double(r.integer(0...1)) }, shape: [24, 1]),
            "x2": r.normal([24, 3]),
            "y2": value((0..<24).map { _ in Double(r.integer(0...1)) }, shape: [24, 1]),
            "w": r.normal([3, 1]), "b": r.normal([1], scale: 0.5, shift: 1),
            "lr": .number(Double(r.integer(10...50)) / 100),
            "l2": .number(Double(r.integer(2...10)) / 100),
          ]
        },
        run: { i in
          // Two steps on the same parameters: the second shows whether the first left its
          // gradients behind.
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          var out: Values = [:]
          for k in ["1", "2"] {
            let loss = api.gradientStep(
              x: i.tensor("x" + k), y: i.tensor("y" + k), w: w, b: b,
              learningRate: i.number("lr"), l2: i.number("l2"))
            out["loss" + k] = .number(loss)
            out["w" + k] = .of(w)
            out["b" + k] = .of(b)
          }
          out["wGrad"] = .of(w.grad)
          out["bGrad"] = .of(b.grad)
          return out
        },
        judge: { c in
          let hint =
            "Loss = BCE(logits Xw + b) + l2·‖w‖² (b not penalized); backward; under noGrad "
            + "p −= lr · p.grad for w and b; then zero both gradients."
          try c.matches(
            "loss1", tolerance: Tolerances.float64, what: "the returned loss", hint: hint)
          try c.matches(
            "w1", tolerance: Tolerances.sameUpdate * 100, what: "w after one step", hint: hint)
          try c.matches(
            "b1", tolerance: Tolerances.sameUpdate * 100, what: "b after one step", hint: hint)
          try c.zeroGradients(["wGrad", "bGrad"])
          try c.matches(
            "w2", tolerance: Tolerances.sameUpdate * 100, what: "w after a second step",
            hint: "Zero the gradients after each update: they add up over backward calls.")
          try c.matches(
            "b2", tolerance: Tolerances.sameUpdate * 100, what: "b after a second step",
            hint: "Zero the gradients after each update: they add up over backward calls.")
          return .pass()
        }),
    ]
  }

  static let logitsHint =
    "∂BCE/∂zᵢ = (σ(zᵢ) − yᵢ)/N at every z. At z = 0 that is (0.5 − y)/N: relu(z), |z| and a "
    + "clamp at 0 have gradient 0 there, so relu(z) + log1p(e^(−|z|)) gives −y/N. Write the softplus with "
    + "`where(z >= 0, z + log1p(e^(−z)), log1p(e^z))`, each exp of a value ≤ 0 on its side."

  /// Compares the student's `key` with the reference's element by element; on a mismatch
  /// names the input `z` where it happens and gives `hint(z)`.
  static func elementwise(
    _ c: JudgeContext, _ key: String, at z: [Double], tolerance: Double, what: String,
    hint: (Double) -> String
  ) throws {
    let (shape, data) = try c.tensor(key)
    let (expectedShape, reference) = try c.expected(key)
    guard shape == expectedShape, data.count == z.count else {
      throw CheckFailure(
        .fail(
          "\(what) has shape \(shape) where \(expectedShape) was expected",
          measured: "shape \(shape)", expected: "shape \(expectedShape)"))
    }
    let errors = zip(data, reference).map { JudgeContext.relativeError($0, $1) }
    guard let worst = errors.max(), worst > tolerance, let i = errors.firstIndex(of: worst) else {
      return
    }
    throw CheckFailure(
      .fail(
        "\(what) at z = \(short(z[i])) is \(short(data[i])) where \(short(reference[i])) was "
          + "expected", measured: short(data[i]), expected: short(reference[i]),
        hint: hint(z[i])))
  }

}
