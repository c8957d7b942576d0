// The subscripts of training loops, `order[start..<end]`, `x[rows]` and
// `logits[rows, labels]`, without the general indexing route: that route builds the
// expanded, resolved and split index lists, a view of the selected dimensions and an array
// of offsets, about 15,000 instructions for a 64-row batch of a small matrix, more than
// copying the rows.

extension Tensor {
  /// `self[index]` for one index, when it takes a short route: a range, a position or
  /// `.whole` (a view), or a 1-D int64 tensor selecting rows of a contiguous tensor.
  /// `nil` when the general route is needed.
  func indexFast(_ index: TensorIndex, at location: SourceLocation?) -> Tensor? {
    guard rank >= 1 else { return nil }
    switch index {
    case .at, .slice, .whole:
      return basicIndex([index], at: location)
    case .tensor(let rows)
    where rows.dtype == .int64 && rows.rank == 1 && rows.isContiguous && isContiguous:
      return gatherRows(rows, at: location)
    case .tensor, .axis, .rest:
      return nil
    }
  }

  /// `self[rows, columns]` when it takes a short route: a contiguous matrix and two
  /// contiguous 1-D int64 tensors of one length (the picked logits of a cross-entropy).
  /// `nil` when the general route is needed.
  func indexFast(_ first: TensorIndex, _ second: TensorIndex, at location: SourceLocation?)
    -> Tensor?
  {
    guard rank == 2, isContiguous, case .tensor(let rows) = first,
      case .tensor(let columns) = second
    else { return nil }
    for t in [rows, columns] where t.dtype != .int64 || t.rank != 1 || !t.isContiguous {
      return nil
    }
    guard rows.count == columns.count else { return nil }
    return pickElements(rows, columns, at: location)
  }

  /// The elements at (`rows[b]`, `columns[b]`) of this contiguous matrix, negative
  /// positions counting from the end.
  private func pickElements(_ rows: Tensor, _ columns: Tensor, at location: SourceLocation?)
    -> Tensor
  {
    let n = rows.count
    let (height, width) = (shape[0], shape[1])
    // Checked one index tensor after the other, as the general route does.
    for (j, t) in [rows, columns].enumerated() {
      let (size, p) = (shape[j], t.base(Int.self))
      for b in 0..<n where !(-size..<size).contains(p[b]) {
        tensorError(
          "index", "index \(p[b]) is out of bounds for dimension \(j) with size \(size)",
          at: location)
      }
    }
    let out = Tensor(uninitializedShape: [n], dtype: dtype)
    func copy<T>(_: T.Type) {
      let src = UnsafeRawPointer(storage.raw).assumingMemoryBound(to: T.self) + offset
      let dst = out.storage.raw.assumingMemoryBound(to: T.self)
      let (r, c) = (rows.base(Int.self), columns.base(Int.self))
      for b in 0..<n {
        let i = r[b] < 0 ? r[b] + height : r[b]
        let j = c[b] < 0 ? c[b] + width : c[b]
        dst[b] = src[i * width + j]
      }
    }
    withExtendedLifetime((rows, columns)) {
      switch dtype.byteSize {
      case 1: copy(UInt8.self)
      case 4: copy(UInt32.self)
      default: copy(UInt64.self)
      }
    }
    guard Tensor.isRecorded(self) else { return out }
    let inputShape = shape
    return out.record("IndexBackward", input: self) { g in
      let grad = Tensor.zeros(inputShape, dtype: g.dtype)
      let source = g.isContiguous ? g : g.copy()
      func add<T: FloatElement>(_: T.Type) {
        let (src, dst) = (source.base(T.self), grad.base(T.self))
        let (r, c) = (rows.base(Int.self), columns.base(Int.self))
        for b in 0..<n {
          let i = r[b] < 0 ? r[b] + height : r[b]
          let j = c[b] < 0 ? c[b] + width : c[b]
          dst[i * width + j] += src[b]
        }
      }
      withExtendedLifetime((rows, columns, source)) {
        if g.dtype == .float32 { add(Float.self) } else { add(Double.self) }
      }
      return [grad]
    }
  }

  /// The rows of this contiguous tensor that `rows` (1-D, int64, contiguous) names, in
  /// order, negative positions counting from the end: advanced indexing of dimension 0.
  private func gatherRows(_ rows: Tensor, at location: SourceLocation?) -> Tensor {
    let size = shape[0]
    let n = rows.count
    var outShape = shape
    outShape[0] = n
    var rowLength = 1
    for d in 1..<rank { rowLength &*= shape[d] }
    let out = Tensor(uninitializedShape: outShape, dtype: dtype)
    let positions = rows.base(Int.self)
    // Rows are copied as raw elements of the type's width: no conversion is involved.
    func copy<T>(_: T.Type) {
      let src = UnsafeRawPointer(storage.raw).assumingMemoryBound(to: T.self) + offset
      let dst = out.storage.raw.assumingMemoryBound(to: T.self)
      for b in 0..<n {
        var v = positions[b]
        if v < 0 { v += size }
        guard v >= 0 && v < size else {
          tensorError(
            "index",
            "index \(positions[b]) is out of bounds for dimension 0 with size \(size)",
            at: location)
        }
        if rowLength == 1 {
          dst[b] = src[v]
        } else {
          (dst + b * rowLength).update(from: src + v * rowLength, count: rowLength)
        }
      }
    }
    withExtendedLifetime(rows) {
      switch dtype.byteSize {
      case 1: copy(UInt8.self)
      case 4: copy(UInt32.self)
      default: copy(UInt64.self)
      }
    }
    guard Tensor.isRecorded(self) else { return out }
    let inputShape = shape
    return out.record("IndexBackward", input: self) { g in
      [Tensor.scatterRows(g, into: inputShape, rows: rows, rowLength: rowLength)]
    }
  }

  /// Zeros of `shape` with each row of `g` added to the row of the result that `rows`
  /// names (repeated rows accumulate): the backward of ``gatherRows(_:at:)``.
  private static func scatterRows(_ g: Tensor, into shape: [Int], rows: Tensor, rowLength: Int)
    -> Tensor
  {
    let grad = Tensor.zeros(shape, dtype: g.dtype)
    let source = g.isContiguous ? g : g.copy()
    let size = shape[0]
    let positions = rows.base(Int.self)
    func add<T: FloatElement>(_: T.Type) {
      let src = source.base(T.self)
      let dst = grad.base(T.self)
      for b in 0..<rows.count {
        let v = positions[b] < 0 ? positions[b] + size : positions[b]
        let target = dst + v * rowLength
        let row = src + b * rowLength
        for i in 0..<rowLength { target[i] += row[i] }
      }
    }
    withExtendedLifetime((rows, source)) {
      if g.dtype == .float32 { add(Float.self) } else { add(Double.self) }
    }
    return grad
  }
}
