import Autograd
import Courseware
import Foundation
import GradeProtocol

Probe.run([
  "p1.properties": { request in
    let x = CaseInputs.matrix([40, 6], seed: request.seed, scale: 3, shift: 1)
    return ["standardized": .of(standardize(x)), "similarity": .of(cosineSimilarity(x))]
  },
  "p1.speed": { request in
    var g = Generator(seed: request.seed)
    let x = Tensor.randn([4000, 256], requiresGrad: true, generator: &g)
    // One timed run: the budget is generous, and grading time counts.
    let start = Date()
    similarityLoss(x).backward()
    let best = Date().timeIntervalSince(start)
    return ["seconds": .number(best)]
  },
  "report": { request in
    let studentReport = report(seed: request.seed, n: 400, d: 32)
    var values: [String: Value] = ["json": .text(studentReport.json.text)]
    for (name, svg) in studentReport.svgFiles() { values["svg:" + name] = .text(svg) }
    return values
  },
  "p1.standardize": { request in
    ["out": .of(standardize(CaseInputs.matrix([40, 6], seed: request.seed, scale: 3, shift: 1)))]
  },
  "p1.cosine": { request in
    ["out": .of(cosineSimilarity(CaseInputs.matrix([30, 5], seed: request.seed)))]
  },
  "p1.upper-mean": { request in
    ["out": .of(upperTriangularMean(CaseInputs.matrix([7, 7], seed: request.seed, scale: 5)))]
  },
  "p1.gradient": { request in
    let x = CaseInputs.matrix([12, 5], seed: request.seed).requireGrad()
    let check = backwardAndCheck(x)
    var values: [String: Value] = [
      "exists": .bool(check.exists), "shape": .numbers(check.shape.map(Double.init)),
      "allZero": .bool(check.allZero),
    ]
    if let grad = x.grad { values["grad"] = .of(grad) }
    return values
  },
])
