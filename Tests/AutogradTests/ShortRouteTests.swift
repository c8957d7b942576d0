import Autograd
import AutogradTestSupport
import Testing

// The short routes of small training steps (row gathers, picked elements, row and column
// broadcasts, sums over leading or trailing dimensions, in-place updates by a number,
// arithmetic with a number): forward values against elements computed here by hand,
// element by element, and gradients against central finite differences in Float64.

/// A seeded float64 matrix of `rows` × `cols` standard normal values.
private func matrix(_ rows: Int, _ cols: Int, seed: UInt64, requiresGrad: Bool = false)
  -> Tensor
{
  var g = Generator(seed: seed)
  return Tensor.randn([rows, cols], dtype: .float64, requiresGrad: requiresGrad, generator: &g)
}

/// The elements of a 2-D tensor as rows.
private func rows(_ t: Tensor) -> [[Double]] { t.toRows() }

private func expectGradientsMatch(_ op: @escaping ([Tensor]) -> Tensor, _ inputs: [Tensor]) {
  let (analytic, numeric) = gradientCheck(op, inputs: inputs)
  for (a, n) in zip(analytic, numeric) {
    #expect(maxError(a, n) <= Tolerance.finiteDifference)
  }
}

@Suite struct ShortRouteTests {
  // MARK: Indexing

  @Test func rowGatherPicksRowsInOrderWithNegativePositions() {
    let x = matrix(5, 3, seed: 1)
    let order = Tensor([4, 0, -1, 2, 0] as [Int])
    let picked = rows(x[order])
    let source = rows(x)
    #expect(picked == [source[4], source[0], source[4], source[2], source[0]])
    // A column vector's rows (one element each) take the element-copy branch.
    let column = Tensor([10, 20, 30] as [Double], shape: [3, 1])
    #expect(column[Tensor([2, 2, 0] as [Int])].toArray() == [30, 30, 10])
  }

  @Test func rowGatherGradientAccumulatesRepeatedRows() {
    let x = matrix(4, 3, seed: 2, requiresGrad: true)
    let order = Tensor([3, 1, 3, -4] as [Int])
    expectGradientsMatch({ $0[0][order] * $0[0][order] }, [x])
  }

  @Test func rangeSubscriptIsAView() {
    let x = matrix(6, 2, seed: 3)
    let slice = x[1..<4]
    #expect(slice.shape == [3, 2])
    #expect(rows(slice) == Array(rows(x)[1..<4]))
    noGrad { slice.fill(0) }
    #expect(rows(x)[1..<4].allSatisfy { $0 == [0, 0] })
  }

  @Test func pickedElementsAreTheNamedPositions() {
    let x = matrix(3, 4, seed: 4)
    let source = rows(x)
    let picked = x[Tensor([0, 2, -1, 1] as [Int]), Tensor([3, 0, 1, -4] as [Int])]
    #expect(picked.toArray() == [source[0][3], source[2][0], source[2][1], source[1][0]])
  }

  @Test func pickedElementsGradientAccumulatesRepeats() {
    let x = matrix(3, 4, seed: 5, requiresGrad: true)
    let (r, c) = (Tensor([0, 2, 0, 1] as [Int]), Tensor([1, 3, 1, 0] as [Int]))
    expectGradientsMatch({ $0[0][r, c].exp() }, [x])
  }

  // MARK: Broadcasts

  @Test func rowColumnAndScalarBroadcastsMatchElementByElement() {
    let a = matrix(4, 3, seed: 6)
    let row = matrix(1, 3, seed: 7)
    let column = matrix(4, 1, seed: 8)
    let (ea, er, ec) = (rows(a), rows(row)[0], rows(column).map { $0[0] })
    #expect(rows(a + row) == ea.map { r in zip(r, er).map { $0 + $1 } })
    #expect(rows(row - a) == ea.map { r in zip(er, r).map { $0 - $1 } })
    #expect(rows(a * column) == ea.enumerated().map { i, r in r.map { $0 * ec[i] } })
    #expect(rows(column / a) == ea.enumerated().map { i, r in r.map { ec[i] / $0 } })
    // A row against a column: neither has the result's shape.
    #expect(rows(row + column) == ec.map { c in er.map { $0 + c } })
    #expect(rows(column .< row).map { $0.map { $0 != 0 } } == ec.map { c in er.map { c < $0 } })
    // A 1-D row, and one element seen through zero strides.
    let flatRow = Tensor(er)
    #expect(rows(a - flatRow) == ea.map { r in zip(r, er).map { $0 - $1 } })
    let expanded = Tensor(2.5, dtype: .float64).expand([4, 3])
    #expect(rows(expanded * a) == ea.map { $0.map { 2.5 * $0 } })
  }

