import Autograd
import AutogradTestSupport
import PropertyBased
import Testing

// Properties on random shapes and values. A failure reports the shrunk counterexample (the
// smallest shape and values that still fail) and the seed that reproduces it.

/// A random matrix: its shape and values, described so a counterexample can be read.
struct Matrix: Sendable, CustomStringConvertible {
  var rows: Int
  var cols: Int
  var values: [Double]

  /// The values as a float64 tensor of shape [rows, cols], optionally requiring grad.
  func tensor(requiresGrad: Bool = false) -> Tensor {
    Tensor(values, shape: [rows, cols], requiresGrad: requiresGrad)
  }

  var description: String { "Matrix(\(rows)×\(cols): \(values))" }
}

/// Matrices of 1…4 × 1…4 with values in [-3, 3]; the value list is reused cyclically, so
/// shrinking it never leaves the shape without values.
private func matrices(_ range: ClosedRange<Double> = -3...3)
  -> PropertyBased.Generator<Matrix, AnySequence<Any>>
{
  zip(Gen.int(in: 1...4), Gen.int(in: 1...4), Gen.double(in: range).array(of: 1...16)).map {
    (shape: (Int, Int, [Double])) -> Matrix in
    let (rows, cols, pool) = shape
    let values = (0..<(rows * cols)).map { pool.isEmpty ? 0.5 : pool[$0 % pool.count] }
    return Matrix(rows: rows, cols: cols, values: values)
  }.eraseToAny()
}

/// Exact equality of two tensors' shapes and elements.
private func same(_ a: Tensor, _ b: Tensor) -> Bool {
  a.shape == b.shape && a.toArray() == b.toArray()
}

// MARK: - Algebraic identities

@Test func additionAndMultiplicationCommuteExactly() async {
  await propertyCheck(input: matrices(), Gen.double(in: -3...3)) { m, s in
    let a = m.tensor()
    let b = a.T.contiguous().T * s + 1
    #expect(same(a + b, b + a))
    #expect(same(a * b, b * a))
    #expect(same(maximum(a, b) + minimum(a, b), a + b))
  }
}

@Test func reluAbsAndNegationIdentities() async {
  await propertyCheck(input: matrices()) { m in
    let a = m.tensor()
    #expect(same(a.relu() - (-a).relu(), a))
    #expect(same(a.abs(), maximum(a, -a)))
    #expect(same(-(-a), a))
    #expect(same(a.clamp(min: -1, max: 1), minimum(maximum(a, Tensor(-1.0)), Tensor(1.0))))
  }
}

@Test func sumOfDimsEqualsSumOfAll() async {
  await propertyCheck(input: matrices()) { m in
    let a = m.tensor()
    // Sums in different orders: equal to rounding (16 values of size ≤ 3).
    #expect(mixedError(a.sum(dims: [0, 1]).item(), a.sum().item()) <= Tolerance.float64Reference)
    #expect(
      mixedError(a.sum(dim: 0).sum().item(), a.sum(dim: 1).sum().item())
        <= Tolerance.float64Reference)
    #expect(same(a.amax(dims: [0, 1]), a.max()))
    #expect(same(a.amin(dims: [1]), a.min(dim: 1).values))
  }
}

// MARK: - Broadcasting against an explicit expand

@Test func broadcastingMatchesExplicitExpandWithGradients() async {
  await propertyCheck(input: matrices(), matrices()) { x, y in
    let column = Tensor(Array(x.values.prefix(x.rows)), shape: [x.rows, 1], requiresGrad: true)
    let row = Tensor(
      Array(y.values.prefix(y.cols)), shape: [1, y.cols], requiresGrad: true)
    let implicit = column * row + column
    let columnE = column.detach().requireGrad()
    let rowE = row.detach().requireGrad()
    let shape = [x.rows, y.cols]
    let explicit = columnE.expand(shape) * rowE.expand(shape) + columnE.expand(shape)
    #expect(same(implicit, explicit))
    implicit.sum().backward()
    explicit.sum().backward()
    #expect(maxError(column.grad!.toArray(), columnE.grad!.toArray()) <= 1e-12)
    #expect(maxError(row.grad!.toArray(), rowE.grad!.toArray()) <= 1e-12)
  }
}

