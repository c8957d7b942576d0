// Triangles of matrices (`triu`, `tril` and their gradients) written in one pass, and what
// that pass learns about the result on the way: its sum, and, for the gradient of a sum (a
// broadcast scalar), that every kept element is one value. Later operations read these
// facts instead of passing over the matrix again, while the storage is unchanged.

/// What the pass that wrote a triangle of a matrix knows about the whole result: which
/// elements may be nonzero, their sum, and whether they are all one value.
///
/// Held by the result's ``Storage`` with the storage's version at the time of writing; any
/// in-place write changes the version and so retires the facts (``Tensor/knownTriangle``).
struct TriangleFacts {
  /// The storage's ``Storage/version`` when the triangle was written.
  let version: Int
  /// The matrix's rows and columns.
  let rows: Int
  /// The matrix's columns.
  let cols: Int
  /// `triu` (elements with `column − row ≥ diagonal` kept) or `tril` (`≤ diagonal`).
  let upper: Bool
  /// The diagonal argument of `triu`/`tril`.
  let diagonal: Int
  /// The sum of all elements, accumulated in Double as ``Tensor/sumContiguous(_:count:)``
  /// does; `nil` for integer and bool matrices.
  let sum: Double?
  /// The value of every kept element, when the triangle was filled from a broadcast scalar.
  let constant: Double?

  /// The strict triangle that holds only zeros, when the facts tell one.
  ///
  /// `triu` with diagonal ≥ 0 zeroes every element below the main diagonal, `tril` with
  /// diagonal ≤ 0 every one above it.
  var zeroTriangle: ZeroTriangle? {
    guard rows == cols else { return nil }
    if upper && diagonal >= 0 { return .lower }
    if !upper && diagonal <= 0 { return .upper }
    return nil
  }
}

extension Tensor {
  /// The facts of the pass that wrote this tensor's storage as a triangle, when this tensor
  /// is that whole matrix (same shape, contiguous, no offset) and nothing has written to the
  /// storage since.
  var knownTriangle: TriangleFacts? {
    guard let facts = storage.triangle, facts.version == storage.version, offset == 0,
      rank == 2, shape[0] == facts.rows, shape[1] == facts.cols, isContiguous
    else { return nil }
    return facts
  }

  /// The triangle of this matrix in one pass over the result: each row's kept span copied
  /// (or filled, from a broadcast gradient with column stride 0), the rest zeroed, and the
  /// row's sum taken while it is in cache. Large matrices are split into blocks of rows, one
  /// per core (every row writes `cols` elements, so equal blocks are equal work).
  ///
  /// A copy followed by zeroing wrote the matrix one and a half times, copying a broadcast
  /// scalar went element by element, and a separate sum of the result read it again.
  func matrixTriangle(diagonal: Int, upper: Bool) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: dtype)
    let (rows, cols) = (shape[0], shape[1])
    let (rowStride, colStride) = (strides[0], strides[1])
    // A broadcast scalar (the gradient of a sum): every kept element is one value.
    let constant = rows > 0 && cols > 0 && rowStride == 0 && colStride == 0
    var sum: Double?
    var value: Double?
    func fill<T: TensorElement>(_: T.Type, rowSum: ((UnsafeMutablePointer<T>, Int) -> Double)?) {
      let source = base(T.self)
      let destination = out.base(T.self)
      let zero = T(fromDouble: 0)
      let chunks = rows * cols >= Parallel.passThreshold ? Swift.min(Parallel.cores, rows) : 1
      let summing = rowSum != nil && !constant
      var partial = [Double](repeating: 0, count: chunks)
      var keptCount = 0
      for i in 0..<rows { keptCount += keptColumns(i, diagonal, upper, cols).count }
      partial.withUnsafeMutableBufferPointer { partial in
        Parallel.forEach(chunks) { chunk in
          var total = 0.0
          for i in (rows * chunk / chunks)..<(rows * (chunk + 1) / chunks) {
            let kept = keptColumns(i, diagonal, upper, cols)
            let row = destination + i * cols
            let from = source + i * rowStride
            row.update(repeating: zero, count: kept.lowerBound)
            (row + kept.upperBound).update(repeating: zero, count: cols - kept.upperBound)
            if colStride == 1 {
              (row + kept.lowerBound).update(from: from + kept.lowerBound, count: kept.count)
            } else if colStride == 0 {
              (row + kept.lowerBound).update(repeating: from[0], count: kept.count)
            } else {
              for j in kept { row[j] = from[j * colStride] }
            }
            if summing, let rowSum { total += rowSum(row + kept.lowerBound, kept.count) }
          }
          partial[chunk] = total
        }
      }
      if constant {
        let v = source[0].doubleValue
        value = v
        // keptCount copies of a float32 or float64 element: the product is the Double sum
        // exactly (a float32 times a count below 2^29 needs at most 53 significant bits);
        // for float64 it is the sum rounded once.
        // Adding 0 makes a −0 sum +0, as the sum from a +0 start.
        if rowSum != nil { sum = keptCount == 0 ? 0 : v * Double(keptCount) + 0 }
      } else if summing {
        sum = partial.reduce(0, +)
      }
    }
    switch dtype {
    case .float32: fill(Float.self) { Tensor.sumContiguous($0, count: $1) }
    case .float64: fill(Double.self) { Tensor.sumContiguous($0, count: $1) }
    case .int64: fill(Int.self, rowSum: nil)
    case .bool: fill(Bool.self, rowSum: nil)
    }
    out.storage.triangle = TriangleFacts(
      version: out.storage.version, rows: rows, cols: cols, upper: upper, diagonal: diagonal,
      sum: sum, constant: value)
    return out
  }
}

