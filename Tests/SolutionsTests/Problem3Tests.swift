import Autograd
import AutogradTestSupport
import Foundation
import Problem3Solution
import Testing

@Suite struct Problem3Tests {
  /// The fixtures come from `torch.sigmoid` and `binary_cross_entropy_with_logits`, whose
  /// gradients are the exact derivatives everywhere, so every point is compared, z = 0 (where
  /// σ′ = 1/4 and ∂BCE/∂z = (1/2 − y)/N) included.
  @Test func sigmoidAndBCEMatchPyTorchIncludingZeroAndExtremes() throws {
    let sig = try Fixtures.named("p3_sigmoid_extremes")
    let z = try sig.input("z").requireGrad()
    #expect(z.toArray().contains(0), "the fixture covers z = 0")
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
      let inputGrad = try c.tensor(c.grads[fromLogits ? "z" : "p"]!).toArray()
      #expect(maxError(input.grad!.toArray(), inputGrad) <= Tolerance.float64Reference)
      #expect(
        maxError(y.grad!.toArray(), try c.tensor(c.grads["y"]!).toArray())
          <= Tolerance.float64Reference)
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

  /// The derivatives at the cut z = 0 (where |z|, relu and a clamp's bound have no single
  /// derivative, so an autograd gradient there depends on how the formula is written) and at
  /// the extremes: against central differences in Float64 and against the closed forms
  /// σ'(z) = σ(z)(1 − σ(z)) and ∂BCE/∂zᵢ = (σ(zᵢ) − yᵢ)/N.
  @Test func gradientsAreExactAtZeroAndAtTheExtremes() {
    let points: [Double] = [-1000, -88, -30, -1, -1e-3, 0, 0, 1e-3, 1, 30, 88, 1000]
    let targets: [Double] = [0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1]
    func sigma(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }

    let z = Tensor(points).requireGrad()
    stableSigmoid(z).sum().backward()
    let sigmoidNumeric = finiteDifferenceGradients(
      of: { stableSigmoid($0[0]).sum() }, at: [Tensor(points)])[0]
    let sigmoidExact = points.map { sigma($0) * (1 - sigma($0)) }
    #expect(maxError(z.grad!.toArray(), sigmoidNumeric) <= Tolerance.finiteDifference)
    #expect(maxError(z.grad!.toArray(), sigmoidExact) <= Tolerance.float64Reference)
    #expect(z.grad!.toArray()[5] == 0.25, "dσ/dz at z = 0")

    let y = Tensor(targets)
    let logits = Tensor(points).requireGrad()
    binaryCrossEntropy(logits: logits, targets: y).backward()
    let bceNumeric = finiteDifferenceGradients(
      of: { binaryCrossEntropy(logits: $0[0], targets: y) }, at: [Tensor(points)])[0]
    let n = Double(points.count)
    let bceExact = zip(points, targets).map { (sigma($0) - $1) / n }
    #expect(maxError(logits.grad!.toArray(), bceNumeric) <= Tolerance.finiteDifference)
    #expect(maxError(logits.grad!.toArray(), bceExact) <= Tolerance.float64Reference)
    // At z = 0: (0.5 − y)/N for y = 0 and y = 1, not −y/N (relu's and |z|'s zero slope).
    #expect(logits.grad!.toArray()[5] == 0.5 / n && logits.grad!.toArray()[6] == -0.5 / n)
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
