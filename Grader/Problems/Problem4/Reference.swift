import Autograd
import Courseware
import Problem4Solution

/// The reference solution, with any function replaceable by a known mistake.
struct Reference: API {
  var softmaxBy: ((Tensor) -> Tensor)?
  var crossEntropyBy: ((Tensor, Tensor) -> Tensor)?
  var numericalGradientBy: ((() -> Tensor, Tensor) -> Tensor)?
  var relativeErrorBy: ((Tensor, Tensor) -> Double)?
  var gradientCheckBy: ((Tensor, Tensor, Tensor, Tensor) -> Double)?
  var stepBy: ((Tensor, Tensor, Tensor, Tensor, Double) -> Double)?

  func softmax(_ logits: Tensor) -> Tensor {
    softmaxBy?(logits) ?? Problem4Solution.softmax(logits)
  }
  func crossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
    crossEntropyBy?(logits, labels) ?? Problem4Solution.crossEntropy(logits: logits, labels: labels)
  }
  func numericalGradient(of loss: () -> Tensor, parameter: Tensor) -> Tensor {
    if let numericalGradientBy { return numericalGradientBy(loss, parameter) }
    return Problem4Solution.numericalGradient(of: loss, parameter: parameter)
  }
  func maxRelativeError(_ analytic: Tensor, _ numeric: Tensor) -> Double {
    relativeErrorBy?(analytic, numeric) ?? Problem4Solution.maxRelativeError(analytic, numeric)
  }
  func gradientCheck(x: Tensor, labels: Tensor, w: Tensor, b: Tensor) -> Double {
    gradientCheckBy?(x, labels, w, b)
      ?? Problem4Solution.gradientCheck(x: x, labels: labels, w: w, b: b)
  }
  func miniBatchStep(x: Tensor, labels: Tensor, w: Tensor, b: Tensor, learningRate: Double)
    -> Double
  {
    if let stepBy { return stepBy(x, labels, w, b, learningRate) }
    return Problem4Solution.miniBatchStep(
      x: x, labels: labels, w: w, b: b, learningRate: learningRate)
  }
  func train(x: Tensor, labels: Tensor, classes: Int) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  ) {
    let run = Problem4Solution.trainSoftmax(x: x, labels: labels, classes: classes)
    return (run.w, run.b, run.accuracy, run.log.loss)
  }
  func report(seed: UInt64) -> Report { Problem4Solution.report(seed: seed) }
}
