import Autograd
import AutogradTestSupport
import Foundation
import Testing

// Forward values against closed forms and cases computed by hand, never against the library
// itself. Small integers and halves are exact in binary floating point, so those results are
// compared exactly; irrational results are compared within a few roundings (Float64) or
// within `Tolerance.float32` (Float32).

@Suite struct ForwardValueTests {}

/// Float64 results of one or two correctly rounded operations against a closed form:
/// a few ulps (ulpOfOne ≈ 2.2e-16) relative or absolute below 1, by `mixedError`.
private let float64Roundings = 4 * Double.ulpOfOne

/// Checks shape, dtype and values; values exactly when `tolerance` is 0, otherwise within
/// `tolerance` by `maxError`.
private func expectTensor(
  _ t: Tensor, _ expected: [Double], shape: [Int], dtype: DType, tolerance: Double = 0,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  #expect(t.shape == shape, "shape", sourceLocation: sourceLocation)
  #expect(t.dtype == dtype, "dtype", sourceLocation: sourceLocation)
  let values = t.toArray()
  if tolerance == 0 {
    #expect(values == expected, sourceLocation: sourceLocation)
  } else {
    #expect(
      maxError(values, expected) <= tolerance, "\(values) vs \(expected)",
      sourceLocation: sourceLocation)
  }
}

/// |a − b| / |b|: relative error against a nonzero reference.
private func relativeError(_ a: Double, _ b: Double) -> Double {
  Swift.abs(a - b) / Swift.abs(b)
}

/// 0, 1, …, 11 as a [3, 4] Float64 matrix: x[i][j] = 4i + j.
private func grid() -> Tensor {
  Tensor((0..<12).map(Double.init), shape: [3, 4])
}

/// 0, 1, …, 23 as a [2, 3, 4] Float64 tensor: y[a][b][c] = 12a + 4b + c.
private func cube() -> Tensor {
  Tensor((0..<24).map(Double.init), shape: [2, 3, 4])
}

// MARK: - Matrix products

extension ForwardValueTests {
  @Test func matmulOfTwoByTwoMatrices() {
    let a = Tensor(rows: [[1, 2], [3, 4]] as [[Double]])
    let b = Tensor(rows: [[5, 6], [7, 8]] as [[Double]])
    // [1·5 + 2·7, 1·6 + 2·8; 3·5 + 4·7, 3·6 + 4·8]
    expectTensor(a.matmul(b), [19, 22, 43, 50], shape: [2, 2], dtype: .float64)
    expectTensor(matmul(a, b), [19, 22, 43, 50], shape: [2, 2], dtype: .float64)
  }

  @Test func matmulOfFloat32MatricesStaysFloat32() {
    let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
    let b = Tensor([5, 6, 7, 8] as [Float], shape: [2, 2])
    expectTensor(a.matmul(b), [19, 22, 43, 50], shape: [2, 2], dtype: .float32)
  }

  @Test func matmulWithTransposedOperands() {
    let a = Tensor(rows: [[1, 2], [3, 4]] as [[Double]])
    let b = Tensor(rows: [[5, 6], [7, 8]] as [[Double]])
    // a.T = [1 3; 2 4], b.T = [5 7; 6 8]
    expectTensor(a.T.matmul(b), [26, 30, 38, 44], shape: [2, 2], dtype: .float64)
    expectTensor(a.matmul(b.T), [17, 23, 39, 53], shape: [2, 2], dtype: .float64)
    expectTensor(a.T.matmul(b.T), [23, 31, 34, 46], shape: [2, 2], dtype: .float64)
    // x·x.T is the Gram matrix of the rows: [1+4, 3+8; 3+8, 9+16]
    expectTensor(a.matmul(a.T), [5, 11, 11, 25], shape: [2, 2], dtype: .float64)
  }

  @Test func matmulOfNonSquareMatrices() {
    let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]] as [[Double]])
    let b = Tensor(rows: [[1], [0], [-1]] as [[Double]])
    // Each row's first minus third element.
    expectTensor(a.matmul(b), [-2, -2], shape: [2, 1], dtype: .float64)
    // [1,2,3]·[1,2,3] = 14, [1,2,3]·[4,5,6] = 32, [4,5,6]·[4,5,6] = 77
    expectTensor(a.matmul(a.T), [14, 32, 32, 77], shape: [2, 2], dtype: .float64)
  }

  @Test func matmulOfVectors() {
    let m = Tensor(rows: [[1, 2], [3, 4]] as [[Double]])
    let v = Tensor([1, -1] as [Double])
    expectTensor(m.matmul(v), [-1, -1], shape: [2], dtype: .float64)
    expectTensor(v.matmul(m), [-2, -2], shape: [2], dtype: .float64)
    // 1·4 + 2·5 + 3·6
    let dot = Tensor([1, 2, 3] as [Double]).matmul(Tensor([4, 5, 6] as [Double]))
    expectTensor(dot, [32], shape: [], dtype: .float64)
  }

  @Test func batchedMatmulBroadcastsATwoDimensionalRightOperand() {
    // Batch 0 is the identity, batch 1 is diag(2, 3).
    let a = Tensor([1, 0, 0, 1, 2, 0, 0, 3] as [Double], shape: [2, 2, 2])
    let b = Tensor(rows: [[1, 2], [3, 4]] as [[Double]])
    expectTensor(a.matmul(b), [1, 2, 3, 4, 2, 4, 9, 12], shape: [2, 2, 2], dtype: .float64)
  }

  @Test func batchedMatmulOfTwoBatches() {
    let a = Tensor([1, 2, 3, 4, 0, 1, 1, 0] as [Double], shape: [2, 2, 2])
    let b = Tensor([1, 0, 0, 1, 5, 6, 7, 8] as [Double], shape: [2, 2, 2])
    // Batch 0: a₀·I = a₀. Batch 1: the row swap [0 1; 1 0] applied to [5 6; 7 8].
    expectTensor(a.matmul(b), [1, 2, 3, 4, 7, 8, 5, 6], shape: [2, 2, 2], dtype: .float64)
  }
}

