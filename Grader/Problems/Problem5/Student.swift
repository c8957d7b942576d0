import Autograd
import Courseware
import SubmissionModule

/// The student's functions, called by qualified name in a module the student cannot shadow.
struct Student: API {
  func mlp(_ n: Network) -> SubmissionModule.MLP {
    SubmissionModule.MLP(w1: n.w1, b1: n.b1, w2: n.w2, b2: n.b2)
  }
  func forward(_ network: Network, _ x: Tensor) -> Tensor {
    SubmissionModule.forward(mlp(network), x)
  }
  func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    SubmissionModule.meanSquaredError(prediction, target)
  }
  func regularizedLoss(_ network: Network, x: Tensor, y: Tensor, weightDecay: Double) -> Tensor {
    SubmissionModule.regularizedLoss(mlp(network), x: x, y: y, weightDecay: weightDecay)
  }
  func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    SubmissionModule.clipGradNorm(parameters, maxNorm: maxNorm)
  }
  func trainingStep(
    _ network: Network, x: Tensor, y: Tensor, learningRate: Double, weightDecay: Double,
    clip: Double?
  ) -> (loss: Double, gradientNorm: Double) {
    let step = SubmissionModule.trainingStep(
      mlp(network), x: x, y: y, learningRate: learningRate, weightDecay: weightDecay, clip: clip)
    return (step.loss, step.gradientNorm)
  }
  func train(xTrain: Tensor, yTrain: Tensor, xVal: Tensor, yVal: Tensor, settings: RunSettings)
    -> (network: Network, valMSE: [Double])
  {
    let run = SubmissionModule.trainMLP(
      xTrain: xTrain, yTrain: yTrain, xVal: xVal, yVal: yVal,
      config: SubmissionModule.MLPConfig(
        epochs: settings.epochs, learningRate: settings.learningRate,
        weightDecay: settings.weightDecay, clip: settings.clip,
        cosineSchedule: settings.cosine))
    let m = run.mlp
    return (Network(w1: m.w1, b1: m.b1, w2: m.w2, b2: m.b2), run.valMSE)
  }
  func report(seed: UInt64) -> Report { SubmissionModule.report(seed: seed) }
}
