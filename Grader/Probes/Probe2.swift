import Autograd
import Courseware
import GradeProtocol

Probe.run([
  "p2.gradient-fd": { request in
    let x = CaseInputs.matrix([16, 4], seed: request.seed)
    let y = CaseInputs.matrix([16, 1], seed: request.seed, salt: 1)
    let w = CaseInputs.matrix([4, 1], seed: request.seed, salt: 2).requireGrad()
    let b = CaseInputs.matrix([1], seed: request.seed, salt: 3).requireGrad()
    ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.1).backward()
    let numeric = FiniteDifferences.gradients(
      of: { ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.1) }, at: [w, b])
    return [
      "dw": w.grad.map(Value.of) ?? .bool(false), "db": b.grad.map(Value.of) ?? .bool(false),
      "numeric-dw": .of(numeric[0]), "numeric-db": .of(numeric[1]),
    ]
  },
  "p2.update": { request in
    let w = CaseInputs.matrix([3, 1], seed: request.seed).requireGrad()
    let b = CaseInputs.matrix([1], seed: request.seed, salt: 1).requireGrad()
    w.grad = CaseInputs.matrix([3, 1], seed: request.seed, salt: 2)
    b.grad = CaseInputs.matrix([1], seed: request.seed, salt: 3)
    sgdUpdate([w, b], learningRate: 0.1)
    return [
      "w": .of(w), "b": .of(b), "wGradAfter": w.grad.map(Value.of) ?? .bool(false),
      "bGradAfter": b.grad.map(Value.of) ?? .bool(false),
    ]
  },
  "report": { request in
    let studentReport = report(seed: request.seed)
    var values: [String: Value] = ["json": .text(studentReport.json.text)]
    for (name, svg) in studentReport.svgFiles() { values["svg:" + name] = .text(svg) }
    return values
  },
  "p2.loss": { request in
    let x = CaseInputs.matrix([32, 5], seed: request.seed).requireGrad()
    let y = CaseInputs.matrix([32, 1], seed: request.seed, salt: 1).requireGrad()
    let w = CaseInputs.matrix([5, 1], seed: request.seed, salt: 2).requireGrad()
    let b = CaseInputs.matrix([1], seed: request.seed, salt: 3).requireGrad()
    let loss = ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.01)
    loss.backward()
    return [
      "loss": .of(loss), "dx": x.grad.map(Value.of) ?? .bool(false),
      "dw": w.grad.map(Value.of) ?? .bool(false), "db": b.grad.map(Value.of) ?? .bool(false),
    ]
  },
  "p2.accumulation": { request in
    let data = makeRidgeData(n: 2048, d: 10, dtype: .float64, seed: request.seed)
    let w = CaseInputs.matrix([10, 1], seed: request.seed, salt: 4).requireGrad()
    let b = Tensor([0.3] as [Double]).requireGrad()
    let micro = (0..<4).map { i in
      (x: data.x[(i * 512)..<((i + 1) * 512)], y: data.y[(i * 512)..<((i + 1) * 512)])
    }
    accumulatedStep(microBatches: micro, w: w, b: b, lambda: 1e-3, learningRate: 0.05)
    return [
      "w": .of(w), "b": .of(b), "wGradAfter": w.grad.map(Value.of) ?? .bool(false),
    ]
  },
  "p2.training": { request in
    let run = trainRidge(makeRidgeData(seed: request.seed))
    return ["w": .of(run.w), "epochs": .number(Double(run.log.loss.count))]
  },
])