// MARK: - Reductions

extension ForwardValueTests {
  @Test func varianceAndStandardDeviationOfOneToFour() {
    let x = Tensor([1, 2, 3, 4] as [Double])
    // Mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5.
    #expect(mixedError(x.var().item(), 5.0 / 3.0) <= float64Roundings)
    #expect(x.var(unbiased: false).item() == 1.25)
    #expect(mixedError(x.std().item(), (5.0 / 3.0).squareRoot()) <= float64Roundings)
    #expect(mixedError(x.std(unbiased: false).item(), 1.25.squareRoot()) <= float64Roundings)
    #expect(x.var().shape == [])
  }

  @Test func varianceAlongADimension() {
    let x = Tensor(rows: [[1, 2, 3, 4], [2, 4, 6, 8]] as [[Double]])
    // The second row is twice the first: four times the variance.
    expectTensor(
      x.var(dim: 1), [5.0 / 3.0, 20.0 / 3.0], shape: [2], dtype: .float64,
      tolerance: float64Roundings)
    expectTensor(
      x.var(dim: 1, keepDim: true), [5.0 / 3.0, 20.0 / 3.0], shape: [2, 1], dtype: .float64,
      tolerance: float64Roundings)
    // Columns [1,2], [2,4], [3,6], [4,8]: biased variance (d/2)² for a difference d.
    expectTensor(
      x.var(dim: 0, unbiased: false), [0.25, 1, 2.25, 4], shape: [4], dtype: .float64)
    expectTensor(
      x.std(dim: 0, keepDim: true, unbiased: false), [0.5, 1, 1.5, 2], shape: [1, 4],
      dtype: .float64)
  }

  @Test func normsOfSmallVectors() {
    #expect(Tensor([3, 4] as [Double]).norm().item() == 5)
    #expect(Tensor([3, -4] as [Double]).norm(p: 1).item() == 7)
    // 3³ + 4³ + 5³ = 216 = 6³
    #expect(mixedError(Tensor([3, 4, 5] as [Double]).norm(p: 3).item(), 6) <= float64Roundings)
    let rows = Tensor(rows: [[3, 4], [6, 8]] as [[Double]])
    expectTensor(rows.norm(dim: 1), [5, 10], shape: [2], dtype: .float64)
    expectTensor(rows.norm(dim: 1, keepDim: true), [5, 10], shape: [2, 1], dtype: .float64)
    // Columns [3, 6] and [4, 8]: √45 = 3√5 and √80 = 4√5.
    expectTensor(
      rows.norm(dim: 0), [3 * 5.0.squareRoot(), 4 * 5.0.squareRoot()], shape: [2],
      dtype: .float64, tolerance: float64Roundings)
    expectTensor(
      Tensor(rows: [[3, 4], [0, 0]] as [[Double]]).norm(dim: 1), [5, 0],
      shape: [2], dtype: .float64)
  }

  @Test func sumOfOneToAHundredIs5050() {
    let ints = Tensor(Array(1...100))
    expectTensor(ints.sum(), [5050], shape: [], dtype: .int64)
    expectTensor(Tensor.arange(1, 101).sum(), [5050], shape: [], dtype: .int64)
    expectTensor(Tensor((1...100).map(Double.init)).sum(), [5050], shape: [], dtype: .float64)
    expectTensor(Tensor((1...100).map(Float.init)).sum(), [5050], shape: [], dtype: .float32)
  }

  @Test func sumAlongDimensions() {
    let x = Tensor(rows: [[1, 2, 3], [4, 5, 6]] as [[Double]])
    expectTensor(x.sum(dim: 0), [5, 7, 9], shape: [3], dtype: .float64)
    expectTensor(x.sum(dim: 1), [6, 15], shape: [2], dtype: .float64)
    expectTensor(x.sum(dim: -1, keepDim: true), [6, 15], shape: [2, 1], dtype: .float64)
    expectTensor(x.sum(dim: 0, keepDim: true), [5, 7, 9], shape: [1, 3], dtype: .float64)
    expectTensor(x.sum(dims: [0, 1]), [21], shape: [], dtype: .float64)
    expectTensor(x.sum(dims: [0, 1], keepDim: true), [21], shape: [1, 1], dtype: .float64)
    // Over dims 0 and 2 of y[a][b][c] = 12a + 4b + c: Σ over a∈{0,1}, c∈{0..3}
    // = 8·4b + 4·12 + 2·6 = 32b + 60.
    expectTensor(cube().sum(dims: [0, 2]), [60, 92, 124], shape: [3], dtype: .float64)
    expectTensor(
      cube().sum(dims: [2, 0], keepDim: true), [60, 92, 124], shape: [1, 3, 1],
      dtype: .float64)
  }

  @Test func meanAlongDimensions() {
    let x = Tensor(rows: [[1, 2, 3], [4, 5, 6]] as [[Double]])
    expectTensor(x.mean(), [3.5], shape: [], dtype: .float64)
    expectTensor(x.mean(dim: 0), [2.5, 3.5, 4.5], shape: [3], dtype: .float64)
    expectTensor(x.mean(dim: 1), [2, 5], shape: [2], dtype: .float64)
    expectTensor(x.mean(dim: 1, keepDim: true), [2, 5], shape: [2, 1], dtype: .float64)
    expectTensor(x.mean(dims: [0, 1]), [3.5], shape: [], dtype: .float64)
    // (32b + 60) / 8 = 4b + 7.5
    expectTensor(cube().mean(dims: [0, 2]), [7.5, 11.5, 15.5], shape: [3], dtype: .float64)
    expectTensor(
      cube().mean(dims: [0, -1], keepDim: true), [7.5, 11.5, 15.5], shape: [1, 3, 1],
      dtype: .float64)
  }

