import Autograd
import Courseware
import GradeProtocol

Probe.run([
  "p4.shift-invariance": { request in
    let z = CaseInputs.matrix([6, 4], seed: request.seed, scale: 3)
    return ["plain": .of(softmax(z)), "shifted": .of(softmax(z + 7))]
  },
  "report": { request in
    let studentReport = report(seed: request.seed)
    var values: [String: Value] = ["json": .text(studentReport.json.text)]
    for (name, svg) in studentReport.svgFiles() { values["svg:" + name] = .text(svg) }
    return values
  },
  "p4.softmax": { request in
    let logits = CaseInputs.matrix([8, 5], seed: request.seed) + 1000
    return ["out": .of(softmax(logits))]
  },
  "p4.cross-entropy": { request in
    let logits = (CaseInputs.matrix([16, 4], seed: request.seed, scale: 3)).requireGrad()
    let labels = CaseInputs.labels(16, classes: 4, seed: request.seed)
    let loss = crossEntropy(logits: logits, labels: labels)
    loss.backward()
    return ["loss": .of(loss), "grad": logits.grad.map(Value.of) ?? .bool(false)]
  },
  "p4.numerical-gradient": { request in
    let theta = CaseInputs.matrix([3, 4], seed: request.seed)
    let numeric = numericalGradient(of: { (theta * theta * theta).sum() }, parameter: theta)
    let phi = CaseInputs.matrix([5], seed: request.seed, salt: 1)
    let second = numericalGradient(of: { (phi.sin() * phi).sum() }, parameter: phi)
    return ["numeric": .of(numeric), "thetaAfter": .of(theta), "second": .of(second)]
  },
  "p4.training": { request in
    let (x, labels) = makeClusters(seed: request.seed)
    let run = trainSoftmax(x: x, labels: labels, classes: 5)
    let error = gradientCheck(x: x[0..<64], labels: labels[0..<64], w: run.w, b: run.b)
    return [
      "accuracy": .numbers(run.accuracy), "maxRelativeError": .number(error),
    ]
  },
])
