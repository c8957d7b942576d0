import Autograd
import Courseware
import SubmissionModule

/// The student's functions, called by qualified name in a module the student cannot shadow.
struct Student: API {
  func stableSigmoid(_ z: Tensor) -> Tensor { SubmissionModule.stableSigmoid(z) }
  func bce(probabilities p: Tensor, targets y: Tensor) -> Tensor {
    SubmissionModule.binaryCrossEntropy(probabilities: p, targets: y)
  }
  func bce(logits z: Tensor, targets y: Tensor) -> Tensor {
    SubmissionModule.binaryCrossEntropy(logits: z, targets: y)
  }
  func accuracy(logits z: Tensor, targets y: Tensor) -> Double {
    SubmissionModule.accuracy(logits: z, targets: y)
  }
  func gradientStep(
    x: Tensor, y: Tensor, w: Tensor, b: Tensor, learningRate: Double, l2: Double
  ) -> Double {
    SubmissionModule.gradientStep(x: x, y: y, w: w, b: b, learningRate: learningRate, l2: l2)
  }
  func train(x: Tensor, y: Tensor, learningRate: Double, l2: Double) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  ) {
    let run = SubmissionModule.trainLogistic(
      x: x, y: y, config: SubmissionModule.LogisticConfig(learningRate: learningRate, l2: l2))
    return (run.w, run.b, run.accuracy, run.log.loss)
  }
  func report(seed: UInt64) -> Report { SubmissionModule.report(seed: seed) }
}
