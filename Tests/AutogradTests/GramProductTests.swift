import Autograd
import AutogradTestSupport
import Testing

// A product of a matrix with its own transpose (from 32 rows) is computed by SYRK on the
// upper triangle and mirrored, and its backward is fused into (G + Gᵀ)·A when the right
// operand's gradient flows only back into the left. The finite-difference checks are in
// GradientTests; these check the values against dot products written out, and the cases
// that must not take the fused backward.

@Suite struct GramProductTests {
  /// `Σₖ a[i,k]·a[j,k]` for every pair of rows, in Double, by loops.
  static func dotProducts(_ a: Tensor) -> [Double] { matrixProductByLoops(a, a.T) }

  @Test(
    "values equal the dot products of every pair of rows, both triangles",
    // 513 rows of 33: split over the cores (n²k/2 ≥ 2²²), an odd n unevenly halved.
    arguments: [
      (DType.float64, 70, 9), (.float32, 129, 17), (.float64, 32, 1), (.float32, 513, 33),
    ])
  func valuesMatchDotProducts(_ dtype: DType, _ n: Int, _ k: Int) {
    var g = Generator(seed: UInt64(n * 100 + k))
    let a = Tensor.randn([n, k], dtype: dtype, generator: &g)
    let s = a.matmul(a.T)
    #expect(s.shape == [n, n])
    #expect(s.dtype == dtype)
    // Float32: k products of |x| ≲ 4 summed, a few ulps of float32 each.
    let tolerance = dtype == .float32 ? Tolerance.float32 * Double(k) : Tolerance.float64Reference
    #expect(maxError(s.toArray(), Self.dotProducts(a)) <= tolerance)
  }

  @Test("a large product (split over the cores) matches the dot products")
  func largeProductMatches() {
    var g = Generator(seed: 11)
    let a = Tensor.randn([700, 40], dtype: .float64, generator: &g)
    #expect(maxError(a.matmul(a.T).toArray(), Self.dotProducts(a)) <= Tolerance.float64Reference)
  }

  @Test("a strided view (every other row) is multiplied correctly")
  func stridedRows() {
    var g = Generator(seed: 12)
    let a = Tensor.randn([80, 6], dtype: .float64, generator: &g)[
      TensorIndex.slice(start: 0, end: nil, step: 2)]
    #expect(a.shape == [40, 6])
    #expect(maxError(a.matmul(a.T).toArray(), Self.dotProducts(a)) <= Tolerance.float64Reference)
  }

  @Test("with the right operand detached, the gradient is G·A (one path only)")
  func detachedRightOperand() {
    var g = Generator(seed: 13)
    let a = Tensor.randn([40, 3], dtype: .float64, generator: &g).requireGrad()
    let weights = Tensor.randn([40, 40], dtype: .float64, generator: &g)
    (a.matmul(a.detach().T) * weights).sum().backward()
    // d/dA Σ W∘(A·Bᵀ) with B constant is W·B = W·A.
    let expected = noGrad { weights.matmul(a.detach().clone()) }
    #expect(allClose(a.grad!, expected, tolerance: Tolerance.float64Reference))
  }

  @Test("retainGrad on the right operand after the product still gives it its gradient")
  func retainedAfterTheProduct() {
    var g = Generator(seed: 15)
    let a = Tensor.randn([36, 4], dtype: .float64, generator: &g).requireGrad()
    let weights = Tensor.randn([36, 36], dtype: .float64, generator: &g)
    let b = a.T
    let s = a.matmul(b)
    b.retainGrad()
    (s * weights).sum().backward()
    let x = a.detach().clone()
    guard let bGrad = b.grad, let aGrad = a.grad else {
      Issue.record(
        "b.grad \(b.grad == nil ? "missing" : "set"), a.grad \(a.grad == nil ? "missing" : "set")")
      return
    }
    #expect(allClose(bGrad, x.T.matmul(weights), tolerance: Tolerance.float64Reference))
    #expect(allClose(aGrad, (weights + weights.T).matmul(x), tolerance: 1e-9))
  }

  @Test("a right operand that retains its gradient gets it, and A gets both paths")
  func retainedRightOperand() {
    var g = Generator(seed: 14)
    let a = Tensor.randn([36, 4], dtype: .float64, generator: &g).requireGrad()
    let weights = Tensor.randn([36, 36], dtype: .float64, generator: &g)
    let b = a.T
    b.retainGrad()
    (a.matmul(b) * weights).sum().backward()
    let x = a.detach().clone()
    // dB = Aᵀ·W; dA = W·A + (Aᵀ·W)ᵀ = (W + Wᵀ)·A.
    #expect(allClose(b.grad!, x.T.matmul(weights), tolerance: Tolerance.float64Reference))
    #expect(allClose(a.grad!, (weights + weights.T).matmul(x), tolerance: 1e-9))
  }
}
