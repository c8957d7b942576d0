import Autograd
import AutogradTestSupport
import Testing

// Matrix products take different routes by shape: GEMV when one side is a vector, a loop
// for thin products (k ≤ 8, outer products at k = 1), GEMM otherwise, split over the cores
// when large. Each route is checked here against a product written out as loops in
// Double, on plain, transposed and strided operands.

@Suite struct MatmulPathTests {
  /// How an operand of a given logical shape is laid out in memory.
  enum Layout: String, CaseIterable, Sendable {
    case contiguous, transposed, strided

    func make(_ rows: Int, _ cols: Int, seed: UInt64, dtype: DType = .float64) -> Tensor {
      var g = Generator(seed: seed)
      switch self {
      case .contiguous: return Tensor.randn([rows, cols], dtype: dtype, generator: &g)
      case .transposed: return Tensor.randn([cols, rows], dtype: dtype, generator: &g).T
      case .strided:
        // Every other column of a wider matrix: rows are not contiguous with each other.
        return Tensor.randn([rows, 2 * cols], dtype: dtype, generator: &g)[
          .all, TensorIndex.slice(start: 0, end: nil, step: 2)]
      }
    }
  }

  static let shapes: [(n: Int, k: Int, m: Int, route: String)] = [
    (7, 5, 1, "GEMV, column result"), (1, 6, 9, "GEMV, row result"), (1, 4, 1, "dot product"),
    (6, 1, 5, "thin product, k = 1 (outer)"), (9, 2, 7, "thin product"),
    (5, 8, 6, "thin product, k = 8"),
    (6, 9, 7, "GEMM"), (300, 120, 200, "GEMM split over the cores"),
    (500, 3, 400, "thin product, large"),
  ]

  @Test(
    "every route equals the product by loops",
    arguments: shapes.indices, Layout.allCases)
  func routeMatchesLoops(_ index: Int, _ layoutA: Layout) {
    let (n, k, m, route) = Self.shapes[index]
    for layoutB in Layout.allCases {
      let a = layoutA.make(n, k, seed: UInt64(index * 10 + 1))
      let b = layoutB.make(k, m, seed: UInt64(index * 10 + 2))
      let error = maxError(a.matmul(b).toArray(), matrixProductByLoops(a, b))
      #expect(
        error <= Tolerance.float64Reference,
        "\(route): a \(layoutA.rawValue), b \(layoutB.rawValue), error \(error)")
    }
  }

  @Test("float32 thin and GEMV routes agree with the Double product to float32 precision")
  func float32Routes() {
    var g = Generator(seed: 5)
    for (n, k, m) in [(64, 2, 64), (3000, 2, 1), (2, 300, 1), (40, 1, 30)] {
      let a = Tensor.randn([n, k], generator: &g)
      let b = Tensor.randn([k, m], generator: &g)
      // k products of |x| ≲ 4 summed in float32: a few ulps each.
      let tolerance = Tolerance.float32 * Double(Swift.max(k, 4))
      #expect(
        maxError(a.matmul(b).toArray(), matrixProductByLoops(a, b)) <= tolerance, "\(n)×\(k)×\(m)")
    }
  }

  /// Float32 products of a matrix with a vector: [n, k] · [k, 1] with k ≤ 4 and, for a
  /// transposed `a`, n ≤ 4 take loops of their own (the two-column transposed case, the
  /// weight gradient of a two-feature model, a vectorized one); the others GEMV.
  static let narrowShapes: [(n: Int, k: Int)] = [
    (1, 1), (7, 1), (3000, 2), (37, 3), (5, 4), (9, 5), (2, 3000), (2, 7), (2, 8), (2, 17),
    (1, 17), (3, 1001), (4, 9), (5, 9),
  ]

  @Test("float32 products with a vector equal the Double product on every layout")
  func float32NarrowRoutes() {
    for (index, (n, k)) in Self.narrowShapes.enumerated() {
      for layoutA in Layout.allCases {
        for layoutB in Layout.allCases {
          let seed = UInt64(100 + 10 * index)
          let a = layoutA.make(n, k, seed: seed, dtype: .float32)
          let b = layoutB.make(k, 1, seed: seed + 1, dtype: .float32)
          // k products of |x| ≲ 4 summed in float32: a few ulps of the partial sums each.
          let tolerance = Tolerance.float32 * Double(Swift.max(k, 4))
          let error = maxError(a.matmul(b).toArray(), matrixProductByLoops(a, b))
          #expect(
            error <= tolerance,
            "\(n)×\(k)·[\(k), 1]: a \(layoutA.rawValue), b \(layoutB.rawValue), error \(error)")
        }
      }
    }
  }
}
