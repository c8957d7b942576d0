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
    // The reference's accumulation, through this API's loss and update.
    var total = 0.0
    for batch in microBatches {
      let loss =
        ridgeLoss(x: batch.x, y: batch.y, w: w, b: b, lambda: lambda) / Double(microBatches.count)
      loss.backward()
      total += loss.item()
    }
    sgdUpdate([w, b], learningRate: learningRate)
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
