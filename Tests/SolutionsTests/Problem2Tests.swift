import Autograd
import AutogradTestSupport
import Courseware
import Problem2Solution
import Testing

@Suite struct Problem2Tests {
  @Test func ridgeLossAndGradientsMatchPyTorch() throws {
    let c = try Fixtures.named("p2_ridge_loss")
    let (x, y, w, b) = try (
      c.input("X").requireGrad(), c.input("y").requireGrad(), c.input("w").requireGrad(),
      c.input("b").requireGrad()
    )
    let loss = ridgeLoss(x: x, y: y, w: w, b: b, lambda: c.attrs["lambda"]!.number!)
    #expect(mixedError(loss.item(), try c.tensor(c.output!).item()) <= Tolerance.float64Reference)
    (loss * (try c.tensor(c.upstream!))).backward()
    for (name, t) in [("X", x), ("y", y), ("w", w), ("b", b)] {
      let expected = try c.tensor(c.grads[name]!)
      #expect(
        maxError(t.grad!.toArray(), expected.toArray()) <= Tolerance.float64Reference, "\(name)")
    }
  }

  @Test func penaltyCoversWOnlyNotTheBias() {
    // With X = 0 and y = b the data term is 0: the loss is λ‖w‖² alone, and b gets no penalty.
    let x = Tensor.zeros([4, 2], dtype: .float64)
    let w = Tensor([3, 4] as [Double], shape: [2, 1])
    let b = Tensor([10] as [Double])
    let loss = ridgeLoss(
      x: x, y: Tensor.full([4, 1], 10, dtype: .float64), w: w, b: b, lambda: 0.5)
    #expect(loss.item() == 12.5)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func oneAccumulatedUpdateEqualsOneFullBatchUpdate(seed: UInt64) {
    let data = makeRidgeData(n: 2048, d: 10, dtype: .float64, seed: seed)
    var g = Generator(seed: seed)
    let start = Tensor.randn([10, 1], dtype: .float64, generator: &g)
    let (w1, b1) = (start.clone().requireGrad(), Tensor([0.3] as [Double]).requireGrad())
    let (w2, b2) = (start.clone().requireGrad(), Tensor([0.3] as [Double]).requireGrad())
    let micro = (0..<4).map { i in
      (x: data.x[(i * 512)..<((i + 1) * 512)], y: data.y[(i * 512)..<((i + 1) * 512)])
    }
    accumulatedStep(microBatches: micro, w: w1, b: b1, lambda: 1e-3, learningRate: 0.05)
    ridgeLoss(x: data.x, y: data.y, w: w2, b: b2, lambda: 1e-3).backward()
    sgdUpdate([w2, b2], learningRate: 0.05)
    #expect(maxError(w1.toArray(), w2.toArray()) <= 1e-10)
    #expect(maxError(b1.toArray(), b2.toArray()) <= 1e-10)
    // Gradients are zeroed after the update.
    #expect(w1.grad!.toArray().allSatisfy { $0 == 0 })
    #expect(b1.grad!.toArray().allSatisfy { $0 == 0 })
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func trainingRecoversTheTrueWeights(seed: UInt64) {
    let problem = makeRidgeProblem(seed: seed)
    let run = trainRidge(problem.data)
    #expect(run.wError(problem) <= 0.02, "‖w − w*‖ = \(run.wError(problem))")
    #expect(run.log.loss.count == 20)
    #expect(run.log.gradientNorm.count == 20 && run.log.weightNorm.count == 20)
  }

  @Test func miniBatchesCoverEveryRowOnceInOrder() {
    let x = Tensor((0..<10).map(Double.init), shape: [10, 1])
    let order = Tensor([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
    let batches = miniBatches(x: x, y: x, order: order, batchSize: 4)
    #expect(batches.map { $0.x.shape[0] } == [4, 4, 2])
    #expect(batches.flatMap { $0.x.toArray() } == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  }

  @Test func reportHasTheFiguresTheToolPrints() {
    let report = report(seed: 0)
    for key in ["w_error", "full_batch_w_error", "loss_history"] {
      #expect(report.json[key] != nil, "missing \(key)")
    }
    #expect(report.json["loss_history"]?.array?.count == 20)
  }
}