  @Test func maxAndMinAlongADimensionGiveValuesAndFirstIndices() {
    let x = Tensor(rows: [[1, 5, 3], [7, 2, 7]] as [[Double]])
    let rowMax = x.max(dim: 1)
    expectTensor(rowMax.values, [5, 7], shape: [2], dtype: .float64)
    // Row 1 has 7 at 0 and 2: the first is reported.
    expectTensor(rowMax.indices, [1, 0], shape: [2], dtype: .int64)
    let rowMin = x.min(dim: 1, keepDim: true)
    expectTensor(rowMin.values, [1, 2], shape: [2, 1], dtype: .float64)
    expectTensor(rowMin.indices, [0, 1], shape: [2, 1], dtype: .int64)
    let colMax = x.max(dim: 0)
    expectTensor(colMax.values, [7, 5, 7], shape: [3], dtype: .float64)
    expectTensor(colMax.indices, [1, 0, 1], shape: [3], dtype: .int64)
    let colMin = x.min(dim: -2)
    expectTensor(colMin.values, [1, 2, 3], shape: [3], dtype: .float64)
    expectTensor(colMin.indices, [0, 1, 0], shape: [3], dtype: .int64)
  }

  @Test func maxAndMinReportTheFirstIndexOnTies() {
    let x = Tensor([1, 3, 3] as [Double])
    expectTensor(x.max(dim: 0).values, [3], shape: [], dtype: .float64)
    expectTensor(x.max(dim: 0).indices, [1], shape: [], dtype: .int64)
    let y = Tensor([2, 1, 1] as [Double])
    expectTensor(y.min(dim: 0).indices, [1], shape: [], dtype: .int64)
    expectTensor(Tensor([4, 4, 4]).max(dim: 0).indices, [0], shape: [], dtype: .int64)
  }

  @Test func maxAndMinOfAllElements() {
    let x = Tensor(rows: [[1, 5, 3], [7, 2, 7]] as [[Double]])
    expectTensor(x.max(), [7], shape: [], dtype: .float64)
    expectTensor(x.min(), [1], shape: [], dtype: .float64)
    expectTensor(Tensor([-4, 9, 2]).max(), [9], shape: [], dtype: .int64)
  }

  @Test func argmaxAndArgmin() {
    let x = Tensor(rows: [[1, 5, 3], [7, 2, 7]] as [[Double]])
    expectTensor(x.argmax(dim: 1), [1, 0], shape: [2], dtype: .int64)
    expectTensor(x.argmax(dim: 1, keepDim: true), [1, 0], shape: [2, 1], dtype: .int64)
    expectTensor(x.argmin(dim: 0), [0, 1, 0], shape: [3], dtype: .int64)
    // The first 7 of the flattened [1, 5, 3, 7, 2, 7] is at 3.
    expectTensor(x.argmax(), [3], shape: [], dtype: .int64)
    expectTensor(Tensor([1, 3, 3] as [Double]).argmax(), [1], shape: [], dtype: .int64)
  }
}

// MARK: - Elementwise functions

extension ForwardValueTests {
  @Test func expAndLogAtKnownPoints() {
    expectTensor(Tensor([0] as [Double]).exp(), [1], shape: [1], dtype: .float64)
    expectTensor(Tensor([1] as [Double]).log(), [0], shape: [1], dtype: .float64)
    #expect(mixedError(Tensor(1.0, dtype: .float64).exp().item(), M_E) <= float64Roundings)
    #expect(mixedError(Tensor([M_E] as [Double]).log().item(), 1) <= float64Roundings)
    #expect(mixedError(exp(Tensor([2.0])).item(), M_E * M_E) <= float64Roundings)
    #expect(mixedError(log(Tensor([8.0])).item(), 3 * M_LN2) <= float64Roundings)
    #expect(Tensor([0] as [Double]).log().item() == -.infinity)
  }

  @Test func log1pIsAccurateForTinyArguments() {
    // log(1 + x) = x − x²/2 + …; for x = 1e-10 the second term is 5e-21.
    let tiny = Tensor([1e-10, -1e-12] as [Double]).log1p().toArray()
    #expect(relativeError(tiny[0], 1e-10 - 5e-21) <= 1e-12)
    #expect(relativeError(tiny[1], -1e-12 - 5e-25) <= 1e-12)
    // log(1 − 1/2) = −log 2
    #expect(mixedError(Tensor([-0.5] as [Double]).log1p().item(), -M_LN2) <= float64Roundings)
    #expect(Tensor([0] as [Double]).log1p().item() == 0)
  }

  @Test func sqrtAndPowers() {
    expectTensor(
      Tensor([4, 9, 0.25] as [Double]).sqrt(), [2, 3, 0.5], shape: [3], dtype: .float64)
    #expect(mixedError(sqrt(Tensor([2.0])).item(), 2.0.squareRoot()) <= float64Roundings)
    expectTensor(
      Tensor([-3, 2, 0.5] as [Double]).pow(2), [9, 4, 0.25], shape: [3], dtype: .float64)
    expectTensor(
      Tensor([4, 9, 0.25] as [Double]).pow(0.5), [2, 3, 0.5], shape: [3], dtype: .float64)
    // Integer exponents of negative bases, as in PyTorch: (−2)³ = −8, (−2)⁻¹ = −0.5.
    expectTensor(Tensor([-2, 3] as [Double]).pow(3), [-8, 27], shape: [2], dtype: .float64)
    expectTensor(Tensor([-2, 4] as [Double]).pow(-1), [-0.5, 0.25], shape: [2], dtype: .float64)
    expectTensor(Tensor([-2, 5] as [Double]).pow(0), [1, 1], shape: [2], dtype: .float64)
    let base = Tensor([2, 3, -2] as [Double])
    expectTensor(base.pow(Tensor([3, 2, 3] as [Double])), [8, 9, -8], shape: [3], dtype: .float64)
    // A negative base to a non-integer power has no real value.
    #expect(Tensor([-4] as [Double]).pow(0.5).item().isNaN)
  }

