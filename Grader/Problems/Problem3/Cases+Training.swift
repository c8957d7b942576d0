import Autograd
import GradeProtocol

/// Problem 3's training cases: logistic regression trained from zero on two Gaussian blobs,
/// judged on held-out blobs the program never sees.
extension Cases {
  /// Two Gaussian blobs as in `makeBlobs` (centres (±2, ±2), unit variance), `n` rows, float32.
  static func blobs(_ g: inout Generator, n: Int) -> (x: Tensor, y: Tensor) {
    let labels = Tensor.randint(0, 2, [n], generator: &g)
    let centres = Tensor([-2, -2, 2, 2] as [Double], shape: [2, 2])
    let x = centres[labels] + Tensor.randn([n, 2], dtype: .float64, generator: &g)
    return (x.to(.float32), labels.to(.float32).unsqueeze(1))
  }

  /// Training blobs and held-out blobs the program never sees.
  static func trainingData(_ r: inout CaseRandom) -> Values {
    let train = blobs(&r.generator, n: 3000)
    let held = blobs(&r.generator, n: 2000)
    return ["x": .of(train.x), "y": .of(train.y), "_xHeld": .of(held.x), "_yHeld": .of(held.y)]
  }

  /// The cases that train a model (those ``training`` names).
  static func trainingCases(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p3.l2",
        inputs: { r in trainingData(&r) },
        run: { i in
          let plain = api.train(x: i.tensor("x"), y: i.tensor("y"), learningRate: 1, l2: 0)
          let decayed = api.train(x: i.tensor("x"), y: i.tensor("y"), learningRate: 1, l2: 0.05)
          return [
            "wPlain": .of(plain.w), "bPlain": .of(plain.b), "w": .of(decayed.w),
            "b": .of(decayed.b), "loss": .numbers(decayed.loss),
          ]
        },
        judge: { c in
          // The L2 objective is strongly convex in w, so gradient descent from 0 ends near its
          // one minimum whatever the rounding: the student's w must be the reference's.
          let (shape, w) = try c.tensor("w")
          let (_, plain) = try c.tensor("wPlain")
          let (_, reference) = try c.expected("w")
          try c.finite(w + plain, "the trained weights")
          guard shape == [2, 1], plain.count == 2 else {
            return .fail("w has shape \(shape) where [2, 1] was expected")
          }
          let norm = w.map { $0 * $0 }.reduce(0, +).squareRoot()
          let plainNorm = plain.map { $0 * $0 }.reduce(0, +).squareRoot()
          let referenceNorm = reference.map { $0 * $0 }.reduce(0, +).squareRoot()
          let gap = zip(w, reference).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
          let measured = "‖w‖ = \(short(norm)) with L2 (λ = 0.05), \(short(plainNorm)) without"
          guard gap <= (c.threshold ?? 0.01) * referenceNorm, norm < plainNorm else {
            return .fail(
              "after 200 epochs at lr 1.0 with l2 = 0.05, w is \(w.map(short)) where the "
                + "minimum of the L2 objective is at \(reference.map(short))",
              measured: measured, expected: "‖w‖ = \(short(referenceNorm)) with L2",
              hint: "The loss of the gradient step is BCE + l2·‖w‖² (w only, with a plus "
                + "sign); check the step's own case too (update, gradients zeroed).")
          }
          return .pass(measured: measured, expected: "‖w‖ = \(short(referenceNorm)) with L2")
        }),
      CaseSpec(
        "p3.training",
        inputs: { r in trainingData(&r) },
        run: { i in
          var out: Values = [:]
          for (key, lr) in [("slow", 0.1), ("fast", 1.0)] {
            let run = api.train(x: i.tensor("x"), y: i.tensor("y"), learningRate: lr, l2: 0)
            out["w-" + key] = .of(run.w)
            out["b-" + key] = .of(run.b)
            out["accuracy-" + key] = .numbers(run.accuracy)
          }
          return out
        },
        judge: { c in
          // Judged on held-out blobs the program never saw, from the returned parameters.
          let x = c.hidden.tensor("_xHeld").double()
          let y = c.hidden.tensor("_yHeld").double()
          let bound = c.threshold ?? 0.99
          var measured: [String] = []
          for (key, lr) in [("slow", "0.1"), ("fast", "1.0")] {
            let (shape, w) = try c.tensor("w-" + key)
            let (_, b) = try c.tensor("b-" + key)
            guard shape == [2, 1], b.count == 1 else {
              return .fail("w has shape \(shape) where [2, 1] was expected")
            }
            try c.finite(w + b, "the parameters trained at lr \(lr)")
            let (_, referenceW) = try c.expected("w-" + key)
            let (_, referenceB) = try c.expected("b-" + key)
            let mine = heldOut(x, y, w, b[0])
            let theirs = heldOut(x, y, referenceW, referenceB[0])
            let note = historyNote(c, "accuracy-" + key)
            measured.append(
              "lr \(lr): held-out accuracy \(short(mine.accuracy)), BCE \(short(mine.loss))\(note)")
            // The reference's loss on the same rows, with room for rounding in float32 and
            // for another stable form: a model trained right is within a few percent of it.
            let lossBound = 1.1 * theirs.loss + 0.005
            guard mine.accuracy >= bound, mine.loss <= lossBound else {
              return .fail(
                "at lr \(lr) the trained model's held-out accuracy is \(short(mine.accuracy)) "
                  + "and its BCE \(short(mine.loss))",
                measured: measured.last!,
                expected: "accuracy ≥ \(short(bound)), BCE ≤ \(short(lossBound))",
                hint:
                  "Check the gradient step: the loss from the logits, backward, p −= lr · p.grad "
                  + "under noGrad, gradients zeroed after each update.")
            }
          }
          return .pass(
            measured: measured.joined(separator: "; "), expected: "accuracy ≥ \(short(bound))")
        }),
    ]
  }

  /// The accuracy and BCE of the model (w, b) on rows `x` with labels `y`, in Float64.
  static func heldOut(_ x: Tensor, _ y: Tensor, _ w: [Double], _ b: Double) -> (
    accuracy: Double, loss: Double
  ) {
    noGrad {
      let z = x.matmul(Tensor(w, shape: [w.count, 1])) + b
      let right = ((z .> 0).to(.float64) .== y).to(.float64).mean().item()
      // softplus(z) − z·y, with exp only of values ≤ 0.
      let softplus = z.clamp(min: 0) + (-z.abs()).exp().log1p()
      return (right, (softplus - z * y).mean().item())
    }
  }

  /// A diagnostic on an accuracy history: its length. It never earns points.
  static func historyNote(_ c: JudgeContext, _ key: String) -> String {
    guard case .numbers(let history)? = c.student[key] else { return "" }
    return history.count == 200
      ? "" : " (the run recorded \(history.count) accuracies over 200 epochs)"
  }
}
