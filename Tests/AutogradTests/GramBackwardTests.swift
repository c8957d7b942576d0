import Autograd
import AutogradTestSupport
import Testing

// The fused backward of a Gram product A·Aᵀ gives A the gradient (G + Gᵀ)·A, read from one
// triangle of a symmetric matrix (SYMM). Three routes: G with a zero strict lower triangle
// (the gradient of a triu) read in place, G with a zero strict upper triangle (tril) read in
// place, and any other G summed into an upper triangle first. Each is checked here against
// (G + Gᵀ)·A written as loops in Double, or its closed form, on one core's size and on a
// size split over the cores (n·n·k ≥ 2²², the library's threshold for splitting products).
// The finite-difference checks of the same routes are in GradientTests.

@Suite struct GramBackwardTests {
  /// Sizes: one below the split threshold, one above it (260·260·64 ≈ 4.3M ≥ 4,194,304).
  static let sizes = [(40, 3), (260, 64)]

  /// `(H)·A` in Double by loops, for `H[i][j] = h(i, j)` and the row-major n × k matrix `a`.
  static func product(_ h: (Int, Int) -> Double, _ a: [Double], n: Int, k: Int) -> [Double] {
    var out = [Double](repeating: 0, count: n * k)
    for i in 0..<n {
      for j in 0..<n {
        let hij = h(i, j)
        for p in 0..<k { out[i * k + p] += hij * a[j * k + p] }
      }
    }
    return out
  }

  /// Tolerance of a gradient against its Double reference. Each element is a sum of n ≤ 260
  /// products. Float64: a few ulps of the largest partial sum (`float64Reference`). Float32:
  /// each addition rounds (u ≈ 6e-8), at most n·u of the sum of the terms' magnitudes, which
  /// for N(0, 1) data is up to about ten times the result itself: 260 · 6e-8 · 10 ≈ 1.6e-4.
  static func tolerance(_ dtype: DType) -> Double {
    dtype == .float64 ? Tolerance.float64Reference : 2e-4
  }

  @Test(
    "the gradient of a sum over a triangle of A·Aᵀ has its closed form",
    arguments: [DType.float64, .float32], [0, 1])
  func triangleSums(_ dtype: DType, _ sizeIndex: Int) {
    let (n, k) = Self.sizes[sizeIndex]
    // (triangle, its diagonal offset, whether the diagonal is kept): G + Gᵀ is 11ᵀ − I
    // without the diagonal and 11ᵀ + I with it, so row i of dA is Σⱼ aⱼ ∓ aᵢ.
    let cases: [(String, (Tensor) -> Tensor, Double)] = [
      ("triu(1)", { $0.triu(diagonal: 1) }, -1), ("triu(0)", { $0.triu() }, 1),
      ("tril(-1)", { $0.tril(diagonal: -1) }, -1), ("tril(0)", { $0.tril() }, 1),
    ]
    for (name, triangle, diagonalSign) in cases {
      var g = Generator(seed: UInt64(500 + n + k))
      let a = Tensor.randn([n, k], dtype: dtype, generator: &g).requireGrad()
      triangle(a.matmul(a.T)).sum().backward()
      let x = a.toArray()
      var expected = [Double](repeating: 0, count: n * k)
      for p in 0..<k {
        let column = (0..<n).reduce(0.0) { $0 + x[$1 * k + p] }
        for i in 0..<n { expected[i * k + p] = column + diagonalSign * x[i * k + p] }
      }
      let error = maxError(a.grad?.toArray() ?? [], expected)
      #expect(error <= Self.tolerance(dtype), "\(name), \(dtype), n = \(n): \(error)")
    }
  }

