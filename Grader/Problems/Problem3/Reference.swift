import Autograd
import Courseware
import Problem3Solution

/// The reference solution, with any function replaceable by a known mistake.
struct Reference: API {
  var sigmoidBy: ((Tensor) -> Tensor)?
  var probabilitiesBy: ((Tensor, Tensor) -> Tensor)?
  var logitsBy: ((Tensor, Tensor) -> Tensor)?
  var accuracyBy: ((Tensor, Tensor) -> Double)?
  var stepBy: ((Tensor, Tensor, Tensor, Tensor, Double, Double) -> Double)?

  func stableSigmoid(_ z: Tensor) -> Tensor {
    sigmoidBy?(z) ?? Problem3Solution.stableSigmoid(z)
  }
  func bce(probabilities p: Tensor, targets y: Tensor) -> Tensor {
    probabilitiesBy?(p, y) ?? Problem3Solution.binaryCrossEntropy(probabilities: p, targets: y)
  }
  func bce(logits z: Tensor, targets y: Tensor) -> Tensor {
    logitsBy?(z, y) ?? Problem3Solution.binaryCrossEntropy(logits: z, targets: y)
  }
  func accuracy(logits z: Tensor, targets y: Tensor) -> Double {
    accuracyBy?(z, y) ?? Problem3Solution.accuracy(logits: z, targets: y)
  }
  func gradientStep(
    x: Tensor, y: Tensor, w: Tensor, b: Tensor, learningRate: Double, l2: Double
  ) -> Double {
    if let stepBy { return stepBy(x, y, w, b, learningRate, l2) }
    return Problem3Solution.gradientStep(
      x: x, y: y, w: w, b: b, learningRate: learningRate, l2: l2)
  }
  func train(x: Tensor, y: Tensor, learningRate: Double, l2: Double) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  ) {
    let run = Problem3Solution.trainLogistic(
      x: x, y: y, config: LogisticConfig(learningRate: learningRate, l2: l2))
    return (run.w, run.b, run.accuracy, run.log.loss)
  }
  func report(seed: UInt64) -> Report { Problem3Solution.report(seed: seed) }
}