  @Test func trigonometricAndHyperbolicFunctions() {
    #expect(mixedError(Tensor([Double.pi / 6]).sin().item(), 0.5) <= float64Roundings)
    #expect(mixedError(Tensor([Double.pi / 3]).cos().item(), 0.5) <= float64Roundings)
    expectTensor(Tensor([0] as [Double]).sin(), [0], shape: [1], dtype: .float64)
    expectTensor(Tensor([0] as [Double]).cos(), [1], shape: [1], dtype: .float64)
    expectTensor(Tensor([0] as [Double]).tanh(), [0], shape: [1], dtype: .float64)
    // tanh(log 2) = (2 − 1/2) / (2 + 1/2) = 3/5
    #expect(mixedError(tanh(Tensor([M_LN2])).item(), 0.6) <= float64Roundings)
  }

  @Test func reluAndAbs() {
    let x = Tensor([-2, -0.5, 0, 0.5, 2] as [Double])
    expectTensor(x.relu(), [0, 0, 0, 0.5, 2], shape: [5], dtype: .float64)
    expectTensor(relu(x), [0, 0, 0, 0.5, 2], shape: [5], dtype: .float64)
    expectTensor(x.abs(), [2, 0.5, 0, 0.5, 2], shape: [5], dtype: .float64)
    expectTensor(-x, [2, 0.5, 0, -0.5, -2], shape: [5], dtype: .float64)
    // abs of integers stays integer.
    expectTensor(Tensor([-3, 0, 4]).abs(), [3, 0, 4], shape: [3], dtype: .int64)
  }

  @Test func reluOfIntegersStaysInteger() {
    // torch.relu(torch.tensor([-3, 0, 4])) is tensor([0, 0, 4]) of dtype int64.
    expectTensor(Tensor([-3, 0, 4]).relu(), [0, 0, 4], shape: [3], dtype: .int64)
  }

  @Test func clampWithBothOrOneBound() {
    let x = Tensor([-1, 0.5, 2] as [Double])
    expectTensor(x.clamp(min: 0), [0, 0.5, 2], shape: [3], dtype: .float64)
    expectTensor(x.clamp(max: 1), [-1, 0.5, 1], shape: [3], dtype: .float64)
    expectTensor(x.clamp(min: 0, max: 1), [0, 0.5, 1], shape: [3], dtype: .float64)
    expectTensor(x.clamp(min: -5, max: 5), [-1, 0.5, 2], shape: [3], dtype: .float64)
  }

  @Test func maximumAndMinimum() {
    let a = Tensor([1, 5, -2] as [Double])
    let b = Tensor([3, 2, -1] as [Double])
    expectTensor(a.maximum(b), [3, 5, -1], shape: [3], dtype: .float64)
    expectTensor(minimum(a, b), [1, 2, -2], shape: [3], dtype: .float64)
    // Broadcast against a column: [[0], [4]] with [1, 5, -2].
    let column = Tensor([0, 4] as [Double], shape: [2, 1])
    expectTensor(
      maximum(column, a), [1, 5, 0, 4, 5, 4], shape: [2, 3], dtype: .float64)
  }

  @Test func arithmeticWithSwiftNumbers() {
    let x = Tensor([2, 4] as [Double])
    expectTensor(1 / x, [0.5, 0.25], shape: [2], dtype: .float64)
    expectTensor(10 - x, [8, 6], shape: [2], dtype: .float64)
    expectTensor(x / 4, [0.5, 1], shape: [2], dtype: .float64)
    expectTensor(x * 1.5 + 0.5, [3.5, 6.5], shape: [2], dtype: .float64)
    expectTensor(x - 2.5, [-0.5, 1.5], shape: [2], dtype: .float64)
  }

  @Test func broadcastingAColumnAgainstARow() {
    let column = Tensor([0, 10, 20] as [Double], shape: [3, 1])
    let row = Tensor([1, 2, 3, 4] as [Double], shape: [1, 4])
    expectTensor(
      column + row, [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24], shape: [3, 4],
      dtype: .float64)
    expectTensor(
      column * row, [0, 0, 0, 0, 10, 20, 30, 40, 20, 40, 60, 80], shape: [3, 4],
      dtype: .float64)
    // [2,3,4] minus a [4] row: every row of cube() becomes [12a + 4b] · 1 + [0, 0, 0, 0].
    let flattenedRows = (0..<6).flatMap { r in Array(repeating: Double(4 * r), count: 4) }
    expectTensor(
      cube() - Tensor([0, 1, 2, 3] as [Double]), flattenedRows, shape: [2, 3, 4],
      dtype: .float64)
  }

  @Test func zeroDimensionalTensors() {
    let s = Tensor(3.0, dtype: .float64)
    #expect(s.shape == [])
    #expect(s.count == 1)
    #expect(s.item() == 3)
    expectTensor(s * Tensor([1, 2] as [Double]), [3, 6], shape: [2], dtype: .float64)
    expectTensor(s.sum(), [3], shape: [], dtype: .float64)
    expectTensor(s.exp().log(), [3], shape: [], dtype: .float64, tolerance: float64Roundings)
  }
}

