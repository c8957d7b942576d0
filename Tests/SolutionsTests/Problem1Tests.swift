import Autograd
import AutogradTestSupport
import Problem1Solution
import Testing

@Suite struct Problem1Tests {
  @Test func standardizeCosineAndLossMatchPyTorch() throws {
    // The cosine fixture is the similarity of the standardized X, as in the problem.
    for (name, f) in [
      ("p1_standardize", standardize), ("p1_cosine", { cosineSimilarity(standardize($0)) }),
      ("p1_loss", similarityLoss),
    ] as [(String, (Tensor) -> Tensor)] {
      let c = try Fixtures.named(name)
      let x = try c.input("X").requireGrad()
      let out = f(x)
      let expected = try c.tensor(c.output!)
      #expect(out.shape == expected.shape, "\(name)")
      #expect(maxError(out.toArray(), expected.toArray()) <= Tolerance.float64Reference, "\(name)")
      (out * (try c.tensor(c.upstream!))).sum().backward()
      let grad = try c.tensor(c.grads["X"]!)
      #expect(
        maxError(x.grad!.toArray(), grad.toArray()) <= Tolerance.float64Reference, "\(name) grad")
    }
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func gradientMatchesFiniteDifferences(seed: UInt64) {
    let x = seededInput([7, 4], seed: seed)
    let (autograd, numeric) = gradientCheck({ similarityLoss($0[0]) }, inputs: [x])
    #expect(maxError(autograd[0], numeric[0]) <= Tolerance.finiteDifference)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5] as [UInt64])
  func backwardCheckReportsAGradientOfShapeND(seed: UInt64) {
    var g = Generator(seed: seed)
    let x = Tensor.randn([50, 8], dtype: .float64, requiresGrad: true, generator: &g)
    let check = backwardAndCheck(x)
    #expect(check.exists)
    #expect(check.shape == [50, 8])
    #expect(!check.allZero)
    let grad = x.grad!.toArray()
    #expect(check.min == grad.min()!)
    #expect(check.max == grad.max()!)
    #expect(Swift.abs(check.mean - grad.reduce(0, +) / Double(grad.count)) < 1e-15)
  }

  @Test func standardizedColumnsHaveMeanZeroAndUnbiasedStdOne() {
    var g = Generator(seed: 9)
    let x = 3 * Tensor.randn([30, 5], dtype: .float64, generator: &g) + 7
    let s = standardize(x)
    for column in 0..<5 {
      let values = s[.all, column].toArray()
      let mean = values.reduce(0, +) / 30
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 29
      #expect(Swift.abs(mean) < 1e-12)
      #expect(Swift.abs(variance - 1) < 1e-12)
    }
  }

  @Test func upperTriangularMeanExcludesDiagonalAndLowerTriangle() {
    // Hand-computed: entries above the diagonal are 2, 3 and 6, mean 11/3.
    let s = Tensor([100, 2, 3, -50, 100, 6, -70, -80, 100] as [Double], shape: [3, 3])
    #expect(Swift.abs(upperTriangularMean(s).item() - 11.0 / 3) < 1e-15)
  }

  @Test func reportGivesTheFiguresAndSaysWhyThereIsNoGPUTime() {
    let report = report(seed: 0, n: 200, d: 16)
    for key in ["grad_min", "grad_max", "grad_mean", "cpu_seconds", "gpu_seconds"] {
      #expect(report.json[key] != nil, "missing \(key)")
    }
    #expect(report.json["gpu_seconds"] == .null)
    #expect(report.findings.contains { $0.contains("no CUDA backend") })
  }
}
