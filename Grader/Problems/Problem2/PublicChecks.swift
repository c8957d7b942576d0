import Autograd
import Foundation
import Problem2
import Testing

@Suite struct Problem2Checks {
  @Test func ridgeLossOfAHandMadeCase() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        // The fit is exact (residual 0), so the loss is λ‖w‖² = 0.5 · 2² = 2; the bias is free.
        let x = Tensor([1, 2] as [Double], shape: [2, 1])
        let w = Tensor([2] as [Double], shape: [1, 1])
        let b = Tensor([3] as [Double])
        let loss = ridgeLoss(x: x, y: x * 2 + 3, w: w, b: b, lambda: 0.5).item()
        require(abs(loss - 2) < 1e-12, "got \(loss), expected 2")
        passed()
      })
  }

  @Test func ridgeLossGradientMatchesFiniteDifferences() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        var g = Generator(seed: 21)
        let x = Tensor.randn([8, 3], dtype: .float64, generator: &g)
        let y = Tensor.randn([8, 1], dtype: .float64, generator: &g)
        let w = Tensor.randn([3, 1], dtype: .float64, requiresGrad: true, generator: &g)
        let b = Tensor.zeros([1], dtype: .float64, requiresGrad: true)
        ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.1).backward()
        let flat = w.detach().reshape([3])
        let numeric = noGrad {
          numericGradient(
            { ridgeLoss(x: x, y: y, w: w, b: b, lambda: 0.1).item() }, at: flat.toArray()
          ) {
            i, v in flat[i] = Tensor(v, dtype: .float64)
          }
        }
        require(
          maxError(w.grad!.toArray(), numeric) < 1e-6, "∂L/∂w differs from finite differences")
        passed()
      })
  }

  @Test func updateStepsAgainstTheGradientAndZeroesIt() async {
    await report(
      #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let w = Tensor([3] as [Double], requiresGrad: true)
        w.grad = Tensor([2] as [Double])
        sgdUpdate([w], learningRate: 0.5)
        require(w.item() == 2, "w = \(w.item()) after the update, expected 3 − 0.5 · 2 = 2")
        require(w.grad.map { $0.toArray().allSatisfy { $0 == 0 } } ?? true, "w.grad is not zeroed")
        passed()
      })
  }
}