// MARK: - Types

extension ForwardValueTests {
  @Test func integerTensorsStayInt64WithIntScalars() {
    let x = Tensor([1, 2, 3])
    expectTensor(x + 2, [3, 4, 5], shape: [3], dtype: .int64)
    expectTensor(2 + x, [3, 4, 5], shape: [3], dtype: .int64)
    expectTensor(x - 1, [0, 1, 2], shape: [3], dtype: .int64)
    expectTensor(10 - x, [9, 8, 7], shape: [3], dtype: .int64)
    expectTensor(x * 3, [3, 6, 9], shape: [3], dtype: .int64)
    expectTensor(-2 * x, [-2, -4, -6], shape: [3], dtype: .int64)
    expectTensor(-x, [-1, -2, -3], shape: [3], dtype: .int64)
    expectTensor(x * x, [1, 4, 9], shape: [3], dtype: .int64)
    expectTensor(x + Tensor([10, 20, 30]), [11, 22, 33], shape: [3], dtype: .int64)
  }

  @Test func integerDivisionIsTrueDivisionInFloat32() {
    let x = Tensor([1, 2, 3])
    expectTensor(x / 2, [0.5, 1, 1.5], shape: [3], dtype: .float32)
    expectTensor(6 / x, [6, 3, 2], shape: [3], dtype: .float32)
    expectTensor(Tensor([7, -7]) / Tensor([2, 2]), [3.5, -3.5], shape: [2], dtype: .float32)
  }

  @Test func integerTensorsWithFloatingPointOperands() {
    let x = Tensor([1, 2, 3])
    // A Swift Double acts like a Python float: int64 tensors become float32.
    expectTensor(x + 0.5, [1.5, 2.5, 3.5], shape: [3], dtype: .float32)
    expectTensor(x * 1.5, [1.5, 3, 4.5], shape: [3], dtype: .float32)
    expectTensor(
      x + Tensor([0.5, 0.5, 0.5] as [Double]), [1.5, 2.5, 3.5], shape: [3],
      dtype: .float64)
    expectTensor(x * Tensor([0.5] as [Float]), [0.5, 1, 1.5], shape: [3], dtype: .float32)
    // float32 with float64 gives float64.
    let mixed = Tensor([1, 2] as [Float]) + Tensor([0.25, 0.5] as [Double])
    expectTensor(mixed, [1.25, 2.5], shape: [2], dtype: .float64)
    // Float32 tensors stay float32 with Swift numbers.
    expectTensor(Tensor([1, 2] as [Float]) * 2.5, [2.5, 5], shape: [2], dtype: .float32)
    expectTensor(Tensor([1, 2] as [Float]) + 1, [2, 3], shape: [2], dtype: .float32)
  }

  @Test func zeroDimensionalTensorOfTheSameKindDoesNotPromote() {
    // PyTorch's rule: a 0-d operand decides the type only when it is of a higher kind
    // (bool < integer < floating point) than every operand with dimensions. So
    // float32 [2] + float64 0-d is float32, while int64 [2] + float64 0-d is float64.
    let f32 = Tensor([1, 2] as [Float]) + Tensor(0.5, dtype: .float64)
    expectTensor(f32, [1.5, 2.5], shape: [2], dtype: .float32)
    let f64 = Tensor([1, 2]) + Tensor(0.5, dtype: .float64)
    expectTensor(f64, [1.5, 2.5], shape: [2], dtype: .float64)
  }

  @Test func comparisonsGiveBoolMasks() {
    let x = Tensor([1, 2, 3] as [Double])
    expectTensor(x .> 2, [0, 0, 1], shape: [3], dtype: .bool)
    expectTensor(x .>= 2, [0, 1, 1], shape: [3], dtype: .bool)
    expectTensor(x .< 2, [1, 0, 0], shape: [3], dtype: .bool)
    expectTensor(x .<= 2, [1, 1, 0], shape: [3], dtype: .bool)
    expectTensor(x .== 2, [0, 1, 0], shape: [3], dtype: .bool)
    expectTensor(x .!= 2, [1, 0, 1], shape: [3], dtype: .bool)
    expectTensor(x .< Tensor([3, 2, 1] as [Double]), [1, 0, 0], shape: [3], dtype: .bool)
    // int64 against a fractional Double compares as floating point.
    expectTensor(Tensor([1, 2, 3]) .> 2.5, [0, 0, 1], shape: [3], dtype: .bool)
    // Broadcast: [3,1] against [3] gives [3,3].
    let column = Tensor([1, 2, 3] as [Double], shape: [3, 1])
    expectTensor(column .> x, [0, 0, 0, 1, 0, 0, 1, 1, 0], shape: [3, 3], dtype: .bool)
    let mask = x .> 1.5
    expectTensor(mask.sum(), [2], shape: [], dtype: .int64)
    expectTensor(mask.logicalNot(), [1, 0, 0], shape: [3], dtype: .bool)
    expectTensor(mask .&& (x .< 2.5), [0, 1, 0], shape: [3], dtype: .bool)
    expectTensor(mask .|| (x .< 1.5), [1, 1, 1], shape: [3], dtype: .bool)
  }

