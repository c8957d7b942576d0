import Autograd
import AutogradTestSupport
import Testing

// The edges where the library follows PyTorch 2.15, with the values PyTorch 2.15.0 printed
// for the same inputs (float64, upstream gradient 1), and the differences it keeps on
// purpose (the table "Differences from PyTorch" in Sources/Autograd/README.md), one test
// each. The fixtures check the same edges on more values.

private let nan = Double.nan
private let inf = Double.infinity

/// The gradient of `sum(f(x))` for float64 values `x`.
private func gradient(_ x: [Double], _ f: (Tensor) -> Tensor) -> (value: [Double], grad: [Double]) {
  let t = Tensor(x, requiresGrad: true)
  let y = f(t)
  y.sum().backward()
  return (y.toArray(), t.grad!.toArray())
}

/// Elementwise equality that counts NaN as equal to NaN.
private func same(_ a: [Double], _ b: [Double]) -> Bool {
  maxEdgeAwareError(a, b) == 0
}

@Test func powAtZeroToTheZeroIsOneWithZeroGradients() {
  let scalar = gradient([0, 2, nan]) { $0.pow(0) }
  #expect(same(scalar.value, [1, 1, 1]) && same(scalar.grad, [0, 0, 0]))
  let a = Tensor([0, 0, 2] as [Double], requiresGrad: true)
  let b = Tensor([0, -1, 0] as [Double], requiresGrad: true)
  a.pow(b).sum().backward()
  #expect(same(a.pow(b).toArray(), [1, inf, 1]))
  #expect(same(a.grad!.toArray(), [0, -inf, 0]))
  // PyTorch: exponent gradient 0 at 0^0, −inf at 0^(−1), log 2 at 2^0.
  #expect(same(b.grad!.toArray(), [0, -inf, 0.6931471805599453]))
}

@Test func normOfZeroHasZeroGradientForEveryP() {
  for p in [0.5, 1.5, 2, 3, .infinity, -.infinity] {
    let r = gradient([0, 0]) { $0.norm(p: p) }
    #expect(same(r.value, [0]) && same(r.grad, [0, 0]), "p = \(p)")
  }
  let rows = Tensor(rows: [[0, 0], [1, 2]] as [[Double]], requiresGrad: true)
  rows.norm(p: 3, dim: 1).sum().backward()
  #expect(rows.grad!.toArray()[0...1] == [0, 0])
}

@Test func infinityNormIsTheLargestMagnitudeSharedAmongTies() {
  let r = gradient([1, -2, 2, 0.5]) { $0.norm(p: .infinity) }
  #expect(r.value == [2] && r.grad == [0, -0.5, 0.5, 0])
  let low = gradient([1, -2, 2, 0.5]) { $0.norm(p: -.infinity) }
  #expect(low.value == [0.5] && low.grad == [0, 0, 0, 1])
  // A NaN element gives NaN, and PyTorch's gradient is 0 everywhere (sign(NaN) = 0).
  let withNaN = gradient([nan, 1]) { $0.norm(p: .infinity) }
  #expect(withNaN.value[0].isNaN && withNaN.grad == [0, 0])
}

@Test func scalarClampGradientIsZeroAtTheBoundsAndForNaN() {
  let r = gradient([-1, 1, 0, 2, -2, nan]) { $0.clamp(min: -1, max: 1) }
  #expect(r.grad == [0, 0, 1, 0, 0, 0])
  #expect(gradient([-1, 1, -2]) { $0.clamp(min: -1) }.grad == [0, 1, 0])
  #expect(gradient([-1, 1, 2]) { $0.clamp(max: 1) }.grad == [1, 0, 0])
}

@Test func tensorClampFollowsPyTorchsTieAndNaNRules() {
  let x = Tensor([0, 1, 2, 3, 1, nan] as [Double], requiresGrad: true)
  let lo = Tensor([1, 1, 0, 0, nan, 1] as [Double], requiresGrad: true)
  let hi = Tensor([2, 2, 1, 4, 0, 0] as [Double], requiresGrad: true)
  let y = x.clamp(min: lo, max: hi)
  #expect(same(y.toArray(), [1, 1, 1, 3, nan, nan]))
  y.sum().backward()
  #expect(x.grad!.toArray() == [0, 0.5, 0, 1, 0, 1])
  #expect(lo.grad!.toArray() == [1, 0.5, 0, 0, 0, 0])
  #expect(hi.grad!.toArray() == [0, 0, 1, 0, 0, 1])
}

@Test func maxOverAllGivesTheGradientToTheNaNElements() {
  #expect(same(gradient([1, nan, 3]) { $0.max() }.grad, [0, 1, 0]))
  #expect(same(gradient([1, nan, nan]) { $0.max() }.grad, [0, 0.5, 0.5]))
  #expect(gradient([3, 1, 3]) { $0.max() }.grad == [0.5, 0, 0.5])
}

@Test func maximumAtNaNGivesTheGradientToBothSides() {
  let a = Tensor([1, nan, 2, 3] as [Double], requiresGrad: true)
  let b = Tensor([nan, 1, 2, nan] as [Double], requiresGrad: true)
  maximum(a, b).sum().backward()
  #expect(a.grad!.toArray() == [1, 1, 0.5, 1])
  #expect(b.grad!.toArray() == [1, 1, 0.5, 1])
}

