import Autograd
import AutogradTestSupport
import Testing

// The Gram product's backward when its gradient G is a triangle of one value c (the
// gradient of `triu`/`tril` of A·Aᵀ summed or averaged): (G + Gᵀ)·A is c times the sum of
// A's rows from i + d on plus those up to i − d, taken by running sums in Double instead of
// SYMM. Checked against (G + Gᵀ)·A by loops in Double, against the SYMM route (the same
// gradient through a dense product, which the running sums cannot see), and against
// central finite differences, on contiguous, transposed and offset operands; and the cases
// where the running sums must not be used: a non-finite A or c, and a gradient of S summed
// with another one.

@Suite struct GramTriangleRouteTests {
  /// The triangle selectors with their diagonals: d = 0 keeps the diagonal (counted twice
  /// in G + Gᵀ), d < 0 overlaps the two triangles, |d| ≥ n leaves an empty or full one.
  static let triangles: [(String, Int, Bool)] = [
    ("triu", 1, true), ("triu", 0, true), ("triu", 3, true), ("triu", -2, true),
    ("triu", 50, true), ("triu", -50, true), ("tril", -1, false), ("tril", 0, false),
    ("tril", 2, false), ("tril", -4, false),
  ]

  static func select(_ s: Tensor, diagonal: Int, upper: Bool) -> Tensor {
    upper ? s.triu(diagonal: diagonal) : s.tril(diagonal: diagonal)
  }

  /// Operands of n rows and k columns in three layouts (the Gram route needs n ≥ 32).
  static func operands(n: Int, k: Int, dtype: DType, seed: UInt64) -> [(String, Tensor)] {
    var g = Generator(seed: seed)
    let contiguous = Tensor.randn([n, k], dtype: dtype, generator: &g)
    let transposed = Tensor.randn([k, n], dtype: dtype, generator: &g).T
    let wide = Tensor.randn([n + 4, k + 3], dtype: dtype, generator: &g)
    return [
      ("contiguous", contiguous), ("transposed", transposed),
      ("offset slice", wide[3..<(n + 3), 2..<(k + 2)]),
    ]
  }

  /// Float32 gradients against Double: the running sums round once per element (≈ 6e-8
  /// relative), the forward product's float32 rounding does not reach the gradient (it is
  /// linear in A with weights fixed by the triangle). 1e-6 of the largest |sum| of rows,
  /// which mixedError measures relative to max(1, |value|), leaves a margin of ten.
  static func tolerance(_ dtype: DType) -> Double {
    dtype == .float64 ? Tolerance.float64Reference : 1e-6
  }