  @Test func float32ResultsMatchClosedForms() {
    let x = Tensor([1, 2, 0.5] as [Float])
    expectTensor(
      x.exp(), [M_E, M_E * M_E, M_E.squareRoot()], shape: [3], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      x.log(), [0, M_LN2, -M_LN2], shape: [3], dtype: .float32, tolerance: Tolerance.float32)
    expectTensor(
      x.sqrt(), [1, 2.0.squareRoot(), 0.5.squareRoot()], shape: [3], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      Tensor([Float.pi / 6]).sin(), [0.5], shape: [1], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      Tensor([Float(M_LN2)]).tanh(), [0.6], shape: [1], dtype: .float32,
      tolerance: Tolerance.float32)
    let oneToFour = Tensor([1, 2, 3, 4] as [Float])
    expectTensor(
      oneToFour.var(), [5.0 / 3.0], shape: [], dtype: .float32, tolerance: Tolerance.float32)
    expectTensor(
      oneToFour.std(), [(5.0 / 3.0).squareRoot()], shape: [], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      Tensor([3, 4] as [Float]).norm(), [5], shape: [], dtype: .float32,
      tolerance: Tolerance.float32)
    // 1000 × 0.1 = 100 (0.1 is not exact in float32: each term is off by 1.5e-9).
    expectTensor(
      Tensor([Float](repeating: 0.1, count: 1000)).sum(), [100], shape: [], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      Tensor([0.1, 0.2, 0.3, 0.4] as [Float]).mean(), [0.25], shape: [], dtype: .float32,
      tolerance: Tolerance.float32)
    let m = Tensor([0.1, 0.2, 0.3, 0.4] as [Float], shape: [2, 2])
    expectTensor(
      m.matmul(Tensor([1, 1] as [Float])), [0.3, 0.7], shape: [2], dtype: .float32,
      tolerance: Tolerance.float32)
    expectTensor(
      Tensor([1e-6] as [Float]).log1p(), [1e-6 - 5e-13], shape: [1], dtype: .float32,
      tolerance: Tolerance.float32)
  }
}

// MARK: - Selection

extension ForwardValueTests {
  @Test func whereChoosesElementwise() {
    let condition = Tensor([true, false, true])
    let a = Tensor([1, 2, 3] as [Double])
    let b = Tensor([10, 20, 30] as [Double])
    expectTensor(Tensor.where(condition, a, b), [1, 20, 3], shape: [3], dtype: .float64)
    // Condition [2,1], a [3], b 0-d: rows of a, or all −1.
    let rows = Tensor([true, false], shape: [2, 1])
    expectTensor(
      Tensor.where(rows, a, Tensor(-1.0, dtype: .float64)), [1, 2, 3, -1, -1, -1],
      shape: [2, 3], dtype: .float64)
    // An int64 and a float64 side give float64.
    expectTensor(
      Tensor.where(condition, Tensor([1, 2, 3]), b), [1, 20, 3], shape: [3], dtype: .float64)
    // Broadcast operands: condition [2,3] with a 0-d a and a column b [2,1] (both constant
    // along rows), then with a and b swapped; then all three full.
    let mask = Tensor([true, false, true, false, false, true], shape: [2, 3])
    let nine = Tensor(9.0, dtype: .float64)
    let column = Tensor([1, 2] as [Double], shape: [2, 1])
    expectTensor(
      Tensor.where(mask, nine, column), [9, 1, 9, 2, 2, 9], shape: [2, 3], dtype: .float64)
    expectTensor(
      Tensor.where(mask, column, nine), [1, 9, 1, 9, 9, 2], shape: [2, 3], dtype: .float64)
    let full = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])
    expectTensor(
      Tensor.where(mask, full, -full), [1, -2, 3, -4, -5, 6], shape: [2, 3], dtype: .float64)
  }

  @Test func maskedFillReplacesMaskedElements() {
    let x = Tensor([1, 2, 3] as [Double])
    expectTensor(
      x.maskedFill(Tensor([false, true, false]), -1), [1, -1, 3], shape: [3], dtype: .float64)
    let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]] as [[Double]])
    expectTensor(
      m.maskedFill(Tensor([true, false, true]), 0), [0, 2, 0, 0, 5, 0], shape: [2, 3],
      dtype: .float64)
    expectTensor(
      m.maskedFill(m .> 4, -.infinity), [1, 2, 3, 4, -.infinity, -.infinity], shape: [2, 3],
      dtype: .float64)
  }

  /// triu/tril of [[1, 2, 3], [4, 5, 6], [7, 8, 9]] with a diagonal, and the result.
  struct TriangleCase: Sendable, CustomTestStringConvertible {
    let upper: Bool
    let diagonal: Int
    let expected: [Double]
    var testDescription: String { "\(upper ? "triu" : "tril")(diagonal: \(diagonal))" }
  }

  static let triangleCases: [TriangleCase] = [
    TriangleCase(upper: true, diagonal: -1, expected: [1, 2, 3, 4, 5, 6, 0, 8, 9]),
    TriangleCase(upper: true, diagonal: 0, expected: [1, 2, 3, 0, 5, 6, 0, 0, 9]),
    TriangleCase(upper: true, diagonal: 1, expected: [0, 2, 3, 0, 0, 6, 0, 0, 0]),
    TriangleCase(upper: false, diagonal: -1, expected: [0, 0, 0, 4, 0, 0, 7, 8, 0]),
    TriangleCase(upper: false, diagonal: 0, expected: [1, 0, 0, 4, 5, 0, 7, 8, 9]),
    TriangleCase(upper: false, diagonal: 1, expected: [1, 2, 0, 4, 5, 6, 7, 8, 9]),
  ]

  @Test(arguments: triangleCases)
  func triangleOfAThreeByThreeMatrix(_ c: TriangleCase) {
    let x = Tensor((1...9).map(Double.init), shape: [3, 3])
    let out = c.upper ? x.triu(diagonal: c.diagonal) : x.tril(diagonal: c.diagonal)
    expectTensor(out, c.expected, shape: [3, 3], dtype: .float64)
  }

  @Test func triuOfANonSquareBatch() {
    let x = Tensor([Double](repeating: 1, count: 12), shape: [2, 2, 3])
    expectTensor(
      x.triu(), [1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1], shape: [2, 2, 3], dtype: .float64)
    expectTensor(
      Tensor([1, 2, 3, 4], shape: [2, 2]).tril(), [1, 0, 3, 4], shape: [2, 2],
      dtype: .int64)
  }
}

