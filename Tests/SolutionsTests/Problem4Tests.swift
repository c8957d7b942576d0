import Autograd
import AutogradTestSupport
import Problem4Solution
import Testing

@Suite struct Problem4Tests {
  @Test func softmaxAndCrossEntropyMatchPyTorch() throws {
    let sm = try Fixtures.named("p4_softmax_large_logits")
    let logits = try sm.input("logits").requireGrad()
    let p = softmax(logits)
    #expect(
      maxError(p.toArray(), try sm.tensor(sm.output!).toArray()) <= Tolerance.float64Reference)
    (p * (try sm.tensor(sm.upstream!))).sum().backward()
    #expect(
      maxError(logits.grad!.toArray(), try sm.tensor(sm.grads["logits"]!).toArray())
        <= Tolerance.float64Reference)

    let ce = try Fixtures.named("p4_cross_entropy")
    let z = try ce.input("logits").requireGrad()
    let loss = crossEntropy(logits: z, labels: try ce.input("y"))
    #expect(mixedError(loss.item(), try ce.tensor(ce.output!).item()) <= Tolerance.float64Reference)
    (loss * (try ce.tensor(ce.upstream!))).backward()
    #expect(
      maxError(z.grad!.toArray(), try ce.tensor(ce.grads["logits"]!).toArray())
        <= Tolerance.float64Reference)

    let lin = try Fixtures.named("p4_linear_ce")
    let (x, w, b) = try (
      lin.input("X").requireGrad(), lin.input("W").requireGrad(), lin.input("b").requireGrad()
    )
    let linear = crossEntropy(logits: x.matmul(w) + b, labels: try lin.input("y"))
    #expect(
      mixedError(linear.item(), try lin.tensor(lin.output!).item()) <= Tolerance.float64Reference)
    (linear * (try lin.tensor(lin.upstream!))).backward()
    for (name, t) in [("X", x), ("W", w), ("b", b)] {
      #expect(
        maxError(t.grad!.toArray(), try lin.tensor(lin.grads[name]!).toArray())
          <= Tolerance.float64Reference, "\(name)")
    }
  }

  @Test func numericalGradientIsCentralAndExactForAQuadratic() {
    // f(θ) = Σ θ³: a central difference has error ε² per element (one-sided: 3θε).
    let theta = Tensor([0.5, -1.5, 2] as [Double])
    let numeric = numericalGradient(
      of: { (theta * theta * theta).sum() }, parameter: theta, epsilon: 1e-3)
    let exact = theta.toArray().map { 3 * $0 * $0 }
    #expect(maxError(numeric.toArray(), exact) <= 2e-6)
    #expect(theta.toArray() == [0.5, -1.5, 2])  // restored
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func trainingAccuracyAndGradientCheck(seed: UInt64) {
    let (x, labels) = makeClusters(seed: seed)
    let run = trainSoftmax(x: x, labels: labels, classes: 5)
    #expect(run.accuracy.last! >= 0.95, "accuracy \(run.accuracy.last!)")
    let error = gradientCheck(x: x[0..<64], labels: labels[0..<64], w: run.w, b: run.b)
    #expect(error <= 1e-6, "max relative error \(error)")
  }

  @Test func relativeErrorIsZeroForEqualGradientsAndCatchesAWrongOne() {
    let a = Tensor([1, -2, 0] as [Double])
    #expect(maxRelativeError(a, a) == 0)
    #expect(maxRelativeError(a, Tensor([1, -2.2, 0] as [Double])) > 0.04)
  }

  @Test func reportHasTheFiguresTheToolPrints() {
    let report = report(seed: 0)
    #expect(report.json["max_relative_error"]?.number != nil)
    #expect(report.json["train_accuracy"]?.number != nil)
  }
}
