import Autograd
import Foundation
import Problem5
import Testing

@Suite struct Problem5Checks {
  @Test func forwardOfAHandMadeNetwork() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        // Hidden units relu(1·1 − 2) = 0 and relu(1·2 + 1) = 3; output 0·5 + 3·(−1) + 0.5.
        let mlp = MLP(
          w1: Tensor([[1, 2], [0, 0]] as [[Double]]), b1: Tensor([-2, 1] as [Double]),
          w2: Tensor([[5], [-1]] as [[Double]]), b2: Tensor([0.5] as [Double]))
        let out = forward(mlp, Tensor([[1, 0]] as [[Double]]))
        require(out.shape == [1, 1], "forward returned shape \(out.shape)")
        require(abs(out.item() + 2.5) < 1e-12, "got \(out.item()), expected −2.5")
        passed()
      })
  }

  @Test func globalNormClippingScalesEveryGradient() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let a = Tensor.zeros([1], dtype: .float64, requiresGrad: true)
        let b = Tensor.zeros([1], dtype: .float64, requiresGrad: true)
        a.grad = Tensor([3] as [Double])
        b.grad = Tensor([-4] as [Double])
        let norm = clipGradNorm([a, b], maxNorm: 1)
        require(abs(norm - 5) < 1e-12, "returned \(norm), expected the norm before clipping, 5")
        require(
          abs(a.grad!.item() - 0.6) < 1e-6 && abs(b.grad!.item() + 0.8) < 1e-6,
          "clipped to \(a.grad!.item()), \(b.grad!.item()); expected 0.6, −0.8 (global norm)")
        passed()
      })
  }
}