@Test func reluPassesTheGradientAtNaN() {
  #expect(gradient([nan, 0, 1, -1]) { $0.relu() }.grad == [1, 0, 1, 0])
}

@Test func integerAndBoolTypesFollowPyTorch() {
  let t = Tensor([true, false, true])
  let u = Tensor([true, false, false])
  #expect((t + u).dtype == .bool && (t + u).toArray(Bool.self) == [true, false, true])
  #expect((t * u).dtype == .bool && (t * u).toArray(Bool.self) == [true, false, false])
  let ints = Tensor([1, 5, -3])
  #expect(ints.clamp(min: 0, max: 2).dtype == .int64)
  #expect(ints.clamp(min: 0, max: 2).toArray(Int.self) == [1, 2, 0])
  #expect(ints.clamp(min: 0.5, max: 2).dtype == .float32)
  #expect(ints.pow(2).dtype == .int64 && ints.pow(2).toArray(Int.self) == [1, 25, 9])
  #expect(ints.pow(Tensor([-1, 0, 3])).toArray(Int.self) == [1, 1, -27])
  let mixed = Tensor.cat([Tensor([1] as [Float]), Tensor([2] as [Double])])
  #expect(mixed.dtype == .float64 && mixed.toArray() == [1, 2])
}

@Test func catOfMixedTypesGivesEachInputAGradientOfItsType() {
  let a = Tensor([1, 2] as [Float], requiresGrad: true)
  let b = Tensor([3] as [Double], requiresGrad: true)
  (Tensor.cat([a, b]) * Tensor([1, 2, 3] as [Double])).sum().backward()
  #expect(a.grad!.dtype == .float32 && a.grad!.toArray() == [1, 2])
  #expect(b.grad!.dtype == .float64 && b.grad!.toArray() == [3])
}

@Test func stdOfAConstantSliceHasZeroGradient() {
  let x = Tensor(rows: [[1, 1], [1, 2]] as [[Double]], requiresGrad: true)
  x.std(dim: 1).sum().backward()
  let g = x.grad!.toArray()
  #expect(g[0] == 0 && g[1] == 0)
  #expect(Swift.abs(g[2] + 0.5.squareRoot()) < 1e-15 && Swift.abs(g[3] - 0.5.squareRoot()) < 1e-15)
}

@Test func nanPropagatesThroughReductionsComparisonsAndWhere() {
  let x = Tensor([1, nan, 3] as [Double], requiresGrad: true)
  #expect(x.sum().item().isNaN && x.mean().item().isNaN && x.amax(dims: [0]).item().isNaN)
  #expect((x .> 0).toArray(Bool.self) == [true, false, true])
  #expect((x .!= x).toArray(Bool.self) == [false, true, false])
  #expect(x.argmax().item() == 1 && x.argmin().item() == 1)
  // where: the NaN on the unchosen side reaches neither the value nor the gradient.
  let y = Tensor.where(x .> 2, x, Tensor(0.0, dtype: .float64))
  #expect(y.toArray() == [0, 0, 3])
  y.sum().backward()
  #expect(x.grad!.toArray() == [0, 0, 1])
}

// MARK: - Differences kept on purpose

@Test func wholeNumbersKeepIntegerTensorsInteger() {
  // Swift cannot tell the literal 2 from 2.0: PyTorch gives float32 for the second.
  let ints = Tensor([1, 2, 3])
  #expect((ints + 2.0).dtype == .int64)
  #expect(ints.pow(2.0).dtype == .int64)
  #expect(ints.clamp(min: 0.0, max: 2.0).dtype == .int64)
}

@Test func reductionsOfIntegersAreComputedInFloat32() {
  // PyTorch refuses mean, var, std and norm of an int64 tensor.
  let ints = Tensor([1, 2, 3, 4])
  #expect(ints.mean().dtype == .float32 && ints.mean().item() == 2.5)
  #expect(ints.norm().dtype == .float32)
  #expect(ints.var().dtype == .float32)
}

@Test func negatingABoolMaskGivesInt64() {
  // PyTorch refuses `-mask`; here it is 0 − mask in int64.
  let m = Tensor([true, false])
  #expect((-m).dtype == .int64 && (-m).toArray(Int.self) == [-1, 0])
}

@Test func clampWithMinAboveMaxStops() async {
  // PyTorch returns max everywhere; a crossed pair of numbers is almost always a bug.
  await #expect(processExitsWith: .failure) {
    _ = Tensor([1, 2] as [Double]).clamp(min: 2, max: 1)
  }
}

@Test func normWithZeroOrNegativeFiniteOrderStops() async {
  // PyTorch's p = 0 counts nonzero elements and negative p is a harmonic-like mean.
  await #expect(processExitsWith: .failure) {
    _ = Tensor([1, 2] as [Double]).norm(p: 0)
  }
}

@Test func integerToANegativePowerStopsAsInPyTorch() async {
  await #expect(processExitsWith: .failure) {
    _ = Tensor([1, 2]).pow(-1)
  }
}

@Test func subtractingBoolMasksStopsAsInPyTorch() async {
  await #expect(processExitsWith: .failure) {
    _ = Tensor([true]) - Tensor([false])
  }
}