  @Test(
    "a weighted triangle (zero on one side, any diagonal) gives (G + Gᵀ)·A",
    arguments: [DType.float64, .float32], [0, 1])
  func weightedTriangles(_ dtype: DType, _ sizeIndex: Int) {
    let (n, k) = Self.sizes[sizeIndex]
    for upper in [true, false] {
      var g = Generator(seed: UInt64(600 + n + k))
      let a = Tensor.randn([n, k], dtype: dtype, generator: &g).requireGrad()
      let weights = Tensor.randn([n, n], dtype: dtype, generator: &g)
      let s = a.matmul(a.T) * weights
      (upper ? s.triu() : s.tril()).sum().backward()
      // G = triu(W) or tril(W), diagonal included: G + Gᵀ counts it twice.
      let w = weights.toArray()
      let kept = { (i: Int, j: Int) in upper ? j >= i : j <= i }
      let expected = Self.product(
        { i, j in (kept(i, j) ? w[i * n + j] : 0) + (kept(j, i) ? w[j * n + i] : 0) },
        a.toArray(), n: n, k: k)
      let error = maxError(a.grad?.toArray() ?? [], expected)
      #expect(
        error <= Self.tolerance(dtype), "\(upper ? "triu" : "tril"), n = \(n): \(error)")
    }
  }

  @Test(
    "a dense gradient (the sum route) gives (W + Wᵀ)·A",
    arguments: [DType.float64, .float32], [0, 1])
  func denseGradient(_ dtype: DType, _ sizeIndex: Int) {
    let (n, k) = Self.sizes[sizeIndex]
    var g = Generator(seed: UInt64(700 + n + k))
    let a = Tensor.randn([n, k], dtype: dtype, generator: &g).requireGrad()
    let weights = Tensor.randn([n, n], dtype: dtype, generator: &g)
    (a.matmul(a.T) * weights).sum().backward()
    let w = weights.toArray()
    let expected = Self.product({ i, j in w[i * n + j] + w[j * n + i] }, a.toArray(), n: n, k: k)
    let error = maxError(a.grad?.toArray() ?? [], expected)
    #expect(error <= Self.tolerance(dtype), "n = \(n): \(error)")
  }

  @Test("a broadcast gradient (of A·Aᵀ summed whole) gives 2·Σⱼ aⱼ in every row")
  func broadcastGradient() {
    var g = Generator(seed: 801)
    let (n, k) = (64, 5)
    let a = Tensor.randn([n, k], dtype: .float64, generator: &g).requireGrad()
    a.matmul(a.T).sum().backward()
    let x = a.toArray()
    let columns = (0..<k).map { p in (0..<n).reduce(0.0) { $0 + x[$1 * k + p] } }
    let expected = (0..<(n * k)).map { 2 * columns[$0 % k] }
    #expect(maxError(a.grad?.toArray() ?? [], expected) <= Tolerance.float64Reference)
  }

  @Test("a NaN below the diagonal of the gradient is not taken for zero; −0 is")
  func nanAndNegativeZero() {
    var g = Generator(seed: 802)
    let (n, k) = (36, 4)
    let a = Tensor.randn([n, k], dtype: .float64, generator: &g).requireGrad()
    var w = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in i..<n { w[i * n + j] = Double(i + 2 * j % 7) / 8 }
      for j in 0..<i { w[i * n + j] = -0.0 }
    }
    // Only −0 below the diagonal: the in-place route; G + Gᵀ is the upper triangle mirrored.
    (a.matmul(a.T) * Tensor(w, shape: [n, n])).sum().backward()
    let expected = Self.product(
      { i, j in i <= j ? w[i * n + j] + (i == j ? w[i * n + j] : 0) : w[j * n + i] },
      a.toArray(), n: n, k: k)
    #expect(maxError(a.grad?.toArray() ?? [], expected) <= Tolerance.float64Reference)
    // One NaN at (5, 2): it reaches rows 5 and 2 of the gradient (row 5 through G, row 2
    // through Gᵀ) and no other row.
    w[5 * n + 2] = .nan
    a.grad = nil
    (a.matmul(a.T) * Tensor(w, shape: [n, n])).sum().backward()
    let grad = a.grad?.toArray() ?? []
    let nanRows = Set((0..<n).filter { i in (0..<k).contains { grad[i * k + $0].isNaN } })
    #expect(nanRows == [2, 5])
  }
}
