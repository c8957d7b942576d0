import Autograd
import Courseware
import GradeProtocol

Probe.run([
  "p3.bce-extremes": { _ in
    let z = Tensor(CaseInputs.extremeLogits).requireGrad()
    let y = Tensor([0, 1, 0, 1, 0, 1, 0, 1, 0] as [Double])
    let loss = binaryCrossEntropy(logits: z, targets: y)
    loss.backward()
    return ["loss": .of(loss), "dz": z.grad.map(Value.of) ?? .bool(false)]
  },
  "p3.l2": { request in
    let (x, y) = makeBlobs(seed: request.seed)
    let plain = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0))
    let decayed = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0, l2: 0.05))
    return [
      "plain": .number(noGrad { plain.w.norm().item() }),
      "decayed": .number(noGrad { decayed.w.norm().item() }),
    ]
  },
  "report": { request in
    let studentReport = report(seed: request.seed)
    var values: [String: Value] = ["json": .text(studentReport.json.text)]
    for (name, svg) in studentReport.svgFiles() { values["svg:" + name] = .text(svg) }
    return values
  },
  "p3.sigmoid-extremes": { _ in
    var values: [String: Value] = [:]
    for dtype in [DType.float32, .float64] {
      let z = Tensor(CaseInputs.extremeLogits).to(dtype).requireGrad()
      let s = stableSigmoid(z)
      s.sum().backward()
      values["sigmoid-\(dtype)"] = .of(s)
      values["grad-\(dtype)"] = z.grad.map(Value.of) ?? .bool(false)
    }
    return values
  },
  "p3.bce": { request in
    let z = (CaseInputs.matrix([20], seed: request.seed, scale: 4)).requireGrad()
    let y = (CaseInputs.matrix([20], seed: request.seed, salt: 1) .> 0).to(.float64)
    let fromLogits = binaryCrossEntropy(logits: z, targets: y)
    fromLogits.backward()
    let p = (CaseInputs.matrix([20], seed: request.seed, salt: 2) * 0.4 + 0.5).clamp(
      min: 0.01, max: 0.99
    ).requireGrad()
    let fromProbabilities = binaryCrossEntropy(probabilities: p, targets: y)
    fromProbabilities.backward()
    return [
      "logits": .of(fromLogits), "dz": z.grad.map(Value.of) ?? .bool(false),
      "probabilities": .of(fromProbabilities), "dp": p.grad.map(Value.of) ?? .bool(false),
    ]
  },
  "p3.training": { request in
    let (x, y) = makeBlobs(seed: request.seed)
    var values: [String: Value] = [:]
    for lr in [0.1, 1.0] {
      let run = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: lr))
      values["accuracy-\(lr)"] = .numbers(run.accuracy)
    }
    return values
  },
])
