import Autograd
import Courseware
import SubmissionModule

/// The student's functions, called by qualified name in a module the student cannot shadow.
struct Student: API {
  func softmax(_ logits: Tensor) -> Tensor { SubmissionModule.softmax(logits) }
  func crossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
    SubmissionModule.crossEntropy(logits: logits, labels: labels)
  }
  func numericalGradient(of loss: () -> Tensor, parameter: Tensor) -> Tensor {
    SubmissionModule.numericalGradient(of: loss, parameter: parameter)
  }
  func maxRelativeError(_ analytic: Tensor, _ numeric: Tensor) -> Double {
    SubmissionModule.maxRelativeError(analytic, numeric)
  }
  func gradientCheck(x: Tensor, labels: Tensor, w: Tensor, b: Tensor) -> Double {
    SubmissionModule.gradientCheck(x: x, labels: labels, w: w, b: b)
  }
  func miniBatchStep(x: Tensor, labels: Tensor, w: Tensor, b: Tensor, learningRate: Double)
    -> Double
  {
    SubmissionModule.miniBatchStep(x: x, labels: labels, w: w, b: b, learningRate: learningRate)
  }
  func train(x: Tensor, labels: Tensor, classes: Int) -> (
    w: Tensor, b: Tensor, accuracy: [Double], loss: [Double]
  ) {
    let run = SubmissionModule.trainSoftmax(x: x, labels: labels, classes: classes)
    return (run.w, run.b, run.accuracy, run.log.loss)
  }
  func report(seed: UInt64) -> Report { SubmissionModule.report(seed: seed) }
}