// MARK: - Joining

extension ForwardValueTests {
  @Test func catJoinsAlongAnExistingDimension() {
    let a = Tensor(rows: [[1, 2]] as [[Double]])
    let b = Tensor(rows: [[3, 4], [5, 6]] as [[Double]])
    expectTensor(Tensor.cat([a, b]), [1, 2, 3, 4, 5, 6], shape: [3, 2], dtype: .float64)
    let c = Tensor([1, 2] as [Double], shape: [2, 1])
    expectTensor(cat([c, b], dim: 1), [1, 3, 4, 2, 5, 6], shape: [2, 3], dtype: .float64)
    expectTensor(
      Tensor.cat([c, b, c], dim: -1), [1, 3, 4, 1, 2, 5, 6, 2], shape: [2, 4],
      dtype: .float64)
    expectTensor(Tensor.cat([Tensor([1, 2]), Tensor([3])]), [1, 2, 3], shape: [3], dtype: .int64)
  }

  @Test func stackJoinsAlongANewDimension() {
    let a = Tensor([1, 2] as [Double])
    let b = Tensor([3, 4] as [Double])
    expectTensor(Tensor.stack([a, b]), [1, 2, 3, 4], shape: [2, 2], dtype: .float64)
    expectTensor(Tensor.stack([a, b], dim: 1), [1, 3, 2, 4], shape: [2, 2], dtype: .float64)
    expectTensor(stack([a, b, a], dim: -1), [1, 3, 1, 2, 4, 2], shape: [2, 3], dtype: .float64)
    let s = Tensor.stack([Tensor(1.0, dtype: .float64), Tensor(2.0, dtype: .float64)])
    expectTensor(s, [1, 2], shape: [2], dtype: .float64)
    let m = Tensor(rows: [[1, 2], [3, 4]] as [[Double]])
    // Stacking two [2,2] along dim 1 gives [2,2,2]: out[i][k] = input k's row i.
    expectTensor(
      Tensor.stack([m, 10 * m], dim: 1), [1, 2, 10, 20, 3, 4, 30, 40],
      shape: [2, 2, 2], dtype: .float64)
  }
}

// MARK: - Indexing and shapes

extension ForwardValueTests {
  @Test func integerIndicesAndRanges() {
    let x = grid()
    expectTensor(x[1], [4, 5, 6, 7], shape: [4], dtype: .float64)
    expectTensor(x[-1], [8, 9, 10, 11], shape: [4], dtype: .float64)
    expectTensor(x[1][2], [6], shape: [], dtype: .float64)
    expectTensor(x[1, 2], [6], shape: [], dtype: .float64)
    expectTensor(x[1..<3], [4, 5, 6, 7, 8, 9, 10, 11], shape: [2, 4], dtype: .float64)
    expectTensor(x[0...1, 2...], [2, 3, 6, 7], shape: [2, 2], dtype: .float64)
    expectTensor(x[..<1], [0, 1, 2, 3], shape: [1, 4], dtype: .float64)
    // Ranges past the end are clipped, as in Python.
    expectTensor(x[2..<10], [8, 9, 10, 11], shape: [1, 4], dtype: .float64)
    // −2..<−1 is row 1.
    expectTensor(x[(-2)..<(-1)], [4, 5, 6, 7], shape: [1, 4], dtype: .float64)
  }

  @Test func wholeDimensionsEllipsisAndNewAxes() {
    let x = grid()
    expectTensor(x[.all, 0], [0, 4, 8], shape: [3], dtype: .float64)
    expectTensor(x[.ellipsis, 1], [1, 5, 9], shape: [3], dtype: .float64)
    expectTensor(cube()[.ellipsis, 1], [1, 5, 9, 13, 17, 21], shape: [2, 3], dtype: .float64)
    expectTensor(
      cube()[1, .ellipsis], Array(12..<24).map(Double.init), shape: [3, 4],
      dtype: .float64)
    expectTensor(
      cube()[.all, 2, .all], [8, 9, 10, 11, 20, 21, 22, 23], shape: [2, 4],
      dtype: .float64)
    #expect(x[.newAxis].shape == [1, 3, 4])
    #expect(x[.all, .newAxis].shape == [3, 1, 4])
    expectTensor(x[.newAxis, 2], [8, 9, 10, 11], shape: [1, 4], dtype: .float64)
  }

  @Test func slicesWithSteps() {
    let x = grid()
    expectTensor(
      x[.range(start: 0, end: nil, step: 2)], [0, 1, 2, 3, 8, 9, 10, 11], shape: [2, 4],
      dtype: .float64)
    expectTensor(
      x[.all, .range(start: 1, end: nil, step: 2)], [1, 3, 5, 7, 9, 11], shape: [3, 2],
      dtype: .float64)
    expectTensor(x[1, .range(step: 3)], [4, 7], shape: [2], dtype: .float64)
    expectTensor(
      x[.range(start: -2, end: nil, step: 1), .range(start: nil, end: 3, step: 2)],
      [4, 6, 8, 10], shape: [2, 2], dtype: .float64)
  }

  @Test func boolMaskSelection() {
    let x = grid()
    expectTensor(x[x .> 6.5], [7, 8, 9, 10, 11], shape: [5], dtype: .float64)
    expectTensor(
      x[Tensor([true, false, true])], [0, 1, 2, 3, 8, 9, 10, 11], shape: [2, 4],
      dtype: .float64)
    expectTensor(
      x[.all, Tensor([false, true, false, true])], [1, 3, 5, 7, 9, 11], shape: [3, 2],
      dtype: .float64)
    expectTensor(x[x .> 100], [], shape: [0], dtype: .float64)
  }