  @Test func broadcastGradientsMatchFiniteDifferences() {
    let a = matrix(4, 3, seed: 9, requiresGrad: true)
    let row = matrix(1, 3, seed: 10, requiresGrad: true)
    let column = matrix(4, 1, seed: 11, requiresGrad: true)
    expectGradientsMatch({ ($0[0] + $0[1]) * $0[2] - $0[1] * $0[2] }, [a, row, column])
    expectGradientsMatch({ $0[0] * $0[0].sum() }, [a])
  }

  // MARK: Sums

  @Test func sumsOverLeadingOrTrailingDimensionsMatchLoops() {
    var g = Generator(seed: 12)
    let x = Tensor.randn([2, 3, 4], dtype: .float64, generator: &g)
    let v = x.toArray()
    func at(_ i: Int, _ j: Int, _ k: Int) -> Double { v[(i * 3 + j) * 4 + k] }
    // Each expected sum adds in the kernel's order (ascending flat index), so the results
    // agree exactly.
    var leading = [Double](repeating: 0, count: 4)
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { leading[k] += at(i, j, k) } } }
    #expect(x.sum(dims: [0, 1]).toArray() == leading)
    #expect(x.sum(dims: [0, 1], keepDim: true).shape == [1, 1, 4])
    var trailing = [Double](repeating: 0, count: 2)
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { trailing[i] += at(i, j, k) } } }
    // Each row is summed in eight lanes, then the lanes: another order than this loop's.
    #expect(maxError(x.sum(dims: [1, 2]).toArray(), trailing) <= Tolerance.float64Reference)
    // A middle dimension is neither: the strided route.
    var middle = [Double](repeating: 0, count: 8)
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { middle[i * 4 + k] += at(i, j, k) } } }
    #expect(x.sum(dim: 1).toArray() == middle)
  }

  @Test func sumGradientsMatchFiniteDifferences() {
    let x = matrix(3, 4, seed: 13, requiresGrad: true)
    expectGradientsMatch({ $0[0].sum(dim: 0) * $0[0].sum(dim: 0) }, [x])
    expectGradientsMatch({ $0[0].sum(dim: 1, keepDim: true).exp() }, [x])
    expectGradientsMatch({ ($0[0] * $0[0]).sum() }, [x])
  }

  // MARK: In-place updates and arithmetic with a number

  @Test func inPlaceUpdatesByANumber() {
    let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    x *= 2
    x -= 0.5
    #expect(x.toArray() == [1.5, 3.5, 5.5, 7.5])
    // A non-contiguous view is updated through its strides.
    let t = x.T
    t /= 4
    #expect(x.toArray() == [0.375, 0.875, 1.375, 1.875])
    // Integer tensors keep the type rules of a 0-d operand.
    let n = Tensor([1, 2] as [Int])
    n += 3
    #expect(n.toArray() == [4, 5])
  }

  @Test func inPlaceUpdateReadsAnOverlappingOperandBeforeWriting() {
    let x = Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])
    // x += xᵀ writes x[0][1] before reading it as xᵀ[1][0]; the operand is copied first.
    x += x.T
    #expect(x.toArray() == [2, 5, 5, 8])
  }

  @Test func arithmeticWithANumberRecordsItsGradient() {
    let x = matrix(2, 3, seed: 14, requiresGrad: true)
    let y = 3 * x - 1
    #expect(y.gradFnName == "SubBackward")
    #expect(rows(y) == rows(x).map { $0.map { 3 * $0 - 1 } })
    expectGradientsMatch({ (2 - $0[0] / 4) * ($0[0] + 0.5) }, [x])
    // Without grad, the same values and no node.
    let plain = noGrad { 3 * x - 1 }
    #expect(plain.gradFnName == nil && rows(plain) == rows(y))
  }

  @Test func elementwiseFunctionsOfAnExpandedElementFillTheResult() {
    // One element seen through zero strides (a mean's gradient) is computed once and filled.
    let x = Tensor([-1.5] as [Double], shape: [1, 1]).expand([4, 3])
    #expect(rows(-x) == Array(repeating: [1.5, 1.5, 1.5], count: 4))
    #expect(rows(x * 2) == Array(repeating: [-3, -3, -3], count: 4))
    #expect(Tensor([-2] as [Double], shape: [1]).float().expand([0]).neg().shape == [0])
    // The gradient of a difference with a mean passes −1/N through such a tensor.
    expectGradientsMatch(
      { ($0[0].exp() - $0[1]).mean() },
      [matrix(3, 2, seed: 15, requiresGrad: true), matrix(3, 2, seed: 16, requiresGrad: true)])
  }
}
