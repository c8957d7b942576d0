import Autograd
import Testing

// The graph keeps only what backward reads. An intermediate result that no backward rule
// reads (the triangle before its sum) is freed as soon as the caller drops it; a saved
// input lives until backward has used it.

@Suite struct GraphMemoryTests {
  @Test func anIntermediateThatBackwardDoesNotReadIsFreedAfterForward() {
    let x = Tensor([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], requiresGrad: true)
    weak var triangle: Tensor?
    let loss: Tensor = {
      let t = (x * 2).triu(diagonal: 1)
      triangle = t
      return t.sum()
    }()
    #expect(triangle == nil)
    loss.backward()
    // d/dx Σ_{j>i} 2·x[i, j] = 2 above the diagonal, 0 elsewhere (hand-worked).
    #expect(x.grad!.toArray() == [0, 2, 2, 0, 0, 2, 0, 0, 0])
  }

  @Test func aSavedInputLivesUntilBackwardHasUsedIt() {
    let w = Tensor([1.0, 2, 3], requiresGrad: true)
    weak var saved: Tensor?
    let loss: Tensor = {
      let h = w * 3  // a non-leaf that the product below saves
      saved = h
      return (h * h).sum()
    }()
    #expect(saved != nil)
    loss.backward()
    #expect(saved == nil)
    // d/dw Σ (3w)² = 18·w.
    #expect(w.grad!.toArray() == [18, 36, 54])
  }
}
