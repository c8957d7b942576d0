import Autograd
import Testing

// triu and tril of a matrix write each row once, copying from contiguous rows, filling from
// broadcast ones and gathering from strided ones. Each layout is checked here against the
// triangle worked out by hand from the element values.

@Suite struct TriangleTests {
  /// The triangle of `values` (rows × cols) by its definition: kept where
  /// `column − row ≥ diagonal` (upper) or `≤ diagonal` (lower), 0 elsewhere.
  static func expected(_ values: [[Double]], diagonal: Int, upper: Bool) -> [Double] {
    values.enumerated().flatMap { i, row in
      row.enumerated().map { j, v in
        (upper ? j - i >= diagonal : j - i <= diagonal) ? v : 0
      }
    }
  }

  static let rows: [[Double]] = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]

  @Test(arguments: [-2, -1, 0, 1, 3, 5])
  func contiguousTransposedAndBroadcastMatrices(diagonal: Int) {
    let x = Tensor(Self.rows)
    // The transpose of the transpose: the same values through strides (4, 1) → (1, 4).
    let strided = Tensor(Self.rows).T.contiguous().T
    #expect(!strided.isContiguous)
    let broadcast = Tensor(7.0).expand([3, 4])
    let sevens = Array(repeating: Array(repeating: 7.0, count: 4), count: 3)
    for upper in [true, false] {
      let want = Self.expected(Self.rows, diagonal: diagonal, upper: upper)
      let f = { (t: Tensor) in upper ? t.triu(diagonal: diagonal) : t.tril(diagonal: diagonal) }
      #expect(f(x).toArray() == want)
      #expect(f(strided).toArray() == want)
      #expect(f(broadcast).toArray() == Self.expected(sevens, diagonal: diagonal, upper: upper))
    }
  }

  @Test func theGradientOfASummedTriangleIsTheTriangleOfOnes() {
    let x = Tensor(Self.rows, requiresGrad: true)
    (x.triu(diagonal: 1).sum() + 2 * x.tril(diagonal: -1).sum()).backward()
    let ones = Array(repeating: Array(repeating: 1.0, count: 4), count: 3)
    let above = Self.expected(ones, diagonal: 1, upper: true)
    let below = Self.expected(ones, diagonal: -1, upper: false)
    #expect(x.grad!.toArray() == zip(above, below).map { $0 + 2 * $1 })
  }
}