/// The columns of row `i` that a triangle keeps: `column − i ≥ diagonal` (upper) or
/// `column − i ≤ diagonal` (lower), within `0..<cols`.
@inline(__always)
private func keptColumns(_ i: Int, _ diagonal: Int, _ upper: Bool, _ cols: Int) -> Range<Int> {
  let boundary = Swift.min(Swift.max(i + diagonal + (upper ? 0 : 1), 0), cols)
  return upper ? boundary..<cols : 0..<boundary
}

/// `c·(M + Mᵀ)·x` into the contiguous n × k `out`, for the n × n matrix `M` that is 1 where
/// `column − row ≥ diagonal` and 0 elsewhere (`triu` of a matrix of ones) and the contiguous
/// n × k `x`: the Gram product's backward when its gradient is a triangle filled from one
/// value (the gradient of a sum or mean of a triangle of the product).
///
/// Row i of `M·x` is the sum of the rows of `x` from i + diagonal on, and row i of `Mᵀ·x` the
/// sum of the rows up to i − diagonal: two running sums down and up the rows, O(n·k) instead
/// of SYMM's n²·k multiply-adds. The sums are kept in Double (`scratch`, n × k), so each
/// element is the exact sum rounded about once, where a float32 product rounds at each of
/// its n additions. Columns are split over the cores for large matrices.
///
/// Returns `false` when `x` has an infinite or NaN element: then the product's zeros times
/// them (NaN under IEEE rules) are not what running sums give, and `out` must be computed
/// by a product instead.
func constantTriangleSymmetricProduct<T: FloatElement>(
  c: Double, diagonal d: Int, x: UnsafePointer<T>, n: Int, k: Int,
  into out: UnsafeMutablePointer<T>, scratch: UnsafeMutablePointer<Double>
) -> Bool {
  let chunks = n * k >= Parallel.passThreshold ? Swift.min(Parallel.cores, k) : 1
  var finite = [Bool](repeating: true, count: chunks)
  finite.withUnsafeMutableBufferPointer { finite in
    Parallel.forEach(chunks) { chunk in
      let (c0, c1) = (k * chunk / chunks, k * (chunk + 1) / chunks)
      let w = c1 - c0
      withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(w, 1)) { buffer in
        let running = buffer.baseAddress!
        // Adds row r of x's columns c0..<c1 to the running sums.
        func addRow(_ r: Int) {
          let row = x + r * k + c0
          for j in 0..<w { running[j] += Double(row[j]) }
        }
        // Down: scratch row i = the sum of x's rows 0...(i − d), clamped to the matrix.
        running.initialize(repeating: 0, count: w)
        var added = 0
        for i in 0..<n {
          let target = Swift.min(Swift.max(i - d + 1, 0), n)
          while added < target {
            addRow(added)
            added += 1
          }
          (scratch + i * k + c0).update(from: running, count: w)
        }
        // The column totals are finite when every element is, and not when one is not
        // (a Double sum of float32 elements cannot overflow; one of float64 elements that
        // does is left to the product too).
        while added < n {
          addRow(added)
          added += 1
        }
        var probe = 0.0
        for j in 0..<w { probe += running[j] * 0 }
        guard probe == 0 else {
          finite[chunk] = false
          return
        }
        // Up: add the sum of x's rows (i + d)..<n and scale.
        running.update(repeating: 0, count: w)
        var low = n
        for i in stride(from: n - 1, through: 0, by: -1) {
          let start = Swift.min(Swift.max(i + d, 0), n)
          while low > start {
            low -= 1
            addRow(low)
          }
          let (destination, prefix) = (out + i * k + c0, scratch + i * k + c0)
          // Adding 0 turns a −0 (a zero sum times a negative c) into the +0 a product gives.
          for j in 0..<w { destination[j] = T(c * (prefix[j] + running[j]) + 0) }
        }
      }
    }
  }
  return !finite.contains(false)
}
