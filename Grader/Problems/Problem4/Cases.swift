import Autograd
import Courseware
import Foundation
import GradeProtocol

/// The functions of problem 4 that cases call: the student's in the program, the reference's
/// (or a known mistake's) in the grader.
protocol API {
  func softmax(_ logits: Tensor) -> Tensor
  func crossEntropy(logits: Tensor, labels: Tensor) -> Tensor
  func numericalGradient(of loss: () -> Tensor, parameter: Tensor) -> Tensor
  func maxRelativeError(_ analytic: Tensor, _ numeric: Tensor) -> Double
  func gradientCheck(x: Tensor, labels: Tensor, w: Tensor, b: Tensor) -> Double
  func miniBatchStep(x: Tensor, labels: Tensor, w: Tensor, b: Tensor, learningRate: Double)
    -> Double
  /// Trains from zero with `trainSoftmax` and its default settings: the final parameters
  /// and the per-epoch histories (diagnostics only).
  func train(x: Tensor, labels: Tensor, classes: Int) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  )
  func report(seed: UInt64) -> Report
}

/// Problem 4's cases.
enum Cases {
  /// The cases that train a model: the known mistakes are not run on them (each would train
  /// again), since every mistake shows in a function's own case.
  static let training: Set<String> = ["p4.training"]

  /// A float64 tensor value from the generator.
  static func normal(_ g: inout Generator, _ shape: [Int], scale: Double = 1) -> Tensor {
    Tensor.randn(shape, dtype: .float64, generator: &g) * scale
  }

  /// Clusters as in `makeClusters`: `classes` centres 3·N(0, 1) in ℝᵈ; each row its class's
  /// centre plus N(0, 1) noise. Training rows and held-out rows share the centres.
  static func clusters(_ r: inout CaseRandom) -> Values {
    var g = r.generator
    let centres = normal(&g, [5, 20], scale: 3)
    func rows(_ n: Int) -> (Tensor, Tensor) {
      let labels = Tensor.randint(0, 5, [n], generator: &g)
      return ((centres[labels] + normal(&g, [n, 20])).to(.float32), labels)
    }
    let (x, labels) = rows(3000)
    let (held, heldLabels) = rows(2000)
    r.generator = g
    return [
      "x": .of(x), "labels": .of(labels), "_xHeld": .of(held), "_labelsHeld": .of(heldLabels),
    ]
  }

  /// Every case, in the rubric's order: softmax and cross-entropy, the gradient check, the
  /// step and training, then the report.
  static func all(_ api: some API) -> [CaseSpec] {
    lossCases(api) + gradientCheckCases(api) + trainingCases(api) + [
      .report { api.report(seed: $0) }
    ]
  }

