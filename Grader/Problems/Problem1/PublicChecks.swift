import Autograd
import Foundation
import Problem1
import Testing

@Suite struct Problem1Checks {
  @Test func standardizedColumnsHaveMeanZeroAndUnbiasedStdOne() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var g = Generator(seed: 11)
        let x = 3 * Tensor.randn([20, 4], dtype: .float64, generator: &g) + 5
        let s = standardize(x)
        require(s.shape == [20, 4], "standardize returned shape \(s.shape)")
        let mean = s.mean(dim: 0).toArray()
        let std = s.std(dim: 0).toArray()
        require(mean.allSatisfy { abs($0) < 1e-9 }, "column means \(mean)")
        require(std.allSatisfy { abs($0 - 1) < 1e-9 }, "column stds \(std) (unbiased, N − 1)")
        passed()
      })
  }

  @Test func cosineMatrixIsSymmetricWithAUnitDiagonal() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var g = Generator(seed: 12)
        let x = Tensor.randn([10, 3], dtype: .float64, generator: &g)
        let s = cosineSimilarity(x)
        require(s.shape == [10, 10], "cosineSimilarity returned shape \(s.shape)")
        let v = s.toArray()
        for i in 0..<10 {
          require(abs(v[i * 10 + i] - 1) < 1e-9, "S[\(i), \(i)] = \(v[i * 10 + i])")
          for j in 0..<10 {
            require(abs(v[i * 10 + j] - v[j * 10 + i]) < 1e-9, "S is not symmetric")
          }
        }
        require(v.allSatisfy { abs($0) <= 1 + 1e-9 }, "a cosine outside [-1, 1]")
        passed()
      })
  }

  @Test func upperTriangularMeanOfAHandMadeMatrix() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        // Above the diagonal: 2, 3 and 6, so the mean is 11/3.
        let s = Tensor([100, 2, 3, -50, 100, 6, -70, -80, 100] as [Double], shape: [3, 3])
        let m = upperTriangularMean(s).item()
        require(abs(m - 11.0 / 3) < 1e-12, "got \(m), expected 11/3")
        passed()
      })
  }

  @Test func gradientExistsWithShapeNDAndMatchesFiniteDifferences() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var g = Generator(seed: 13)
        let x = Tensor.randn([6, 3], dtype: .float64, requiresGrad: true, generator: &g)
        let check = backwardAndCheck(x)
        require(check.exists && check.shape == [6, 3] && !check.allZero, "check: \(check)")
        let flat = x.detach().reshape([18])
        let numeric = noGrad {
          numericGradient({ similarityLoss(x).item() }, at: flat.toArray()) { i, v in
            flat[i] = Tensor(v, dtype: .float64)
          }
        }
        require(
          maxError(x.grad!.toArray(), numeric) < 1e-6, "X.grad differs from finite differences")
        passed()
      })
  }
}
