import Autograd
import Foundation
import Problem3
import Testing

@Suite struct Problem3Checks {
  @Test func sigmoidIsFiniteAndExactAtExtremes() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let zs: [Double] = [-1000, -88, -1, 0, 1, 88, 1000]
        for dtype in [DType.float32, .float64] {
          let z = Tensor(zs).to(dtype).requireGrad()
          let s = stableSigmoid(z)
          s.sum().backward()
          let values = s.toArray()
          let grads = z.grad?.toArray() ?? []
          require(
            values.allSatisfy(\.isFinite) && grads.allSatisfy(\.isFinite), "not finite in \(dtype)")
          let exact = zs.map { $0 >= 0 ? 1 / (1 + exp(-$0)) : exp($0) / (1 + exp($0)) }
          require(maxError(values, exact) < 1e-6, "σ(z) in \(dtype): \(values)")
        }
        passed()
      })
  }

  @Test func crossEntropyAtOneHalfIsLogTwo() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let y = Tensor([1, 0] as [Double])
        let fromLogits = binaryCrossEntropy(logits: Tensor([0, 0] as [Double]), targets: y).item()
        let fromProbabilities = binaryCrossEntropy(
          probabilities: Tensor([0.5, 0.5] as [Double]), targets: y
        ).item()
        require(abs(fromLogits - log(2)) < 1e-12, "BCE(logits 0) = \(fromLogits)")
        require(abs(fromProbabilities - log(2)) < 1e-12, "BCE(p = 0.5) = \(fromProbabilities)")
        let extreme = binaryCrossEntropy(
          logits: Tensor([-1000, 1000] as [Double]), targets: Tensor([1, 0] as [Double])
        ).item()
        require(abs(extreme - 1000) < 1e-9, "BCE at logits ∓1000 = \(extreme), expected 1000")
        passed()
      })
  }
}