  /// The cases of softmax and the cross-entropy.
  static func lossCases(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p4.softmax",
        inputs: { r in
          // Rows far apart: 1000 overflows e^z, −1000 underflows it, 88 is float32's limit.
          var g = r.generator
          let offsets = Tensor([0, 1000, -1000, 88, -88, 30, 0] as [Double], shape: [7, 1])
          let z = normal(&g, [7, 5], scale: 3) + offsets
          r.generator = g
          return ["z64": .of(z), "z32": .of(z.to(.float32))]
        },
        run: { i in
          ["p64": .of(api.softmax(i.tensor("z64"))), "p32": .of(api.softmax(i.tensor("z32")))]
        },
        judge: { c in
          // Logits near ±1000 hold float32 values only to ulp(1000)/2 = 3e-5: a correct form
          // that adds a log back to the max, e^(z − logsumexp(z)), loses that much in the
          // exponent, so ~1e-4 of the result. Every mistake is off by far more (or NaN).
          let nearThousand = 5e-4
          for (bits, tolerance) in [("64", Tolerances.float64), ("32", nearThousand)] {
            let (shape, p) = try c.tensor("p" + bits)
            guard shape == [7, 5] else {
              return .fail("softmax of a [7, 5] matrix has shape \(shape)")
            }
            try c.finite(
              p, "softmax of logits near ±1000 in float\(bits)",
              hint: "Subtract each row's max logit before exponentiating: e^1000 is inf.")
            for row in 0..<7 {
              let sum = p[(row * 5)..<(row * 5 + 5)].reduce(0, +)
              guard Swift.abs(sum - 1) <= 10 * tolerance else {
                return .fail(
                  "row \(row) of softmax in float\(bits) sums to \(short(sum))",
                  measured: short(sum), expected: "1",
                  hint: "Normalize each row by its own sum (over dim 1, keepDim: true), and take "
                    + "the max over dim 1 too.")
              }
            }
            try c.matches(
              "p" + bits, tolerance: tolerance, what: "softmax in float\(bits)",
              hint: "softmax(z)[i, j] = e^(zᵢⱼ − mᵢ) / Σₖ e^(zᵢₖ − mᵢ) with mᵢ row i's max logit.")
          }
          return .pass()
        }),
      CaseSpec(
        "p4.shift-invariance",
        inputs: { r in
          var g = r.generator
          let z = normal(&g, [6, 4], scale: 3)
          // A different constant for each row, up to ±900: softmax must not change.
          let c = Tensor.rand([6, 1], dtype: .float64, generator: &g) * 1800 - 900
          r.generator = g
          return ["z": .of(z), "shifted": .of(z + c)]
        },
        run: { i in
          [
            "plain": .of(api.softmax(i.tensor("z"))),
            "shifted": .of(api.softmax(i.tensor("shifted"))),
          ]
        },
        judge: { c in
          try c.matches("plain", tolerance: Tolerances.float64, what: "softmax(z)")
          try c.matches(
            "shifted", tolerance: Tolerances.float64,
            what: "softmax(z + c), with a different constant c for each row",
            hint: "Adding a constant to a row must not change its softmax: subtract each row's "
              + "own max (over dim 1), not one max of the whole matrix.")
          return .pass()
        }),
      CaseSpec(
        "p4.cross-entropy",
        inputs: { r in
          var g = r.generator
          let z = normal(&g, [13, 4], scale: 3)
          let labels = Tensor.randint(0, 4, [13], generator: &g)
          // Confident rows: right labels (loss ≈ 0) and wrong ones (loss ≈ 2000).
          let extreme =
            Tensor(
              [
                1000, 0, -1000, -1000, 1000, 0, 0, -1000, 1000, 1000, 0, -1000, 0, 1000, -1000,
                -1000, -1000, 1000,
              ] as [Double], shape: [6, 3]) + normal(&g, [6, 1])
          r.generator = g
          return [
            "z": .of(z), "labels": .of(labels), "extreme": .of(extreme),
            "extremeLabels": .of(Tensor([0, 0, 2, 0, 2, 2] as [Int])),
          ]
        },
        run: { i in
          var out: Values = [:]
          for (key, labels) in [("z", "labels"), ("extreme", "extremeLabels")] {
            let z = i.tensor(key).requireGrad()
            let loss = api.crossEntropy(logits: z, labels: i.tensor(labels))
            loss.backward()
            out["loss-" + key] = .of(loss)
            out["grad-" + key] = .of(z.grad)
          }
          return out
        },
        judge: { c in
          let hint =
            "CE = mean over rows of (logsumexp(row) − row[label]), with logsumexp(z) = m + "
            + "log Σ e^(z − m) and m the row's max."
          try c.matches(
            "loss-z", tolerance: Tolerances.float64, what: "the cross-entropy", hint: hint)
          try c.matches("grad-z", tolerance: Tolerances.float64, what: "∂CE/∂logits", hint: hint)
          let stable =
            "At logits of ±1000, log(softmax) is log(0) = −inf and e^1000 is inf: compute "
            + "logsumexp with the row's max subtracted, never the log of a probability."
          try c.finite(try c.tensor("loss-extreme").data, "the CE at logits ±1000", hint: stable)
          try c.matches(
            "loss-extreme", tolerance: Tolerances.float64, what: "the CE at logits ±1000",
            hint: stable)
          try c.matches(
            "grad-extreme", tolerance: Tolerances.float64, what: "∂CE/∂logits at logits ±1000",
            hint: stable)
          return .pass()
        }),
    ]
  }

  /// The cases of the mini-batch step and of training from zero (``training`` names the
  /// latter).
  static func trainingCases(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p4.step",
        inputs: { r in
          var g = r.generator
          var values: Values = [
            "w": .of(normal(&g, [5, 3])), "b": .of(normal(&g, [3]) + 1),
            "lr": .number(Double(g.nextInt(10, 60)) / 100),
          ]
          for k in ["1", "2"] {
            values["x" + k] = .of(normal(&g, [20, 5]))
            values["labels" + k] = .of(Tensor.randint(0, 3, [20], generator: &g))
          }
          r.generator = g
          return values
        },
        run: { i in
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          var out: Values = [:]
          for k in ["1", "2"] {
            let loss = api.miniBatchStep(
              x: i.tensor("x" + k), labels: i.tensor("labels" + k), w: w, b: b,
              learningRate: i.number("lr"))
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
            "The step: CE of x·w + b, backward, under noGrad p −= lr · p.grad for w and b, "
            + "then zero both gradients."
          let update = Tolerances.sameUpdate * 100
          try c.matches(
            "loss1", tolerance: Tolerances.float64, what: "the returned loss", hint: hint)
          try c.matches("w1", tolerance: update, what: "w after one step", hint: hint)
          try c.matches("b1", tolerance: update, what: "b after one step", hint: hint)
          try c.zeroGradients(["wGrad", "bGrad"])
          let again = "Zero the gradients after each update: they add up over backward calls."
          try c.matches("w2", tolerance: update, what: "w after a second step", hint: again)
          try c.matches("b2", tolerance: update, what: "b after a second step", hint: again)
          return .pass()
        }),
      CaseSpec(
        "p4.training",
        inputs: { r in clusters(&r) },
        run: { i in
          let run = api.train(x: i.tensor("x"), labels: i.tensor("labels"), classes: 5)
          return [
            "w": .of(run.w), "b": .of(run.b), "accuracy": .numbers(run.accuracy),
            "loss": .numbers(run.loss),
          ]
        },
        judge: { c in
          // Judged on held-out rows the program never saw, from the returned parameters.
          let (shape, w) = try c.tensor("w")
          let (_, b) = try c.tensor("b")
          guard shape == [20, 5], b.count == 5 else {
            return .fail("W has shape \(shape) where [20, 5] was expected")
          }
          try c.finite(w + b, "the trained parameters")
          let x = c.hidden.tensor("_xHeld").double()
          let labels = c.hidden.tensor("_labelsHeld")
          let mine = heldOut(x, labels, w, b)
          let (_, referenceW) = try c.expected("w")
          let (_, referenceB) = try c.expected("b")
          let theirs = heldOut(x, labels, referenceW, referenceB)
          let bound = c.threshold ?? 0.95
          // The reference's held-out loss, with room for float32 rounding and another stable
          // form: a model trained right is within a few percent of it.
          let lossBound = 1.1 * theirs.loss + 0.01
          let measured = "held-out accuracy \(short(mine.accuracy)), CE \(short(mine.loss))"
          guard mine.accuracy >= bound, mine.loss <= lossBound else {
            return .fail(
              "after training, the held-out accuracy is \(short(mine.accuracy)) and the CE "
                + short(mine.loss), measured: measured,
              expected: "accuracy ≥ \(short(bound)), CE ≤ \(short(lossBound))",
              hint: "Check the mini-batch step: backward, the update under noGrad, gradients "
                + "zeroed.")
          }
          return .pass(measured: measured, expected: "accuracy ≥ \(short(bound))")
        }),
    ]
  }

  /// The cross-entropy of logits z [N, C] with labels, in Float64, the max subtracted.
  static func crossEntropy(_ z: Tensor, _ labels: [Int]) -> Double {
    let rows = z.toRows()
    var total = 0.0
    for (row, label) in zip(rows, labels) {
      let m = row.max() ?? 0
      total += m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +)) - row[label]
    }
    return total / Double(rows.count)
  }

  /// The accuracy and cross-entropy of (W, b) on rows `x`, in Float64.
  static func heldOut(_ x: Tensor, _ labels: Tensor, _ w: [Double], _ b: [Double]) -> (
    accuracy: Double, loss: Double
  ) {
    noGrad {
      let z = x.matmul(Tensor(w, shape: [x.shape[1], b.count])) + Tensor(b)
      let right = (z.argmax(dim: 1) .== labels).to(.float64).mean().item()
      return (right, crossEntropy(z, labels.toArray().map { Int($0) }))
    }
  }
}