  @Test(
    "a triangle of one value gives (G + Gᵀ)·A", arguments: [DType.float64, .float32])
  func againstLoops(_ dtype: DType) {
    let (n, k) = (40, 3)
    for (layout, operand) in Self.operands(n: n, k: k, dtype: dtype, seed: 71) {
      for (name, diagonal, upper) in Self.triangles {
        for (scaleName, scale) in [("sum", 1.0), ("mean", 1.0 / Double(n * n)), ("−2·sum", -2.0)] {
          let a = operand.detach().requireGrad()
          let s = Self.select(a.matmul(a.T), diagonal: diagonal, upper: upper)
          (scaleName == "mean" ? s.mean() : scale * s.sum()).backward()
          let kept = { (i: Int, j: Int) in upper ? j - i >= diagonal : j - i <= diagonal }
          let expected = GramBackwardTests.product(
            { i, j in scale * ((kept(i, j) ? 1 : 0) + (kept(j, i) ? 1 : 0)) }, a.toArray(),
            n: n, k: k)
          let error = maxError(a.grad?.toArray() ?? [], expected)
          #expect(
            error <= Self.tolerance(dtype),
            "\(layout) \(dtype) \(name)(\(diagonal)) \(scaleName): \(error)")
        }
      }
    }
  }

  /// The gradient of `select(A·Aᵀ)` summed, through the dense route: multiplying S by ones
  /// makes the triangle's gradient a product's result, which carries no note.
  static func denseRouteGradient(_ x: Tensor, diagonal: Int, upper: Bool, scale: Double = 1)
    -> [Double]
  {
    let a = x.detach().requireGrad()
    let s = a.matmul(a.T) * Tensor.ones([x.shape[0], x.shape[0]], dtype: x.dtype)
    (scale * select(s, diagonal: diagonal, upper: upper).sum()).backward()
    return a.grad?.toArray() ?? []
  }

  @Test(
    "split over the cores, the running sums agree with SYMM",
    arguments: [(2048, 512), (1500, 700)])
  func againstSYMMOnTheCores(_ size: (Int, Int)) {
    let (n, k) = size
    var g = Generator(seed: UInt64(n))
    let x = Tensor.randn([n, k], dtype: .float64, generator: &g)
    for (name, diagonal, upper) in [("triu", 1, true), ("tril", -7, false), ("triu", -3, true)] {
      let a = x.detach().requireGrad()
      Self.select(a.matmul(a.T), diagonal: diagonal, upper: upper).mean().backward()
      let dense = Self.denseRouteGradient(
        x, diagonal: diagonal, upper: upper, scale: 1 / Double(n * n))
      // Both in float64: the orders of n ≤ 2048 additions differ, a few ulps of the sums.
      let error = maxError(a.grad?.toArray() ?? [], dense)
      #expect(error <= Tolerance.float64Reference, "\(n)×\(k) \(name)(\(diagonal)): \(error)")
    }
  }

  @Test("central finite differences agree", arguments: [(1, true), (0, false), (-3, true)])
  func finiteDifferences(_ diagonal: Int, _ upper: Bool) {
    let a = seededInput([32, 3], seed: UInt64(90 + diagonal))
    let f = { (inputs: [Tensor]) in
      Self.select(inputs[0].matmul(inputs[0].T), diagonal: diagonal, upper: upper).mean()
    }
    a.grad = nil
    f([a]).backward()
    let numeric = finiteDifferenceGradients(of: f, at: [a])[0]
    let error = maxError(a.grad?.toArray() ?? [], numeric)
    #expect(error <= Tolerance.finiteDifference, "diagonal \(diagonal): \(error)")
  }

  @Test(
    "non-finite operands and scales take the product, as the dense route does",
    arguments: [Double.nan, .infinity, -.infinity])
  func nonFinite(_ special: Double) {
    var g = Generator(seed: 17)
    let values = Tensor.randn([40, 3], dtype: .float64, generator: &g).toArray()
    var withSpecial = values
    withSpecial[5 * 3 + 1] = special
    let x = Tensor(withSpecial, shape: [40, 3])
    let a = x.detach().requireGrad()
    a.matmul(a.T).triu(diagonal: 1).sum().backward()
    let error = maxEdgeAwareError(
      a.grad?.toArray() ?? [], Self.denseRouteGradient(x, diagonal: 1, upper: true))
    #expect(error <= Tolerance.float64Reference, "\(special) in A: \(error)")
    // A finite A under a non-finite upstream gradient: c itself is not finite.
    let b = Tensor(values, shape: [40, 3]).requireGrad()
    (special * b.matmul(b.T).tril(diagonal: -1).sum()).backward()
    let dense = Self.denseRouteGradient(
      Tensor(values, shape: [40, 3]), diagonal: -1, upper: false, scale: special)
    let scaledError = maxEdgeAwareError(b.grad?.toArray() ?? [], dense)
    #expect(scaledError <= Tolerance.float64Reference, "scale \(special): \(scaledError)")
  }

  @Test("a triangle's gradient summed with another one is no longer one value")
  func accumulatedGradient() {
    var g = Generator(seed: 23)
    let a = Tensor.randn([40, 3], dtype: .float64, generator: &g).requireGrad()
    let w = Tensor.randn([40, 40], dtype: .float64, generator: &g)
    let s = a.matmul(a.T)
    (s.triu(diagonal: 1).sum() + (s * w).sum()).backward()
    // G = triu(1s, 1) + W.
    let weights = w.toArray()
    let gradient = { (i: Int, j: Int) in (j > i ? 1 : 0) + weights[i * 40 + j] }
    let expected = GramBackwardTests.product(
      { i, j in gradient(i, j) + gradient(j, i) }, a.toArray(), n: 40, k: 3)
    let error = maxError(a.grad?.toArray() ?? [], expected)
    #expect(error <= Tolerance.float64Reference, "\(error)")
  }
}
