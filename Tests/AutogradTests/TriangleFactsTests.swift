import Autograd
import AutogradTestSupport
import Testing

// The pass that writes triu/tril of a matrix also takes the result's sum, and notes which
// strict triangle is zero and whether every kept element is one value (the gradient of a
// sum). `sum()` of the result reads the noted sum; the Gram product's backward takes the
// zero triangle from the note, and for a triangle of one value computes (G + Gᵀ)·A by
// running sums of A's rows instead of SYMM. Checked here: values against the triangle and
// sums by their definitions in Double, on contiguous, strided, offset and broadcast inputs,
// square or not, on one core and split over the cores; the notes retired by in-place
// writes; gradients against (G + Gᵀ)·A by loops in Double, against the SYMM route and
// against central finite differences; and the inputs where the running sums must not be
// used (non-finite A or upstream gradient, a gradient summed with another one).

@Suite struct TriangleFactsTests {
  /// The layouts a triangle reads: contiguous, transposed (strides (1, rows)),
  /// an offset slice of a wider matrix, and broadcasts of a scalar, a row and a column.
  static func layouts(rows: Int, cols: Int, seed: UInt64, dtype: DType) -> [(String, Tensor)] {
    var g = Generator(seed: seed)
    let contiguous = Tensor.randn([rows, cols], dtype: dtype, generator: &g)
    let transposed = Tensor.randn([cols, rows], dtype: dtype, generator: &g).T
    let wide = Tensor.randn([rows + 3, cols + 5], dtype: dtype, generator: &g)
    let slice = wide[2..<(rows + 2), 3..<(cols + 3)]
    let row = Tensor.randn([1, cols], dtype: dtype, generator: &g)
    let column = Tensor.randn([rows, 1], dtype: dtype, generator: &g)
    return [
      ("contiguous", contiguous), ("transposed", transposed), ("offset slice", slice),
      ("broadcast scalar", Tensor(-1.25, dtype: dtype).expand([rows, cols])),
      ("broadcast row", row.expand([rows, cols])),
      ("broadcast column", column.expand([rows, cols])),
    ]
  }

  /// The triangle of the row-major `values` (rows × cols) by its definition.
  static func triangle(_ values: [Double], cols: Int, diagonal: Int, upper: Bool) -> [Double] {
    values.enumerated().map { index, v in
      let (i, j) = (index / cols, index % cols)
      return (upper ? j - i >= diagonal : j - i <= diagonal) ? v : 0
    }
  }

  /// Float32 sums are accumulated in Double and rounded once; against the Double sum of the
  /// same float32 values only that rounding differs (half an ulp, u ≈ 6e-8), relative to
  /// the sum, or to 1 for sums below 1 (mixedError), plus the Double rounding of a sum of
  /// 10⁶ terms (≈ 1e-10 of the sum of magnitudes).
  static func sumTolerance(_ dtype: DType) -> Double {
    dtype == .float64 ? Tolerance.float64Reference : 1e-7
  }

  @Test(
    "triangles and their sums match their definitions",
    arguments: [DType.float64, .float32], [(5, 7), (7, 5), (1100, 1000)])
  func valuesAndSums(_ dtype: DType, _ size: (Int, Int)) {
    let (rows, cols) = size
    for (name, x) in Self.layouts(rows: rows, cols: cols, seed: UInt64(rows + cols), dtype: dtype) {
      let values = x.toArray()
      for diagonal in [-rows - 2, -3, 0, 1, 4, cols + 1] {
        for upper in [true, false] {
          let t = upper ? x.triu(diagonal: diagonal) : x.tril(diagonal: diagonal)
          let want = Self.triangle(values, cols: cols, diagonal: diagonal, upper: upper)
          let label = "\(name) \(dtype) \(rows)×\(cols) \(upper ? "triu" : "tril")(\(diagonal))"
          #expect(t.toArray() == want, "\(label)")
          let sum = want.reduce(0, +)
          let error = mixedError(t.sum().item(), sum)
          #expect(error <= Self.sumTolerance(dtype), "\(label): sum off by \(error)")
          let meanError = mixedError(t.mean().item(), sum / Double(rows * cols))
          #expect(meanError <= Self.sumTolerance(dtype), "\(label): mean off by \(meanError)")
        }
      }
    }
  }

  @Test func integerAndBoolTrianglesSumAsBefore() {
    let x = Tensor([[1, 2, 3], [4, 5, 6]]).to(.int64)
    #expect(x.triu(diagonal: 1).sum().item() == 2 + 3 + 6)
    #expect(x.tril().sum().item() == 1 + 4 + 5)
    let b = Tensor([[1, 0, 1], [1, 1, 1]]).to(.bool)
    #expect(b.triu().sum().item() == 1 + 1 + 1 + 1)
  }

  @Test("an in-place write retires the noted sum", arguments: [DType.float64, .float32])
  func inPlaceWrites(_ dtype: DType) {
    var g = Generator(seed: 31)
    let x = Tensor.randn([6, 6], dtype: dtype, generator: &g)
    let t = x.triu(diagonal: 1)
    var want = t.toArray()
    let direct = { (values: [Double]) in values.reduce(0, +) }
    // Each write is one the note cannot know: an element below the diagonal, all elements,
    // a fill, a copy.
    t[4, 1] = Tensor(100.0, dtype: dtype)
    want[4 * 6 + 1] = 100
    #expect(mixedError(t.sum().item(), direct(want)) <= Self.sumTolerance(dtype))
    t += 1
    want = want.map { $0 + 1 }
    #expect(mixedError(t.sum().item(), direct(want)) <= Self.sumTolerance(dtype))
    t.fill(2)
    #expect(t.sum().item() == 72)
    let u = x.tril()
    u.copy(from: Tensor.ones([6, 6], dtype: dtype))
    #expect(u.sum().item() == 36)
    // Views of the triangle read its elements, noted or not.
    let v = x.triu()
    let vSum = direct(v.toArray())
    #expect(mixedError(v.T.sum().item(), vSum) <= Self.sumTolerance(dtype))
    #expect(mixedError(v.reshape([36]).sum().item(), vSum) <= Self.sumTolerance(dtype))
    let rowsSum = direct(Array(v.toArray()[6...]))
    #expect(mixedError(v[1..<6, 0..<6].sum().item(), rowsSum) <= Self.sumTolerance(dtype))
  }
}