// MARK: - Views against copies

@Test func viewsGiveTheResultsAndGradientsOfCopies() async {
  await propertyCheck(input: matrices()) { m in
    let base = m.tensor(requiresGrad: true)
    let copyBase = m.tensor(requiresGrad: true)
    let view = base.T
    let copied = copyBase.T.contiguous()
    let f: (Tensor) -> Tensor = { t in (t.exp() * t).sum(dim: 0) + t.amax(dims: [0]) }
    let (a, b) = (f(view), f(copied))
    #expect(maxError(a.toArray(), b.toArray()) <= Tolerance.float64Reference)
    a.sum().backward()
    b.sum().backward()
    #expect(maxError(base.grad!.toArray(), copyBase.grad!.toArray()) <= Tolerance.float64Reference)
    // A strided view (every second row) against its copy, through a matrix product.
    let rows = m.tensor()[TensorIndex.slice(start: nil, end: nil, step: 2)]
    #expect(
      maxError(
        rows.matmul(rows.T).toArray(), rows.contiguous().matmul(rows.contiguous().T).toArray())
        <= Tolerance.float64Reference)
  }
}

// MARK: - Finite differences away from kinks

/// Checks every input's autograd gradient against central differences in Float64.
private func expectGradients(_ m: Matrix, _ op: @escaping ([Tensor]) -> Tensor) {
  let x = m.tensor(requiresGrad: true)
  let (analytic, numeric) = gradientCheck(op, inputs: [x])
  #expect(maxError(analytic[0], numeric[0]) <= Tolerance.finiteDifference, "\(m)")
}

@Test func smoothOperationsMatchFiniteDifferences() async {
  await propertyCheck(count: 40, input: matrices()) { m in
    expectGradients(m) { ($0[0].tanh() * $0[0].sin()).exp() }
    expectGradients(m) { $0[0].var(dims: [0, 1], unbiased: false) + $0[0].mean(dims: [1]).sum() }
    expectGradients(m) { $0[0].pow(3) / (1 + $0[0] * $0[0]) }
  }
}

/// Values at least 0.25 from 0, for norms whose derivatives have kinks or poles there, and
/// distinct (index-dependent offsets), so that std is away from its kink at variance 0.
private func awayFromZero(_ m: Matrix) -> Matrix {
  var m = m
  m.values = m.values.enumerated().map { i, v in
    let w = v + Double(i) * 0.0731
    return w < 0 ? w - 0.25 : w + 0.25
  }
  return m
}

@Test func normsAndStdMatchFiniteDifferencesAwayFromZero() async {
  await propertyCheck(count: 40, input: matrices()) { m in
    let m = awayFromZero(m)
    for p in [1.5, 2, 3] {
      expectGradients(m) { $0[0].norm(p: p, dims: [1]) }
    }
    // std of a single element is NaN (n − 1 = 0): only for more than one.
    if m.values.count > 1 { expectGradients(m) { $0[0].std(dims: [0, 1]) } }
  }
}

@Test func extremesAndClampMatchFiniteDifferencesAwayFromTiesAndBounds() async {
  await propertyCheck(count: 40, input: matrices()) { m in
    // Distinct values (index-dependent offsets) keep amax/amin and the inf-norm away from
    // ties; values 0.01 from the bounds keep clamp away from its kinks.
    var m = m
    m.values = m.values.enumerated().map { i, v in v + Double(i) * 0.0137 }
    expectGradients(m) { $0[0].amax(dims: [0]) * $0[0].amin(dims: [1]).sum() }
    expectGradients(m) { $0[0].norm(p: .infinity, dims: [1]) }
    var c = m
    c.values = c.values.map { Swift.abs(Swift.abs($0) - 1) < 0.01 ? $0 + 0.02 : $0 }
    expectGradients(c) { $0[0].clamp(min: -1, max: 1) * $0[0] }
  }
}
