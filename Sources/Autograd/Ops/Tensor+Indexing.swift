// Indexing: basic indices (integers, ranges, `.whole`, `.axis`, `.rest`) give views;
// integer and bool tensors select elements (advanced indexing, `gather`), with scatter-add
// as their backward.

/// One entry of a subscript: `x[0]`, `x[1..<3]`, `x[.whole, 2]`, `logits[rows, labels]`.
public enum TensorIndex {
  /// A single position; the dimension is removed. Negative values count from the end.
  case at(Int)
  /// Positions `start..<end` stepping by `step` (nil bounds mean the whole side).
  case slice(start: Int?, end: Int?, step: Int)
  /// The whole dimension (NumPy's `:`).
  case whole
  /// A new dimension of size 1 (NumPy's `None`).
  case axis
  /// As many `.whole` as needed to cover the remaining dimensions (NumPy's `...`).
  case rest
  /// Positions given by an int64 tensor, or a mask given by a bool tensor.
  case tensor(Tensor)
}

/// A value usable inside a tensor subscript.
public protocol TensorIndexConvertible {
  /// The index this value stands for.
  var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible {
  /// The index itself.
  public var tensorIndex: TensorIndex { self }
}
extension Int: TensorIndexConvertible {
  /// `.at(self)`.
  public var tensorIndex: TensorIndex { .at(self) }
}
extension Range: TensorIndexConvertible where Bound == Int {
  /// `.range(lowerBound, upperBound)`.
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound, step: 1) }
}
extension ClosedRange: TensorIndexConvertible where Bound == Int {
  /// `.range(lowerBound, upperBound + 1)`.
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound + 1, step: 1) }
}
extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
  /// From `lowerBound` to the end.
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: nil, step: 1) }
}
extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
  /// From the start up to `upperBound`.
  public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound, step: 1) }
}
extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
  /// From the start through `upperBound`.
  public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound + 1, step: 1) }
}
extension Tensor: TensorIndexConvertible {
  /// `.tensor(self)`: advanced indexing.
  public var tensorIndex: TensorIndex { .tensor(self) }
}

