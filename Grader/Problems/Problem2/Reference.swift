import Autograd
import Courseware
import Problem2Solution

/// The reference solution, with any function replaceable by a known mistake.
struct Reference: API {
  var lossBy: ((Tensor, Tensor, Tensor, Tensor, Double) -> Tensor)?
  var updateBy: (([Tensor], Double) -> Void)?
  var accumulateBy: (([(x: Tensor, y: Tensor)], Tensor, Tensor, Double, Double) -> Double)?
  var batchesBy: ((Tensor, Tensor, Tensor, Int) -> [(x: Tensor, y: Tensor)])?

  func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor {
    lossBy?(x, y, w, b, lambda)
      ?? Problem2Solution.ridgeLoss(x: x, y: y, w: w, b: b, lambda: lambda)
  }
  func sgdUpdate(_ parameters: [Tensor], learningRate: Double) {
    if let updateBy { return updateBy(parameters, learningRate) }
    Problem2Solution.sgdUpdate(parameters, learningRate: learningRate)
  }
  func accumulatedStep(
    microBatches: [(x: Tensor, y: Tensor)], w: Tensor, b: Tensor, lambda: Double,
    learningRate: Double
  ) -> Double {
    if let accumulateBy { return accumulateBy(microBatches, w, b, lambda, learningRate) }
    return accumulate(microBatches, w: w, b: b, lambda: lambda, learningRate: learningRate)
  }

  /// Gradient accumulation through this API's loss and update, with the knobs that typical
  /// mistakes turn: what each micro-batch loss is divided by before backward (`divisor`: the
  /// number of micro-batches when right), what each counts for in the returned total
  /// (`reported`: the same), gradients zeroed before each backward, and the update run after
  /// each micro-batch instead of once.
  func accumulate(
    _ microBatches: [(x: Tensor, y: Tensor)], w: Tensor, b: Tensor, lambda: Double,
    learningRate: Double, divisor: ((count: Int, rows: Int)) -> Double = { Double($0.count) },
    reported: ((count: Int, rows: Int)) -> Double = { Double($0.count) },
    zeroingEach: Bool = false, updatingEach: Bool = false
  ) -> Double {
    var total = 0.0
    for batch in microBatches {
      let sizes = (count: microBatches.count, rows: batch.x.shape[0])
      if zeroingEach {
        w.zeroGrad()
        b.zeroGrad()
      }
      let loss = ridgeLoss(x: batch.x, y: batch.y, w: w, b: b, lambda: lambda)
      (loss / divisor(sizes)).backward()
      total += loss.item() / reported(sizes)
      if updatingEach { sgdUpdate([w, b], learningRate: learningRate) }
    }
    if !updatingEach { sgdUpdate([w, b], learningRate: learningRate) }
    return total
  }
  func miniBatches(x: Tensor, y: Tensor, order: Tensor, batchSize: Int) -> [(x: Tensor, y: Tensor)]
  {
    batchesBy?(x, y, order, batchSize)
      ?? Problem2Solution.miniBatches(x: x, y: y, order: order, batchSize: batchSize)
  }
  func train(x: Tensor, y: Tensor) -> (w: Tensor, b: Tensor, loss: [Double]) {
    let run = Problem2Solution.trainRidge(Problem2Solution.RidgeData(x: x, y: y))
    return (run.w, run.b, run.log.loss)
  }
  func report(seed: UInt64) -> Report { Problem2Solution.report(seed: seed) }
}
