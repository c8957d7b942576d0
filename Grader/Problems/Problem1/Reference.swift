import Autograd
import Courseware
import Problem1Solution

/// The reference solution, with any function replaceable by a known mistake.
struct Reference: API {
  var standardizeBy: ((Tensor) -> Tensor)?
  var cosineBy: ((Tensor) -> Tensor)?
  var upperMeanBy: ((Tensor) -> Tensor)?
  var checkBy:
    (
      (Tensor) -> (
        exists: Bool, shape: [Int], allZero: Bool, min: Double, max: Double, mean: Double
      )
    )?

  func standardize(_ x: Tensor) -> Tensor {
    standardizeBy?(x) ?? Problem1Solution.standardize(x)
  }
  func cosineSimilarity(_ x: Tensor) -> Tensor {
    cosineBy?(x) ?? Problem1Solution.cosineSimilarity(x)
  }
  func upperTriangularMean(_ s: Tensor) -> Tensor {
    upperMeanBy?(s) ?? Problem1Solution.upperTriangularMean(s)
  }
  func similarityLoss(_ x: Tensor) -> Tensor {
    upperTriangularMean(cosineSimilarity(standardize(x)))
  }
  func backwardAndCheck(_ x: Tensor) -> (
    exists: Bool, shape: [Int], allZero: Bool, min: Double, max: Double, mean: Double
  ) {
    if let checkBy { return checkBy(x) }
    let c = Problem1Solution.backwardAndCheck(x)
    return (c.exists, c.shape, c.allZero, c.min, c.max, c.mean)
  }
  func report(seed: UInt64) -> Report { Problem1Solution.report(seed: seed, n: 400, d: 32) }
}
