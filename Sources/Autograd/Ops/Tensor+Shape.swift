// Shape and layout operations. Each returns a view of the same storage where strides
// allow it (transpose, permute, expand, squeeze, unsqueeze, reshape of contiguous data).

extension Tensor {
  /// The same elements with another shape; one dimension may be `-1` (inferred).
  ///
  /// Returns a view when the tensor is contiguous and a copy otherwise.
  public func reshape(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    reshape(newShape, at: SourceLocation(file: file, line: line))
  }

  func reshape(_ newShape: [Int], at location: SourceLocation?) -> Tensor {
    var target = newShape
    let inferred = target.indices.filter { target[$0] == -1 }
    if inferred.count > 1 || target.contains(where: { $0 < -1 }) {
      tensorError("reshape", "invalid shape \(describe(newShape))", at: location)
    }
    if let i = inferred.first {
      let known = target.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
      guard known > 0, count % known == 0 else {
        tensorError(
          "reshape",
          "shape \(describe(newShape)) is invalid for a tensor of shape \(describe(shape)) "
            + "(\(count) elements)", at: location)
      }
      target[i] = count / known
    }
    guard Shape.count(target) == count else {
      tensorError(
        "reshape",
        "shape \(describe(newShape)) is invalid for a tensor of shape \(describe(shape)) "
          + "(\(count) elements)", at: location)
    }
    if target == shape { return self }
    let source = isContiguous ? self : copy()
    let out = source.view(
      shape: target, strides: Shape.contiguousStrides(target), offset: source.offset)
    guard Tensor.isRecorded(self) else { return out }
    let inputShape = shape
    return out.record("ReshapeBackward", input: self) { g in [g.reshape(inputShape)] }
  }

  /// A 1-D view of all elements (PyTorch's `flatten()`).
  public func flatten() -> Tensor { reshape([count], at: nil) }

  /// The same elements viewed as `newShape`, as PyTorch's `view` (an alias of ``reshape(_:file:line:)``).
  public func view(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    reshape(newShape, at: SourceLocation(file: file, line: line))
  }

  /// Reorders the dimensions: `x.permute([2, 0, 1])`.
  public func permute(_ order: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    permute(order, at: SourceLocation(file: file, line: line))
  }

  func permute(_ order: [Int], at location: SourceLocation?) -> Tensor {
    let dims = order.compactMap { Shape.normalize(dim: $0, rank: rank) }
    guard dims.count == rank, order.count == rank, Tensor.isPermutation(dims) else {
      tensorError(
        "permute",
        "\(describe(order)) is not a permutation of the \(rank) dimensions of a tensor of shape "
          + "\(describe(shape))", at: location)
    }
    let out = view(
      shape: dims.map { shape[$0] }, strides: dims.map { strides[$0] }, offset: offset)
    guard Tensor.isRecorded(self) else { return out }
    let inverse = (0..<rank).map { d in dims.firstIndex(of: d)! }
    return out.record("PermuteBackward", input: self) { g in [g.permute(inverse, at: nil)] }
  }

  /// Swaps two dimensions (a view).
  public func transpose(_ dim0: Int, _ dim1: Int, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    let location = SourceLocation(file: file, line: line)
    guard let a = Shape.normalize(dim: dim0, rank: rank),
      let b = Shape.normalize(dim: dim1, rank: rank),
      rank > 0
    else {
      tensorError(
        "transpose",
        "dimensions \(dim0) and \(dim1) are out of range for a tensor of shape \(describe(shape))",
        at: location)
    }
    return swapped(a, b)
  }

  /// Whether `dims`, each in `0..<dims.count`, name every dimension once. A bit set rather
  /// than a `Set`, whose allocation and hashing were most of a transpose's cost.
  private static func isPermutation(_ dims: [Int]) -> Bool {
    guard dims.count <= 64 else { return Set(dims).count == dims.count }
    var seen = Dims()
    for d in dims where !seen.insert(d).inserted { return false }
    return true
  }

  /// The view with dimensions `a` and `b` (both valid) swapped: the permutation that swaps
  /// them, without building and checking an order.
  func swapped(_ a: Int, _ b: Int) -> Tensor {
    var newShape = shape
    var newStrides = strides
    newShape.swapAt(a, b)
    newStrides.swapAt(a, b)
    let out = view(shape: newShape, strides: newStrides, offset: offset)
    guard Tensor.isRecorded(self) else { return out }
    // A swap is its own inverse.
    return out.record("PermuteBackward", input: self) { g in [g.swapped(a, b)] }
  }

  // swift-format-ignore: AlwaysUseLowerCamelCase
  // `T` is PyTorch's name for the transpose, and students reach for it first.
  /// The transpose: dimensions reversed (for a matrix, rows and columns swapped). A view.
  public var T: Tensor {
    switch rank {
    case 0, 1: self
    case 2: swapped(0, 1)
    default: permute(Array((0..<rank).reversed()), at: nil)
    }
  }

  /// Inserts a dimension of size 1 at `dim` (a view).
  public func unsqueeze(_ dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    guard let d = Shape.normalize(dim: dim, rank: rank + 1) else {
      tensorError(
        "unsqueeze",
        "dimension \(dim) is out of range for a tensor of shape \(describe(shape)) "
          + "(expected a value in \(-(rank + 1))...\(rank))",
        at: SourceLocation(file: file, line: line))
    }
    var newShape = shape
    newShape.insert(1, at: d)
    return reshape(newShape, at: nil)
  }

  /// Removes `dim` if it has size 1, or every size-1 dimension when `dim` is `nil`.
  public func squeeze(_ dim: Int? = nil, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    guard let dim else { return reshape(shape.filter { $0 != 1 }, at: nil) }
    guard let d = Shape.normalize(dim: dim, rank: rank) else {
      tensorError(
        "squeeze", "dimension \(dim) is out of range for a tensor of shape \(describe(shape))",
        at: SourceLocation(file: file, line: line))
    }
    guard rank > 0, shape[d] == 1 else { return self }
    var newShape = shape
    newShape.remove(at: d)
    return reshape(newShape, at: nil)
  }

  /// Broadcasts size-1 dimensions (and new leading ones) to `newShape` without copying;
  /// `-1` keeps a dimension.
  public func expand(_ newShape: [Int], file: StaticString = #fileID, line: UInt = #line) -> Tensor
  {
    expand(newShape, at: SourceLocation(file: file, line: line))
  }

  func expand(_ newShape: [Int], at location: SourceLocation?) -> Tensor {
    let lead = newShape.count - rank
    guard lead >= 0 else {
      tensorError(
        "expand",
        "cannot expand a tensor of shape \(describe(shape)) to fewer dimensions "
          + "\(describe(newShape))", at: location)
    }
    var target = newShape
    for i in 0..<rank where target[lead + i] == -1 { target[lead + i] = shape[i] }
    for i in 0..<rank where shape[i] != 1 && shape[i] != target[lead + i] {
      tensorError(
        "expand",
        "cannot expand shape \(describe(shape)) to \(describe(newShape)): dimension \(i) has "
          + "size \(shape[i]), which is neither 1 nor \(target[lead + i])", at: location)
    }
    if target == shape { return self }
    let out = view(
      shape: target, strides: Shape.broadcastStrides(shape, strides, to: target), offset: offset)
    // The engine sums the gradient back to this tensor's shape.
    return out.record("ExpandBackward", input: self) { g in [g] }
  }

  /// Expands to the shape of `other`.
  public func expand(as other: Tensor) -> Tensor { expand(other.shape, at: nil) }
}
