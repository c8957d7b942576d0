import Autograd
import Courseware
import GradeProtocol

/// The functions of problem 2 that cases call.
protocol API {
  func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor
  func sgdUpdate(_ parameters: [Tensor], learningRate: Double)
  func accumulatedStep(
    microBatches: [(x: Tensor, y: Tensor)], w: Tensor, b: Tensor, lambda: Double,
    learningRate: Double
  ) -> Double
  func miniBatches(x: Tensor, y: Tensor, order: Tensor, batchSize: Int) -> [(x: Tensor, y: Tensor)]
  /// Trains with the problem's default settings on (x, y): the final w, b and loss history.
  func train(x: Tensor, y: Tensor) -> (w: Tensor, b: Tensor, loss: [Double])
  func report(seed: UInt64) -> Report
}

/// Problem 2's cases.
enum Cases {
  /// A regression problem's data, its true parameters and held-out rows (grader-only).
  static func regression(_ r: inout CaseRandom, n: Int, d: Int) -> Values {
    var g = r.generator
    let x = Tensor.randn([n + 2000, d], dtype: .float64, generator: &g)
    let w = Tensor.randn([d, 1], dtype: .float64, generator: &g)
    let b = Tensor.randn([1], dtype: .float64, generator: &g)
    let y = x.matmul(w) + b + 0.1 * Tensor.randn([n + 2000, 1], dtype: .float64, generator: &g)
    r.generator = g
    return [
      "x": .of(x[0..<n]), "y": .of(y[0..<n]), "_w": .of(w), "_b": .of(b),
      "_xHeld": .of(x[n..<(n + 2000)]), "_yHeld": .of(y[n..<(n + 2000)]),
    ]
  }

