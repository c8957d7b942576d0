import Autograd
import AutogradTestSupport
import Problem3Solution
import Testing

@Suite struct Problem3Tests {
  @Test func sigmoidAndBCEMatchPyTorchIncludingExtremes() throws {
    let sig = try Fixtures.named("p3_sigmoid_extremes")
    let z = try sig.input("z").requireGrad()
    let s = stableSigmoid(z)
    #expect(
      maxError(s.toArray(), try sig.tensor(sig.output!).toArray()) <= Tolerance.float64Reference)
    (s * (try sig.tensor(sig.upstream!))).sum().backward()
    #expect(
      maxError(z.grad!.toArray(), try sig.tensor(sig.grads["z"]!).toArray())
        <= Tolerance.float64Reference)

    for (name, fromLogits) in [("p3_bce_from_logits_extremes", true), ("p3_bce_from_probs", false)]
    {
      let c = try Fixtures.named(name)
      let input = try c.input(fromLogits ? "z" : "p").requireGrad()
      let y = try c.input("y").requireGrad()
      let loss =
        fromLogits
        ? binaryCrossEntropy(logits: input, targets: y)
        : binaryCrossEntropy(probabilities: input, targets: y)
      #expect(mixedError(loss.item(), try c.tensor(c.output!).item()) <= Tolerance.float64Reference)
      (loss * (try c.tensor(c.upstream!))).backward()
      let inputGrad = try c.tensor(c.grads[fromLogits ? "z" : "p"]!)
      #expect(maxError(input.grad!.toArray(), inputGrad.toArray()) <= Tolerance.float64Reference)
      #expect(maxError(y.grad!.toArray(), try c.tensor(c.grads["y"]!).toArray()) <= 1e-10)
    }
  }

  @Test func float32SigmoidIsFiniteAtTheExtremes() {
    let z = Tensor([-1000, -88, 0, 88, 1000] as [Float], requiresGrad: true)
    let s = stableSigmoid(z)
    #expect(s.toArray().allSatisfy { $0.isFinite })
    s.sum().backward()
    #expect(z.grad!.toArray().allSatisfy { $0.isFinite })
    #expect(s.toArray()[2] == 0.5)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func accuracyReachesNinetyNinePercentAtBothLearningRates(seed: UInt64) {
    let (x, y) = makeBlobs(seed: seed)
    for lr in [0.1, 1.0] {
      let run = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: lr))
      #expect(run.accuracy.count == 200)
      #expect(run.accuracy.last! >= 0.99, "lr \(lr): accuracy \(run.accuracy.last!)")
    }
  }

  @Test func l2ShrinksTheWeights() {
    let (x, y) = makeBlobs(seed: 0)
    let plain = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0))
    let decayed = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0, l2: 0.05))
    #expect(decayed.w.norm().item() < plain.w.norm().item())
  }

  @Test func blobsAreBalancedAndCentred() {
    let (x, y) = makeBlobs(n: 3000, dtype: .float64, seed: 3)
    #expect(x.shape == [3000, 2] && y.shape == [3000, 1])
    #expect(y.sum().item() == 1500)
    // Class means are near (2, 2) and (−2, −2): standard error 1/√1500 ≈ 0.026 per coordinate.
    let ones = x[(y .== 1).squeeze(1)].mean(dim: 0).toArray()
    let zeros = x[(y .== 0).squeeze(1)].mean(dim: 0).toArray()
    #expect(ones.allSatisfy { Swift.abs($0 - 2) < 0.15 })
    #expect(zeros.allSatisfy { Swift.abs($0 + 2) < 0.15 })
  }

  @Test func reportHasOneRunPerSetting() {
    let report = report(seed: 0)
    let runs = report.json["runs"]?.array ?? []
    #expect(runs.count == 4)
    for run in runs {
      for key in ["lr", "l2", "final_accuracy", "accuracy_history"] {
        #expect(run[key] != nil, "missing \(key)")
      }
      #expect(run["accuracy_history"]?.array?.count == 200)
    }
    #expect(report.boundaries.first?.boundaries.count == 4)
  }
}
