import Autograd
import Courseware
import Foundation
import Problem2Solution
import Problem3Solution
import Problem4Solution
import Problem5Solution
import Testing

/// The comparisons the reports make show the effects their findings state, in numbers.
@Suite struct ReportEffectsTests {
  @Test(arguments: [0, 1, 2] as [UInt64])
  func logisticLearningRateAndL2DifferVisibly(seed: UInt64) throws {
    let (x, y) = makeBlobs(centre: reportBlobs.centre, spread: reportBlobs.spread, seed: seed)
    let slow = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 0.1))
    let fast = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0))
    let fastL2 = trainLogistic(x: x, y: y, config: LogisticConfig(learningRate: 1.0, l2: 0.05))
    let slowEpochs = try #require(epochsToAccuracy(slow, reportAccuracyThreshold))
    let fastEpochs = try #require(epochsToAccuracy(fast, reportAccuracyThreshold))
    // lr 1.0 gets there in well under half the epochs of lr 0.1.
    #expect(2 * fastEpochs < slowEpochs, "epochs to 90 %: \(fastEpochs) vs \(slowEpochs)")
    #expect(fast.log.loss.last! < slow.log.loss.last!)
    // The blobs overlap: neither run is perfect.
    #expect(fast.accuracy.last! < 0.99)
    // L2 turns the boundary's normal by more than 3° (the plot shows it) and shrinks w.
    func degrees(_ r: LogisticRun) -> Double {
      let w = r.w.toArray()
      return atan2(w[1], w[0]) * 180 / Double.pi
    }
    #expect(
      Swift.abs(degrees(fast) - degrees(fastL2)) > 3, "\(degrees(fast)) vs \(degrees(fastL2))")
    #expect(fastL2.w.norm().item() < fast.w.norm().item() / 2)
  }

  @Test func softmaxAccuracyRisesOverTheEpochs() {
    let (x, labels) = makeClusters(spread: reportClusterSpread, seed: 0)
    var config = SoftmaxConfig()
    config.learningRate = Problem4Solution.reportLearningRate
    let run = trainSoftmax(x: x, labels: labels, classes: 5, config: config)
    // A rise of at least two points from epoch 1 to 20, and still climbing at epoch 5.
    #expect(run.accuracy.last! - run.accuracy.first! >= 0.02, "\(run.accuracy)")
    #expect(run.accuracy[9] > run.accuracy[4] && run.accuracy[4] > run.accuracy[0])
    #expect(run.accuracy.last! < 0.9)  // overlapping classes
  }

  @Test func clippingRescuesTheHighRateAndTamesTheModerateOne() throws {
    let report = Problem5Solution.report(seed: 0)
    let runs = try #require(report.json["runs"]?.array)
    func run(_ lr: Double, clipped: Bool, decay: Bool = true) throws -> JSON {
      try #require(
        runs.first {
          $0["lr"]?.number == lr && ($0["clip"] != .null) == clipped
            && ($0["weight_decay"]?.number != 0) == decay
        })
    }
    let (high, moderate) = (Problem5Solution.reportLearningRate, reportModerateLearningRate)
    // The high rate: diverged without clipping (marked with its epoch), converged with it.
    #expect(try run(high, clipped: false)["diverged_at_epoch"]?.number != nil)
    #expect(try run(high, clipped: true)["final_val_mse"]?.number ?? 1 <= 0.02)
    // The moderate rate: converges without clipping, with a spike larger than clipping allows.
    let free = try run(moderate, clipped: false)
    let clipped = try run(moderate, clipped: true)
    #expect(free["diverged_at_epoch"] == .null)
    #expect((free["final_val_mse"]?.number ?? 1) < 0.05)
    let freeRise = try #require(free["largest_train_mse_rise"]?.number)
    let clippedRise = try #require(clipped["largest_train_mse_rise"]?.number)
    #expect(freeRise > 1.5 && clippedRise < freeRise, "\(freeRise) vs \(clippedRise)")
  }

  @Test func spikeMeasuresMatchHandCounts() {
    // Rises: ×2 at epoch 3 and ×1.05 at epoch 5; only the first is over 10 %.
    let values = [1.0, 0.5, 1.0, 0.8, 0.84, .nan, 100]
    #expect(largestRise(values).ratio == 2 && largestRise(values).epoch == 3)
    #expect(spikeCount(values) == 1)
    #expect(largestRise([3, 2, 1]).ratio == 1)
  }

  @Test func fullBatchGradientDescentLagsTheMiniBatchRuns() throws {
    let report = Problem2Solution.report(seed: 0)
    let runs = try #require(report.json["runs"]?.array)
    let losses = runs.compactMap { $0["loss_history"]?.array?.last?.number }
    #expect(losses.count == 3)
    // Accumulation and the true batch: the same updates, so the same loss to 1 %.
    #expect(Swift.abs(losses[0] - losses[1]) / losses[1] < 0.01)
    // One update per epoch instead of five: ten times the loss or more after 20 epochs.
    #expect(losses[2] > 10 * losses[0], "\(losses)")
  }
}
