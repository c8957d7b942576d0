import Autograd
import AutogradTestSupport
import Foundation
import Problem5Solution
import Testing

@Suite struct Problem5Tests {
  private func mlp(_ c: FixtureCase) throws -> MLP {
    try MLP(w1: c.input("W1"), b1: c.input("b1"), w2: c.input("W2"), b2: c.input("b2"))
  }

  @Test func forwardAndLossMatchPyTorch() throws {
    let f = try Fixtures.named("p5_forward")
    let net = try mlp(f)
    let x = try f.input("X").requireGrad()
    let out = forward(net, x)
    #expect(
      maxError(out.toArray(), try f.tensor(f.output!).toArray()) <= Tolerance.float64Reference)
    (out * (try f.tensor(f.upstream!))).sum().backward()
    for (name, t) in [("X", x), ("W1", net.w1), ("b1", net.b1), ("W2", net.w2), ("b2", net.b2)] {
      #expect(
        maxError(t.grad!.toArray(), try f.tensor(f.grads[name]!).toArray())
          <= Tolerance.float64Reference, "forward grad \(name)")
    }

    let l = try Fixtures.named("p5_loss")
    let net2 = try mlp(l)
    let loss = regularizedLoss(
      net2, x: try l.input("X"), y: try l.input("y"), weightDecay: l.attrs["lambda"]!.number!)
    #expect(mixedError(loss.item(), try l.tensor(l.output!).item()) <= Tolerance.float64Reference)
    (loss * (try l.tensor(l.upstream!))).backward()
    for (name, t) in [("W1", net2.w1), ("b1", net2.b1), ("W2", net2.w2), ("b2", net2.b2)] {
      #expect(
        maxError(t.grad!.toArray(), try l.tensor(l.grads[name]!).toArray())
          <= Tolerance.float64Reference, "loss grad \(name)")
    }
  }

  @Test func clippingMatchesPyTorchGlobalNorm() throws {
    let c = try Fixtures.named("p5_clip_global_norm")
    let names = ["W1", "b1", "W2", "b2"]
    // The inputs are the gradients before clipping; the outputs after.
    let params = try names.map { name -> Tensor in
      let g = try c.input(name)
      let p = Tensor.zeros(like: g, requiresGrad: true)
      p.grad = g
      return p
    }
    let total = clipGradNorm(params, maxNorm: 1.0)
    #expect(mixedError(total, c.attrs["total_norm"]!.number!) <= 1e-12)
    let manifestOutputs = try clippedFixtureOutputs()
    for (p, name) in zip(params, names) {
      #expect(
        maxError(p.grad!.toArray(), try c.tensor(manifestOutputs[name]!).toArray()) <= 1e-12,
        "\(name)")
    }
  }

  @Test func clippingBelowTheLimitChangesNothingAndAboveKeepsDirection() {
    let small = Tensor.zeros([2], dtype: .float64, requiresGrad: true)
    small.grad = Tensor([0.3, 0.4] as [Double])  // norm 0.5
    clipGradNorm([small], maxNorm: 1.0)
    #expect(small.grad!.toArray() == [0.3, 0.4])
    // Two tensors of norms 3 and 4: global norm 5, so both scale by 1/5 (per-tensor
    // clipping would give norms 1 and 1 instead).
    let a = Tensor.zeros([1], dtype: .float64, requiresGrad: true)
    let b = Tensor.zeros([1], dtype: .float64, requiresGrad: true)
    a.grad = Tensor([3] as [Double])
    b.grad = Tensor([-4] as [Double])
    #expect(clipGradNorm([a, b], maxNorm: 1.0) == 5)
    #expect(Swift.abs(a.grad!.item() - 0.6) < 1e-6 && Swift.abs(b.grad!.item() + 0.8) < 1e-6)
  }

  @Test func weightDecayCoversTheWeightsButNotTheBiases() {
    let zero = Tensor.zeros([1, 2], dtype: .float64)
    let net = MLP(
      w1: Tensor.zeros([2, 2], dtype: .float64), b1: Tensor([5, 5] as [Double]),
      w2: Tensor([[1], [2]] as [[Double]]).reshape([2, 1]), b2: Tensor([0] as [Double]))
    // Hidden units are relu(b1) = 5, output 5·1 + 5·2 = 15 = y: the MSE is 0, so the loss
    // is λ(‖W1‖² + ‖W2‖²) = 0.1 · 5, with nothing from the biases.
    let loss = regularizedLoss(net, x: zero, y: Tensor([[15]] as [[Double]]), weightDecay: 0.1)
    #expect(Swift.abs(loss.item() - 0.5) < 1e-15)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func validationMSEWithClippingAndWeightDecay(seed: UInt64) {
    let data = makeRegressionData(seed: seed)
    let run = trainMLP(
      xTrain: data.xTrain, yTrain: data.yTrain, xVal: data.xVal, yVal: data.yVal,
      config: MLPConfig(
        learningRate: reportLearningRate, weightDecay: 1e-4, clip: 1.0, cosineSchedule: true,
        seed: seed + 1))
    #expect(run.valMSE.last! <= 0.02, "validation MSE \(run.valMSE.last!)")
    #expect(run.trainMSE.count == 100 && run.valMSE.count == 100)
  }
}

/// The `outputs` map of the clipping fixture (not part of FixtureCase's common fields).
private func clippedFixtureOutputs() throws -> [String: String] {
  let url = Fixtures.folder.appendingPathComponent("manifest.json")
  let data = try Data(contentsOf: url)
  let root = try JSONSerialization.jsonObject(with: data) as? [String: Any]
  let cases = root?["cases"] as? [[String: Any]] ?? []
  let c = cases.first { $0["name"] as? String == "p5_clip_global_norm" }
  return c?["outputs"] as? [String: String] ?? [:]
}
