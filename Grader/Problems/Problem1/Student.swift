import Autograd
import Courseware
import SubmissionModule

/// The student's functions, called by qualified name in a module the student cannot shadow.
struct Student: API {
  func standardize(_ x: Tensor) -> Tensor { SubmissionModule.standardize(x) }
  func cosineSimilarity(_ x: Tensor) -> Tensor { SubmissionModule.cosineSimilarity(x) }
  func upperTriangularMean(_ s: Tensor) -> Tensor { SubmissionModule.upperTriangularMean(s) }
  func similarityLoss(_ x: Tensor) -> Tensor { SubmissionModule.similarityLoss(x) }
  func backwardAndCheck(_ x: Tensor) -> (
    exists: Bool, shape: [Int], allZero: Bool, min: Double, max: Double, mean: Double
  ) {
    let c = SubmissionModule.backwardAndCheck(x)
    return (c.exists, c.shape, c.allZero, c.min, c.max, c.mean)
  }
  func report(seed: UInt64) -> Report { SubmissionModule.report(seed: seed, n: 400, d: 32) }
}
