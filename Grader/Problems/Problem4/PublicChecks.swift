import Autograd
import Foundation
import Problem4
import Testing

@Suite struct Problem4Checks {
  @Test func softmaxRowsSumToOneAtLargeLogits() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var g = Generator(seed: 41)
        let z = Tensor.randn([4, 5], dtype: .float64, generator: &g) + 1000
        let p = softmax(z).toArray()
        require(p.allSatisfy(\.isFinite), "softmax of logits near 1000 is not finite")
        for row in 0..<4 {
          let sum = p[(row * 5)..<(row * 5 + 5)].reduce(0, +)
          require(abs(sum - 1) < 1e-9, "row \(row) sums to \(sum)")
        }
        require(maxError(softmax(z - 1000).toArray(), p) < 1e-12, "softmax changed with a shift")
        passed()
      })
  }

  @Test func crossEntropyOfEqualLogitsIsLogC() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let loss = crossEntropy(
          logits: Tensor.zeros([3, 4], dtype: .float64), labels: Tensor([0, 1, 3])
        ).item()
        require(abs(loss - log(4)) < 1e-12, "got \(loss), expected log 4")
        passed()
      })
  }

  @Test func numericalGradientOfASquareIsTwiceTheInput() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let theta = Tensor([0.5, -1.5, 2] as [Double])
        let g = numericalGradient(of: { (theta * theta).sum() }, parameter: theta).toArray()
        require(maxError(g, [1, -3, 4]) < 1e-7, "got \(g), expected [1, -3, 4]")
        require(theta.toArray() == [0.5, -1.5, 2], "θ was not restored")
        passed()
      })
  }
}