extension Tensor {
  /// Indexes like PyTorch: `x[0]`, `x[1..<3, .whole]`, `x[.rest, 0]`, `x[rows, labels]`.
  ///
  /// Integers and ranges give views that share storage; integer or bool tensors give copies
  /// (advanced indexing). Assigning through a subscript copies into the view, and
  /// `w[i, j] += eps` inside `noGrad` changes `w` in place.
  public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
    get { index(indices.map(\.tensorIndex), at: nil) }
    set {
      let target = noGrad { index(indices.map(\.tensorIndex), at: nil) }
      guard target.storage === storage else {
        tensorError(
          "index assignment",
          "assignment through integer or bool tensor indices is not supported; "
            + "use Tensor.where or maskedFill", at: nil)
      }
      if _requiresGrad && GradMode.isEnabled {
        checkWritable("index assignment", at: nil)
      }
      noGrad { target.copy(from: newValue) }
    }
  }

  func index(_ indices: [TensorIndex], at location: SourceLocation?) -> Tensor {
    if indices.count == 1, let result = indexFast(indices[0], at: location) { return result }
    if indices.count == 2, let result = indexFast(indices[0], indices[1], at: location) {
      return result
    }
    if indices.count == 1, case .tensor(let mask) = indices[0], mask.dtype == .bool,
      mask.shape == shape, rank >= 1
    {
      return maskedSelect(mask)
    }
    // Expand the ellipsis into `.whole`s.
    let consuming = indices.filter {
      switch $0 {
      case .axis, .rest: false
      default: true
      }
    }
    let boolDims = indices.reduce(0) { acc, index in
      if case .tensor(let t) = index, t.dtype == .bool { return acc + Swift.max(t.rank, 1) - 1 }
      return acc
    }
    let used = consuming.count + boolDims
    var expanded: [TensorIndex] = []
    var sawEllipsis = false
    for index in indices {
      if case .rest = index {
        if sawEllipsis { tensorError("index", "only one ellipsis is allowed", at: location) }
        sawEllipsis = true
        expanded += Array(repeating: .whole, count: Swift.max(0, rank - used))
      } else {
        expanded.append(index)
      }
    }
    guard used <= rank else {
      tensorError(
        "index",
        "too many indices (\(used)) for a tensor of shape \(describe(shape)) with \(rank) "
          + "dimension\(rank == 1 ? "" : "s")", at: location)
    }
    // Bool masks become the integer indices of their true elements.
    var resolved: [TensorIndex] = []
    for index in expanded {
      if case .tensor(let t) = index, t.dtype == .bool {
        resolved += t.nonzeroColumns().map { .tensor($0) }
      } else {
        resolved.append(index)
      }
    }
    let hasTensor = resolved.contains { if case .tensor = $0 { true } else { false } }
    if !hasTensor { return basicIndex(resolved, at: location) }
    // Apply the basic part first (tensor positions kept whole), then gather.
    var tensorDims: [Int] = []
    var tensors: [Tensor] = []
    var basic: [TensorIndex] = []
    var dim = 0
    for index in resolved {
      switch index {
      case .tensor(let t):
        guard t.dtype == .int64 else {
          tensorError(
            "index", "tensors used as indices must be int64 or bool, got \(t.dtype)", at: location)
        }
        tensorDims.append(dim)
        tensors.append(t)
        basic.append(.whole)
        dim += 1
      case .at: basic.append(index)
      case .axis:
        basic.append(index)
        dim += 1
      default:
        basic.append(index)
        dim += 1
      }
    }
    return basicIndex(basic, at: location).gatherAdvanced(
      dims: tensorDims, indices: tensors, at: location)
  }

  /// Basic indexing: a view, with a backward that places the gradient in the viewed region.
  func basicIndex(_ indices: [TensorIndex], at location: SourceLocation?) -> Tensor {
    let (newShape, newStrides, newOffset) = Tensor.viewLayout(
      shape: shape, strides: strides, offset: offset, indices: indices, at: location)
    let out = view(shape: newShape, strides: newStrides, offset: newOffset)
    guard Tensor.isRecorded(self) else { return out }
    let inputShape = shape
    return out.record("SliceBackward", input: self) { g in
      let grad = Tensor.zeros(inputShape, dtype: g.dtype)
      let (s, st, o) = Tensor.viewLayout(
        shape: inputShape, strides: Shape.contiguousStrides(inputShape), offset: 0,
        indices: indices, at: nil)
      grad.view(shape: s, strides: st, offset: o).addInPlace(g)
      return [grad]
    }
  }

  /// Shape, strides and offset of a basic-indexing view.
  static func viewLayout(
    shape: [Int], strides: [Int], offset: Int, indices: [TensorIndex], at location: SourceLocation?
  ) -> (shape: [Int], strides: [Int], offset: Int) {
    var outShape: [Int] = []
    var outStrides: [Int] = []
    var off = offset
    var dim = 0
    for index in indices {
      switch index {
      case .at(let i):
        let size = shape[dim]
        let j = i < 0 ? i + size : i
        guard (0..<size).contains(j) else {
          tensorError(
            "index",
            "index \(i) is out of bounds for dimension \(dim) with size \(size) "
              + "(tensor of shape \(describe(shape)))", at: location)
        }
        off += j * strides[dim]
        dim += 1
      case .slice(let start, let end, let step):
        guard step > 0 else {
          tensorError("index", "slice step must be positive, got \(step)", at: location)
        }
        let size = shape[dim]
        func clampBound(_ b: Int?, _ fallback: Int) -> Int {
          guard let b else { return fallback }
          return Swift.min(Swift.max(b < 0 ? b + size : b, 0), size)
        }
        let lo = clampBound(start, 0)
        let hi = Swift.max(clampBound(end, size), lo)
        off += lo * strides[dim]
        outShape.append((hi - lo + step - 1) / step)
        outStrides.append(strides[dim] * step)
        dim += 1
      case .whole:
        outShape.append(shape[dim])
        outStrides.append(strides[dim])
        dim += 1
      case .axis:
        outShape.append(1)
        outStrides.append(0)
      case .rest, .tensor:
        fatalError("internal: resolved before viewLayout")
      }
    }
    outShape += shape[dim...]
    outStrides += strides[dim...]
    return (outShape, outStrides, off)
  }

  /// For a bool mask, one int64 tensor per dimension holding the coordinates of its true
  /// elements (NumPy's `nonzero`).
  func nonzeroColumns() -> [Tensor] {
    let mask = copy()
    let p = mask.base(Bool.self)
    let strides = Shape.contiguousStrides(shape)
    var columns = [[Int]](repeating: [], count: Swift.max(rank, 1))
    for flat in 0..<count where p[flat] {
      var rest = flat
      for d in 0..<rank {
        columns[d].append(rest / strides[d])
        rest %= strides[d]
      }
    }
    if rank == 0 { return [Tensor(p[0] ? [0] : [Int]())] }
    return columns.map { Tensor($0) }
  }

  /// Advanced indexing of `dims` by integer tensors (broadcast together). The selected
  /// dimensions are replaced by the indices' shape, in place when they were adjacent and at
  /// the front otherwise (NumPy's rule).
  private func gatherAdvanced(dims: [Int], indices: [Tensor], at location: SourceLocation?)
    -> Tensor
  {
    var indexShape: [Int] = []
    for t in indices {
      guard let s = Shape.broadcast(indexShape, t.shape) else {
        tensorError(
          "index",
          "index tensors of shapes \(indices.map { describe($0.shape) }.joined(separator: ", ")) "
            + "cannot be broadcast together", at: location)
      }
      indexShape = s
    }
    let rest = (0..<rank).filter { !dims.contains($0) }
    // Selected dims first: a plain view, outside the graph (the gather records its own node).
    let frontOrder = dims + rest
    let front = view(
      shape: frontOrder.map { shape[$0] }, strides: frontOrder.map { strides[$0] }, offset: offset)
    let restShape = rest.map { shape[$0] }
    // Flat offsets (in the source's storage) of each selected position.
    let offsets = Tensor.advancedOffsets(
      source: front, indices: indices, indexShape: indexShape, at: location)
    let gathered = front.copyRows(
      offsets: offsets, restShape: restShape, restStrides: Array(front.strides[dims.count...])
    )
    .reshape(indexShape + restShape, at: nil)
    let adjacent = dims == Array((dims.first ?? 0)..<((dims.first ?? 0) + dims.count))
    var out = gathered
    if adjacent, let first = dims.first, first > 0 {
      // Move the index dimensions back to where the selected dimensions were.
      let k = indexShape.count
      let order = Array(k..<(k + first)) + Array(0..<k) + Array((k + first)..<(k + restShape.count))
      out = noGrad { gathered.permute(order, at: nil) }
    }
    let inputShape = shape
    let inputStrides = Shape.contiguousStrides(shape)
    return out.record("IndexBackward", input: self) { g in
      var gFront = g
      if adjacent, let first = dims.first, first > 0 {
        let k = indexShape.count
        var inverse = [Int](repeating: 0, count: k + restShape.count)
        let order =
          Array(k..<(k + first)) + Array(0..<k) + Array((k + first)..<(k + restShape.count))
        for (i, d) in order.enumerated() { inverse[d] = i }
        gFront = g.permute(inverse, at: nil)
      }
      let grad = Tensor.zeros(inputShape, dtype: g.dtype)
      let gradFront = grad.view(
        shape: frontOrder.map { inputShape[$0] }, strides: frontOrder.map { inputStrides[$0] },
        offset: 0)
      let targetOffsets = Tensor.advancedOffsets(
        source: gradFront, indices: indices, indexShape: indexShape, at: nil)
      gradFront.addRows(
        gFront.reshape([targetOffsets.count] + restShape, at: nil).contiguous(),
        offsets: targetOffsets, restShape: restShape,
        restStrides: Array(gradFront.strides[dims.count...]))
      return [grad]
    }
  }

  /// Storage offsets of `source[i₁[b], …, iₖ[b]]` for each broadcast index position b.
  private static func advancedOffsets(
    source: Tensor, indices: [Tensor], indexShape: [Int], at location: SourceLocation?
  ) -> [Int] {
    let n = Shape.count(indexShape)
    var offsets = [Int](repeating: source.offset, count: n)
    let sourceShape = source.shape
    let sourceStrides = source.strides
    for (j, t) in indices.enumerated() {
      // An int64 index that already has the broadcast shape and is contiguous (a
      // mini-batch's rows) is read in place; any other is copied into that form once.
      // Profiles of mini-batch steps showed the copy into an array, and the strides looked
      // up again for every row, as most of a gather's time.
      let index =
        t.dtype == .int64 && t.shape == indexShape && t.isContiguous
        ? t : t.expand(indexShape, at: nil).converted(to: .int64)
      let (size, stride) = (sourceShape[j], sourceStrides[j])
      withExtendedLifetime(index) {
        let values = index.base(Int.self)
        offsets.withUnsafeMutableBufferPointer { out in
          for b in 0..<n {
            var v = values[b]
            if v < 0 { v += size }
            guard v >= 0 && v < size else {
              tensorError(
                "index",
                "index \(values[b]) is out of bounds for dimension \(j) with size \(size)",
                at: location)
            }
            out[b] += v * stride
          }
        }
      }
    }
    return offsets
  }

  /// Copies, for each offset, the sub-tensor of `restShape`/`restStrides` starting there.
  private func copyRows(offsets: [Int], restShape: [Int], restStrides: [Int]) -> Tensor {
    let out = Tensor(uninitializedShape: [offsets.count] + restShape, dtype: dtype)
    withElementType { type in copyRows(type, out, offsets, restShape, restStrides) }
    return out
  }

  private func copyRows<T: TensorElement>(
    _: T.Type, _ out: Tensor, _ offsets: [Int], _ restShape: [Int], _ restStrides: [Int]
  ) {
    let src = storage.pointer(T.self)
    let dst = out.base(T.self)
    let m = Shape.count(restShape)
    let loop = StridedLoop(shape: restShape, strides: [restStrides])
    let len = loop.runLength
    let s = loop.innerStrides[0]
    if loop.runCount == 1 {
      // Each selected row is one run: a block copy when it is contiguous (rows of a matrix,
      // the common case of mini-batches), a strided loop otherwise.
      for (b, start) in offsets.enumerated() {
        if len == 1 {
          dst[b] = src[start]  // a column vector's rows (targets): no call per element
        } else if s == 1 {
          (dst + b * m).update(from: src + start, count: len)
        } else {
          for i in 0..<len { dst[b * m + i] = src[start + i * s] }
        }
      }
      return
    }
    for (b, start) in offsets.enumerated() {
      let row = dst + b * m
      loop.forEachRun { run, offs in
        for i in 0..<len { row[run * len + i] = src[start + offs[0] + i * s] }
      }
    }
  }

  /// Adds each row of `rows` (contiguous, shape `[n] + restShape`) at the given offsets.
  private func addRows(_ rows: Tensor, offsets: [Int], restShape: [Int], restStrides: [Int]) {
    func run<T: FloatElement>(_: T.Type) {
      let dst = storage.pointer(T.self)
      let src = rows.base(T.self)
      let m = Shape.count(restShape)
      let loop = StridedLoop(shape: restShape, strides: [restStrides])
      let len = loop.runLength
      let s = loop.innerStrides[0]
      if loop.runCount == 1 {
        for (b, start) in offsets.enumerated() {
          let row = src + b * m
          let target = dst + start
          if s == 1 {
            for i in 0..<len { target[i] += row[i] }
          } else {
            for i in 0..<len { target[i * s] += row[i] }
          }
        }
        return
      }
      for (b, start) in offsets.enumerated() {
        let row = src + b * m
        loop.forEachRun { r, offs in
          for i in 0..<len { dst[start + offs[0] + i * s] += row[r * len + i] }
        }
      }
    }
    if dtype == .float32 { run(Float.self) } else { run(Double.self) }
  }

  // MARK: gather

  /// Picks elements along `dim` by `index` (PyTorch's `gather`): for `dim = 1`,
  /// `out[i][j] = self[i][index[i][j]]`. The result has `index`'s shape.
  public func gather(dim: Int, index: Tensor, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    let location = SourceLocation(file: file, line: line)
    let d = reducedDims("gather", [dim], at: location).first ?? 0
    guard index.dtype == .int64 else {
      tensorError("gather", "index must be an int64 tensor, got \(index.dtype)", at: location)
    }
    guard index.rank == rank else {
      tensorError(
        "gather",
        "index has shape \(describe(index.shape)) but the tensor has shape \(describe(shape)); "
          + "they must have the same number of dimensions", at: location)
    }
    for i in 0..<rank where i != d && index.shape[i] > shape[i] {
      tensorError(
        "gather",
        "index shape \(describe(index.shape)) is larger than the tensor's \(describe(shape)) "
          + "in dimension \(i)", at: location)
    }
    let idx = index.copy()
    let ip = idx.base(Int.self)
    for k in 0..<idx.count where !(0..<shape[d]).contains(ip[k]) {
      tensorError(
        "gather",
        "index \(ip[k]) is out of bounds for dimension \(d) with size \(shape[d])", at: location)
    }
    let offsets = Tensor.alongDimOffsets(
      indexShape: idx.shape, indices: idx, dim: d, strides: strides, base: offset)
    let out = copyRows(offsets: offsets, restShape: [], restStrides: []).reshape(idx.shape, at: nil)
    let inputShape = shape
    return out.record("GatherBackward", input: self) { g in
      [Tensor.scatterAdd(g, into: inputShape, dim: d, index: idx)]
    }
  }

  /// Storage offsets of the elements selected along `dim` by `indices` (contiguous int64).
  private static func alongDimOffsets(
    indexShape: [Int], indices: Tensor, dim: Int, strides: [Int], base: Int
  ) -> [Int] {
    let ip = indices.base(Int.self)
    let istrides = Shape.contiguousStrides(indexShape)
    return (0..<Shape.count(indexShape)).map { flat in
      var rest = flat
      var off = base
      for d in 0..<indexShape.count {
        let coordinate = rest / istrides[d]
        rest %= istrides[d]
        off += (d == dim ? ip[flat] : coordinate) * strides[d]
      }
      return off
    }
  }

  /// Zeros of `shape` with `src` added at the positions `index` selects along `dim`
  /// (PyTorch's `scatter_add`); the backward of gather and of max along a dimension.
  static func scatterAdd(_ src: Tensor, into shape: [Int], dim: Int, index: Tensor) -> Tensor {
    let out = Tensor.zeros(shape, dtype: src.dtype)
    let idx = index.to(.int64, recording: false).contiguous()
    let offsets = alongDimOffsets(
      indexShape: idx.shape, indices: idx, dim: dim, strides: out.strides, base: 0)
    out.addRows(
      src.contiguous().reshape([offsets.count], at: nil), offsets: offsets, restShape: [],
      restStrides: [])
    return out
  }
}

// Lets `.all`, `.newAxis`, `.ellipsis` and `.at(i)` be written directly inside subscripts.
extension TensorIndexConvertible where Self == TensorIndex {
  /// The whole dimension (NumPy's `:`).
  public static var all: TensorIndex { TensorIndex.whole }
  /// A new dimension of size 1 (NumPy's `None`).
  public static var newAxis: TensorIndex { TensorIndex.axis }
  /// The remaining dimensions, whole (NumPy's `...`).
  public static var ellipsis: TensorIndex { TensorIndex.rest }
  /// Positions `start..<end` stepping by `step`.
  public static func range(start: Int? = nil, end: Int? = nil, step: Int) -> TensorIndex {
    TensorIndex.slice(start: start, end: end, step: step)
  }
}
