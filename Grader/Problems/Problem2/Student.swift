import Autograd
import Courseware
import SubmissionModule

/// The student's functions, called by qualified name in a module the student cannot shadow.
struct Student: API {
  func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor {
    SubmissionModule.ridgeLoss(x: x, y: y, w: w, b: b, lambda: lambda)
  }
  func sgdUpdate(_ parameters: [Tensor], learningRate: Double) {
    SubmissionModule.sgdUpdate(parameters, learningRate: learningRate)
  }
  func accumulatedStep(
    microBatches: [(x: Tensor, y: Tensor)], w: Tensor, b: Tensor, lambda: Double,
    learningRate: Double
  ) -> Double {
    SubmissionModule.accumulatedStep(
      microBatches: microBatches, w: w, b: b, lambda: lambda, learningRate: learningRate)
  }
  func miniBatches(x: Tensor, y: Tensor, order: Tensor, batchSize: Int) -> [(x: Tensor, y: Tensor)]
  {
    SubmissionModule.miniBatches(x: x, y: y, order: order, batchSize: batchSize)
  }
  func train(x: Tensor, y: Tensor) -> (w: Tensor, b: Tensor, loss: [Double]) {
    let run = SubmissionModule.trainRidge(SubmissionModule.RidgeData(x: x, y: y))
    return (run.w, run.b, run.log.loss)
  }
  func report(seed: UInt64) -> Report { SubmissionModule.report(seed: seed) }
}