  static func all(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p2.loss",
        inputs: { r in
          [
            "x": r.normal([32, 5]), "y": r.normal([32, 1]), "w": r.normal([5, 1]),
            "b": r.normal([1], scale: 2), "lambda": .number(0.05 + Double(r.integer(0...20)) / 100),
          ]
        },
        run: { i in
          let x = i.tensor("x").requireGrad()
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          let loss = api.ridgeLoss(x: x, y: i.tensor("y"), w: w, b: b, lambda: i.number("lambda"))
          loss.backward()
          return ["loss": .of(loss), "dx": .of(x.grad), "dw": .of(w.grad), "db": .of(b.grad)]
        },
        judge: { c in
          let hint = "Loss = mean((Xw + b − y)²) + λ‖w‖², with λ on w only."
          try c.matches("loss", tolerance: Tolerances.float64, what: "the loss", hint: hint)
          try c.matches("dw", tolerance: Tolerances.float64, what: "∂L/∂w", hint: hint)
          try c.matches("db", tolerance: Tolerances.float64, what: "∂L/∂b", hint: hint)
          try c.matches("dx", tolerance: Tolerances.float64, what: "∂L/∂X", hint: hint)
          return .pass()
        }),
      CaseSpec(
        "p2.gradient-fd",
        inputs: { r in
          [
            "x": r.normal([16, 4]), "y": r.normal([16, 1]), "w": r.normal([4, 1]),
            "b": r.normal([1]),
          ]
        },
        run: { i in
          // The loss at w and b, its autograd gradients, and the loss at w ± h·eₖ and b ± h:
          // the grader takes the differences itself.
          let h = 1e-6
          func loss(_ w: Tensor, _ b: Tensor) -> Tensor {
            api.ridgeLoss(x: i.tensor("x"), y: i.tensor("y"), w: w, b: b, lambda: 0.1)
          }
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          loss(w, b).backward()
          var plus: [Double] = []
          var minus: [Double] = []
          let w0 = i.tensor("w").toArray()
          let b0 = i.tensor("b").toArray()
          for k in 0..<(w0.count + 1) {
            for (sign, list) in [(1.0, 0), (-1.0, 1)] {
              var wk = w0
              var bk = b0
              if k < w0.count { wk[k] += sign * h } else { bk[0] += sign * h }
              let value = noGrad {
                loss(Tensor(wk, shape: [w0.count, 1]), Tensor(bk, shape: [1])).item()
              }
              if list == 0 { plus.append(value) } else { minus.append(value) }
            }
          }
          return [
            "dw": .of(w.grad), "db": .of(b.grad), "plus": .numbers(plus),
            "minus": .numbers(minus), "h": .number(h),
          ]
        },
        judge: { c in
          let (_, dw) = try c.tensor("dw")
          let (_, db) = try c.tensor("db")
          guard case .numbers(let plus)? = c.student["plus"],
            case .numbers(let minus)? = c.student["minus"], plus.count == dw.count + db.count,
            minus.count == plus.count
          else { return .invalid("the loss values around w and b are missing") }
          let numeric = zip(plus, minus).map { ($0 - $1) / 2e-6 }
          try JudgeContext.compare(
            shape: [numeric.count], data: dw + db, expectedShape: [numeric.count],
            reference: numeric, tolerance: Tolerances.finiteDifference,
            what: "autograd's gradient of your loss against its central differences",
            hint: "Build the loss from w and b with tensor operations only (no .item() or new "
              + "tensors in between), so backward sees every step.")
          return .pass()
        }),
      CaseSpec(
        "p2.update",
        inputs: { r in
          [
            "w": r.normal([3, 1]), "b": r.normal([1]), "gw": r.normal([3, 1]),
            "gb": r.normal([1]), "lr": .number(Double(r.integer(5...30)) / 100),
          ]
        },
        run: { i in
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          w.grad = i.tensor("gw")
          b.grad = i.tensor("gb")
          api.sgdUpdate([w, b], learningRate: i.number("lr"))
          return ["w": .of(w), "b": .of(b), "wGrad": .of(w.grad), "bGrad": .of(b.grad)]
        },
        judge: { c in
          let hint = "The update is p −= learningRate · p.grad, inside noGrad."
          try c.matches(
            "w", tolerance: Tolerances.sameUpdate, what: "w after the update", hint: hint)
          try c.matches(
            "b", tolerance: Tolerances.sameUpdate, what: "b after the update", hint: hint)
          try c.zeroGradients(["wGrad", "bGrad"], after: "update")
          return .pass()
        }),
      CaseSpec(
        "p2.accumulation",
        inputs: { r in
          let k = r.integer(2...5)
          var values: Values = [
            "k": .number(Double(k)), "w": r.normal([6, 1]), "b": r.normal([1]),
            "lr": .number(0.05), "lambda": .number(0.01),
          ]
          for m in 0..<k {
            values["x\(m)"] = r.normal([24, 6])
            values["y\(m)"] = r.normal([24, 1])
          }
          return values
        },
        run: { i in
          let w = i.tensor("w").requireGrad()
          let b = i.tensor("b").requireGrad()
          let micro = (0..<Int(i.number("k"))).map { m in
            (x: i.tensor("x\(m)"), y: i.tensor("y\(m)"))
          }
          let loss = api.accumulatedStep(
            microBatches: micro, w: w, b: b, lambda: i.number("lambda"),
            learningRate: i.number("lr"))
          return ["w": .of(w), "b": .of(b), "loss": .number(loss), "wGrad": .of(w.grad)]
        },
        judge: { c in
          let hint =
            "Divide each micro-batch loss by the number of micro-batches before backward, and "
            + "update once, after the last one."
          try c.matches(
            "w", tolerance: Tolerances.sameUpdate * 100, what: "w after one accumulated update",
            hint: hint)
          try c.matches(
            "b", tolerance: Tolerances.sameUpdate * 100, what: "b after one accumulated update",
            hint: hint)
          try c.matches(
            "loss", tolerance: Tolerances.float64,
            what: "the returned loss (the mean of the "
              + "micro-batch losses)")
          try c.zeroGradients(["wGrad"], after: "update")
          return .pass()
        }),
      CaseSpec(
        "p2.minibatches",
        inputs: { r in
          let n = r.integer(37...61)
          return [
            "x": r.normal([n, 3]), "y": r.normal([n, 1]), "order": r.permutation(n),
            "batchSize": .number(Double([8, 10, 16][r.integer(0...2)])),
          ]
        },
        run: { i in
          let batches = api.miniBatches(
            x: i.tensor("x"), y: i.tensor("y"), order: i.tensor("order"),
            batchSize: Int(i.number("batchSize")))
          return [
            "sizes": .numbers(batches.map { Double($0.x.shape.first ?? 0) }),
            "x": .numbers(batches.flatMap { $0.x.toArray() }),
            "y": .numbers(batches.flatMap { $0.y.toArray() }),
          ]
        },
        judge: { c in
          guard case .numbers(let sizes)? = c.student["sizes"],
            case .numbers(let expected)? = c.reference["sizes"]
          else { return .invalid("no batches were returned") }
          guard sizes == expected else {
            return .fail(
              "the batch sizes are \(sizes.map { Int($0) }) for N = \(Int(expected.reduce(0, +)))",
              measured: "\(sizes.map { Int($0) })", expected: "\(expected.map { Int($0) })",
              hint: "Every row belongs to exactly one batch; the last batch holds what is left.")
          }
          try c.matches(
            "x", tolerance: 0, what: "the rows of the batches, in order",
            hint: "Take rows in the order `order` gives (x[order[start..<end]]), not 0, 1, 2, …")
          try c.matches("y", tolerance: 0, what: "the targets of the batches")
          return .pass()
        }),
      CaseSpec(
        "p2.training",
        inputs: { r in regression(&r, n: 10_000, d: 50) },
        run: { i in
          let run = api.train(x: i.tensor("x"), y: i.tensor("y"))
          return ["w": .of(run.w), "b": .of(run.b), "loss": .numbers(run.loss)]
        },
        judge: { c in
          // Judged on data the program never saw: the held-out rows and the true w*.
          let (shape, w) = try c.tensor("w")
          let (_, b) = try c.tensor("b")
          let trueW = c.hidden.tensor("_w")
          guard shape == trueW.shape, b.count == 1 else {
            return .fail("w has shape \(shape) where \(trueW.shape) was expected")
          }
          try c.finite(w + b, "the trained parameters")
          let error = zip(w, trueW.toArray()).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
            .squareRoot()
          let xs = c.hidden.tensor("_xHeld")
          let ys = c.hidden.tensor("_yHeld")
          let mse = noGrad {
            (xs.matmul(Tensor(w, shape: shape)) + b[0] - ys).pow(2).mean().item()
          }
          // The bound, or twice the reference's own error on the same data if that is larger
          // (an unlucky draw of the noise). Within the bound the reference need not train.
          let floor = c.threshold ?? 0.02
          var bound = floor
          if !(error <= floor) {
            let (_, referenceW) = try c.expected("w")
            let referenceError = zip(referenceW, trueW.toArray()).map { ($0 - $1) * ($0 - $1) }
              .reduce(0, +).squareRoot()
            bound = Swift.max(floor, 2 * referenceError)
          }
          let note = historyNote(c, x: c.inputs.tensor("x"), y: c.inputs.tensor("y"), w: w, b: b[0])
          guard error <= bound else {
            return .fail(
              "‖w − w*‖ = \(short(error)) after training (held-out MSE \(short(mse)))",
              measured: "‖w − w*‖ = \(short(error))\(note)", expected: "≤ \(short(bound))",
              hint: "Check the update, the learning rate, and that gradients are zeroed after "
                + "each update.")
          }
          return .pass(
            measured: "‖w − w*‖ = \(short(error)), held-out MSE \(short(mse))\(note)",
            expected: "‖w − w*‖ ≤ \(short(bound))")
        }),
      .report { api.report(seed: $0) },
    ]
  }

  /// A diagnostic on the loss history: its last value against the loss the grader computes
  /// from the returned parameters. It never earns points.
  static func historyNote(_ c: JudgeContext, x: Tensor, y: Tensor, w: [Double], b: Double)
    -> String
  {
    guard case .numbers(let history)? = c.student["loss"], let last = history.last else {
      return ""
    }
    let actual = noGrad {
      (x.matmul(Tensor(w, shape: [w.count, 1])) + b - y).pow(2).mean().item()
    }
    let consistent = Swift.abs(last - actual) <= 0.5 * Swift.max(actual, 1e-3) + 0.05
    return consistent
      ? ""
      : "; the last reported loss \(short(last)) does not match the returned parameters' \(short(actual))"
  }
}
