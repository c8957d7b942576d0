import Autograd
import Courseware
import Problem5Solution

/// The reference solution, with any function replaceable by a known mistake.
struct Reference: API {
  var forwardBy: ((Network, Tensor) -> Tensor)?
  var mseBy: ((Tensor, Tensor) -> Tensor)?
  var lossBy: ((Network, Tensor, Tensor, Double) -> Tensor)?
  var clipBy: (([Tensor], Double) -> Double)?
  var stepBy: ((Network, Tensor, Tensor, Double, Double, Double?) -> (Double, Double))?

  func mlp(_ n: Network) -> MLP { MLP(w1: n.w1, b1: n.b1, w2: n.w2, b2: n.b2) }
  func forward(_ network: Network, _ x: Tensor) -> Tensor {
    forwardBy?(network, x) ?? Problem5Solution.forward(mlp(network), x)
  }
  func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    mseBy?(prediction, target) ?? Problem5Solution.meanSquaredError(prediction, target)
  }
  func regularizedLoss(_ network: Network, x: Tensor, y: Tensor, weightDecay: Double) -> Tensor {
    lossBy?(network, x, y, weightDecay)
      ?? Problem5Solution.regularizedLoss(mlp(network), x: x, y: y, weightDecay: weightDecay)
  }
  func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    clipBy?(parameters, maxNorm) ?? Problem5Solution.clipGradNorm(parameters, maxNorm: maxNorm)
  }
  func trainingStep(
    _ network: Network, x: Tensor, y: Tensor, learningRate: Double, weightDecay: Double,
    clip: Double?
  ) -> (loss: Double, gradientNorm: Double) {
    if let stepBy { return stepBy(network, x, y, learningRate, weightDecay, clip) }
    return Problem5Solution.trainingStep(
      mlp(network), x: x, y: y, learningRate: learningRate, weightDecay: weightDecay, clip: clip)
  }
  func train(xTrain: Tensor, yTrain: Tensor, xVal: Tensor, yVal: Tensor, settings: RunSettings)
    -> (network: Network, valMSE: [Double])
  {
    var config = MLPConfig(
      epochs: settings.epochs, learningRate: settings.learningRate,
      weightDecay: settings.weightDecay, clip: settings.clip, cosineSchedule: settings.cosine)
    // The judge reads the network and the validation curve only; the per-epoch log (one more
    // pass over the training rows each epoch, saving and restoring the gradients) was an
    // eighth of the reference's training time.
    config.diagnostics = false
    let run = trainMLP(
      xTrain: xTrain, yTrain: yTrain, xVal: xVal, yVal: yVal, config: config)
    let m = run.mlp
    return (Network(w1: m.w1, b1: m.b1, w2: m.w2, b2: m.b2), run.valMSE)
  }
  func report(seed: UInt64) -> Report { Problem5Solution.report(seed: seed) }
}
