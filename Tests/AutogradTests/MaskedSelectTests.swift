import Autograd
import AutogradTestSupport
import Testing

// `x[mask]` with a bool mask of x's shape takes a one-pass route (finite-difference checks
// of it are in GradientTests, "bool mask of the same shape"). These check its values against
// a selection written as a loop, on strided operands, and its gradient against the closed
// form of a mean.

@Suite struct MaskedSelectTests {
  @Test("the selected elements, in row-major order, also from transposed operands")
  func valuesMatchALoop() {
    var g = Generator(seed: 21)
    let base = Tensor.randn([6, 5], dtype: .float64, generator: &g)
    let maskBase = Tensor.randn([6, 5], dtype: .float64, generator: &g) .> 0
    for (x, mask) in [(base, maskBase), (base.T, maskBase.T), (base.T, (base.T .> 0.3))] {
      let values = x.toArray()
      let flags = mask.long().toArray()
      let expected = zip(values, flags).filter { $0.1 != 0 }.map(\.0)
      let selected = x[mask]
      #expect(selected.shape == [expected.count])
      #expect(selected.toArray() == expected)
    }
  }

  @Test("the gradient of the mean of the selection is 1/k where selected, 0 elsewhere")
  func gradientOfMean() {
    let n = 50
    var g = Generator(seed: 22)
    let x = Tensor.randn([n, n], dtype: .float64, generator: &g).requireGrad()
    let mask = Tensor.ones([n, n]).triu(diagonal: 1) .> 0
    x[mask].mean().backward()
    let k = Double(n * (n - 1) / 2)
    let expected = (0..<(n * n)).map { i in i % n > i / n ? 1 / k : 0 }
    #expect(maxError(x.grad!.toArray(), expected) <= Tolerance.float64Reference)
  }

  @Test("an all-false mask selects nothing and gives a zero gradient")
  func emptySelection() {
    var g = Generator(seed: 23)
    let x = Tensor.randn([3, 4], dtype: .float64, generator: &g).requireGrad()
    let picked = x[Tensor.zeros([3, 4]) .> 1]
    #expect(picked.shape == [0])
    picked.sum().backward()
    #expect(x.grad!.toArray().allSatisfy { $0 == 0 })
  }
}