  @Test func advancedIndexingWithIntegerTensors() {
    let x = grid()
    // Pairs (0, 1) and (2, 3).
    expectTensor(x[Tensor([0, 2]), Tensor([1, 3])], [1, 11], shape: [2], dtype: .float64)
    // rows[i], labels[i] as in a cross-entropy loss.
    expectTensor(
      x[Tensor.arange(3), Tensor([2, 0, 3])], [2, 4, 11], shape: [3], dtype: .float64)
    expectTensor(
      x[Tensor([2, 0, 2])], [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11], shape: [3, 4],
      dtype: .float64)
    expectTensor(x[Tensor([-1])], [8, 9, 10, 11], shape: [1, 4], dtype: .float64)
    expectTensor(
      x[.all, Tensor([3, 0])], [3, 0, 7, 4, 11, 8], shape: [3, 2], dtype: .float64)
    expectTensor(x[1, Tensor([3, 0])], [7, 4], shape: [2], dtype: .float64)
    // A [2,2] index tensor selects rows into a [2,2,4] result.
    expectTensor(
      x[Tensor([0, 2, 1, 0], shape: [2, 2])],
      [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3], shape: [2, 2, 4], dtype: .float64)
  }

  @Test func advancedIndexingPlacesIndexDimensionsAsNumPyDoes() {
    let y = cube()
    // Adjacent index tensors replace dims 1 and 2 in place: out[a][i] = y[a, b_i, c_i].
    expectTensor(
      y[.all, Tensor([2, 0]), Tensor([1, 1])], [9, 1, 21, 13], shape: [2, 2], dtype: .float64)
    // Index tensors separated by a slice move to the front: out[i][b] = y[a_i, b, c_i].
    expectTensor(
      y[Tensor([1, 0]), .all, Tensor([2, 3])], [14, 18, 22, 3, 7, 11], shape: [2, 3],
      dtype: .float64)
    // One index tensor on the middle dim stays in the middle: out[a][i][c] = y[a, b_i, c].
    expectTensor(
      y[.all, Tensor([2]), .all], [8, 9, 10, 11, 20, 21, 22, 23], shape: [2, 1, 4],
      dtype: .float64)
  }

  @Test func gatherPicksAlongADimension() {
    let x = grid()
    let index = Tensor([0, 0, 1, 0, 3, 2], shape: [3, 2])
    // out[i][j] = x[i][index[i][j]]
    expectTensor(
      x.gather(dim: 1, index: index), [0, 0, 5, 4, 11, 10], shape: [3, 2],
      dtype: .float64)
    // out[i][j] = x[index[i][j]][j]
    expectTensor(
      x.gather(dim: 0, index: Tensor([2, 1, 0, 0], shape: [1, 4])), [8, 5, 2, 3],
      shape: [1, 4], dtype: .float64)
    expectTensor(
      x.gather(dim: -1, index: Tensor([3, 2, 1], shape: [3, 1])), [3, 6, 9], shape: [3, 1],
      dtype: .float64)
    // An index with fewer rows than the input reads only those rows.
    expectTensor(
      x.gather(dim: 1, index: Tensor([1, 0, 3, 3], shape: [2, 2])), [1, 0, 7, 7],
      shape: [2, 2], dtype: .float64)
  }

  @Test func shapeOperationsReorderElements() {
    let x = grid()
    expectTensor(x.T, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], shape: [4, 3], dtype: .float64)
    expectTensor(
      x.transpose(0, 1).flatten(), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11],
      shape: [12], dtype: .float64)
    expectTensor(
      x.reshape([2, -1]), Array(0..<12).map(Double.init), shape: [2, 6],
      dtype: .float64)
    // permute([2, 0, 1]) of [1,2,3] holding 0…5: out[k][0][i] = in[0][i][k] = 3i + k.
    let p = Tensor((0..<6).map(Double.init), shape: [1, 2, 3]).permute([2, 0, 1])
    expectTensor(p, [0, 3, 1, 4, 2, 5], shape: [3, 1, 2], dtype: .float64)
    #expect(Tensor.zeros([1, 3, 1, 2]).squeeze().shape == [3, 2])
    #expect(Tensor.zeros([1, 3, 1, 2]).squeeze(2).shape == [1, 3, 2])
    #expect(Tensor.zeros([1, 3, 1, 2]).squeeze(1).shape == [1, 3, 1, 2])
    #expect(Tensor.zeros([3, 2]).unsqueeze(1).shape == [3, 1, 2])
    #expect(Tensor.zeros([3, 2]).unsqueeze(-1).shape == [3, 2, 1])
    expectTensor(
      Tensor([1, 2] as [Double], shape: [2, 1]).expand([2, 3]), [1, 1, 1, 2, 2, 2],
      shape: [2, 3], dtype: .float64)
    expectTensor(
      x[1..<3].reshape([-1]), Array(4..<12).map(Double.init), shape: [8],
      dtype: .float64)
  }
}

@Test func pyTorchStyleSizeNumelAllAnyAndScalarWhere() {
  let x = Tensor([1, -2, 3, -4, 5, -6] as [Double], shape: [2, 3])
  #expect(x.size(0) == 2 && x.size(-1) == 3 && x.numel() == 6)
  #expect((x .> -10).all().item() == 1)
  #expect((x .> 0).all().item() == 0)
  #expect((x .> 4).any().item() == 1)
  #expect((x .> 10).any().item() == 0)
  #expect(Tensor.where(x .> 0, x, 0).toArray() == [1, 0, 3, 0, 5, 0])
  #expect(Tensor.where(x .> 0, -1, x).toArray() == [-1, -2, -1, -4, -1, -6])
}
