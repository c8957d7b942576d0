import Autograd
import Courseware
import GradeProtocol

/// Parameters of a 2→8→1 network made from the seed.
private func network(_ seed: UInt64) -> MLP {
  let p = CaseInputs.network(seed: seed)
  return MLP(w1: p.w1, b1: p.b1, w2: p.w2, b2: p.b2)
}

private func gradients(_ mlp: MLP) -> [String: Value] {
  var values: [String: Value] = [:]
  for (name, p) in zip(["W1", "b1", "W2", "b2"], mlp.parameters) {
    values["d" + name] = p.grad.map(Value.of) ?? .bool(false)
  }
  return values
}

Probe.run([
  "p5.decay-effect": { request in
    let data = makeRegressionData(seed: request.seed)
    var values: [String: Value] = [:]
    for (label, decay) in [("plain", 0.0), ("decayed", 0.01)] {
      let run = trainMLP(
        xTrain: data.xTrain, yTrain: data.yTrain, xVal: data.xVal, yVal: data.yVal,
        config: MLPConfig(epochs: 10, learningRate: 0.1, weightDecay: decay, clip: 1.0))
      values[label] = .number(
        noGrad { (run.mlp.w1 * run.mlp.w1).sum().item() + (run.mlp.w2 * run.mlp.w2).sum().item() })
    }
    return values
  },
  "report": { request in
    let studentReport = report(seed: request.seed)
    var values: [String: Value] = ["json": .text(studentReport.json.text)]
    for (name, svg) in studentReport.svgFiles() { values["svg:" + name] = .text(svg) }
    return values
  },
  "p5.forward": { request in
    let mlp = network(request.seed)
    let out = forward(mlp, CaseInputs.matrix([16, 2], seed: request.seed, scale: 2))
    out.sum().backward()
    return gradients(mlp).merging(["out": .of(out)]) { a, _ in a }
  },
  "p5.loss": { request in
    let mlp = network(request.seed)
    let x = CaseInputs.matrix([16, 2], seed: request.seed, scale: 2)
    let y = CaseInputs.matrix([16, 1], seed: request.seed, salt: 5)
    let loss = regularizedLoss(mlp, x: x, y: y, weightDecay: 0.01)
    loss.backward()
    return gradients(mlp).merging(["loss": .of(loss)]) { a, _ in a }
  },
  "p5.clip": { request in
    var values: [String: Value] = [:]
    for (label, scale) in [("large", 3.0), ("small", 0.01)] {
      let mlp = network(request.seed)
      for (i, p) in mlp.parameters.enumerated() {
        p.grad = CaseInputs.matrix(p.shape, seed: request.seed, scale: scale, salt: 10 + UInt64(i))
      }
      let norm = clipGradNorm(mlp.parameters, maxNorm: 1.0)
      values["norm-\(label)"] = .number(norm)
      for (name, p) in zip(["W1", "b1", "W2", "b2"], mlp.parameters) {
        values["\(label)-\(name)"] = p.grad.map(Value.of) ?? .bool(false)
      }
    }
    return values
  },
  "p5.training": { request in
    let data = makeRegressionData(seed: request.seed)
    let run = trainMLP(
      xTrain: data.xTrain, yTrain: data.yTrain, xVal: data.xVal, yVal: data.yVal,
      config: MLPConfig(learningRate: 0.2, weightDecay: 1e-4, clip: 1.0, cosineSchedule: true))
    return ["valMSE": .numbers(run.valMSE)]
  },
])
