// Reductions: sum is the primitive (its backward expands the gradient back); mean, var
// and std are composed from it. max/min carry indices; norm guards its gradient at zero.

extension Tensor {
  /// Normalises `dims` (negative counts from the end) or stops with an error naming `op`.
  func reducedDims(_ op: String, _ dims: [Int], at location: SourceLocation?) -> Dims {
    var out = Dims()
    // An empty list reduces every dimension, as in PyTorch.
    if dims.isEmpty { return Dims(0..<rank) }
    for d in dims {
      guard let n = Shape.normalize(dim: d, rank: rank), rank > 0 || d == 0 || d == -1 else {
        tensorError(
          op,
          "dimension \(d) is out of range for a tensor of shape \(describe(shape)) "
            + "(expected a value in \(-Swift.max(rank, 1))...\(Swift.max(rank, 1) - 1))",
          at: location)
      }
      if rank > 0 && !out.insert(n).inserted {
        tensorError(
          op, "dimension \(d) appears more than once in \(describe(dims))", at: location)
      }
    }
    return out
  }

  /// The shape after reducing `dims`, with or without keeping them as size 1.
  func reducedShape(_ dims: Dims, keepDim: Bool) -> [Int] {
    keepDim
      ? Tensor.keptShape(shape, reducing: dims)
      : shape.enumerated().filter { !dims.contains($0.offset) }.map(\.element)
  }

  func sum(over dims: Dims, keepDim: Bool) -> Tensor {
    let kept = Tensor.keptShape(shape, reducing: dims)
    let out = sumKernel(
      dims: dims, keptShape: kept, resultShape: keepDim ? kept : reducedShape(dims, keepDim: false))
    guard Tensor.isRecorded(self) else { return out }
    let inputShape = shape
    return out.record("SumBackward", input: self) { g in
      [Tensor.expandSumGradient(g, kept: kept, to: inputShape)]
    }
  }

  /// The gradient `g` of a sum, whose keepDim shape is `kept`, broadcast back to the
  /// summed tensor's shape: `g.reshape(kept).expand(inputShape)`, as one view (no
  /// intermediate tensor) when `g` is contiguous and outside the graph.
  static func expandSumGradient(_ g: Tensor, kept: [Int], to inputShape: [Int]) -> Tensor {
    guard g.isContiguous, !g._requiresGrad else { return g.reshape(kept).expand(inputShape) }
    // Contiguous strides of `kept`, 0 along the reduced dimensions (size-1 ones ignore it).
    var strides = kept
    var stride = 1
    for j in (0..<kept.count).reversed() {
      strides[j] = kept[j] == 1 ? 0 : stride
      stride &*= kept[j]
    }
    return g.view(shape: inputShape, strides: strides, offset: g.offset)
  }

  /// Sum of all elements, as a 0-d tensor (bool and int64 sum to int64).
  public func sum() -> Tensor {
    sum(over: Dims(0..<rank), keepDim: false)
  }

  /// Sum along `dim`; `keepDim` keeps it as a dimension of size 1.
  public func sum(dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    sum(over: reducedDims("sum", [dim], at: .init(file: file, line: line)), keepDim: keepDim)
  }

  /// Sum along several dimensions.
  public func sum(
    dims: [Int], keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    sum(over: reducedDims("sum", dims, at: .init(file: file, line: line)), keepDim: keepDim)
  }

  /// Sums a broadcast gradient back to `target`: over leading dimensions and over
  /// dimensions where `target` has size 1.
  func sumTo(_ target: [Int]) -> Tensor {
    let lead = rank - target.count
    var dims = Dims(0..<lead)
    for (i, size) in target.enumerated() where size == 1 && shape[lead + i] != 1 {
      dims.insert(lead + i)
    }
    let kept = Tensor.keptShape(shape, reducing: dims)
    // The sum's elements are already in `target`'s order: outside the graph (backward), it
    // is made at that shape directly, without a reshaped view.
    guard Tensor.isRecorded(self) else {
      return sumKernel(dims: dims, keptShape: kept, resultShape: target)
    }
    return sum(over: dims, keepDim: true).reshape(target)
  }

  private func mean(over dims: Dims, keepDim: Bool) -> Tensor {
    let x = dtype.isFloatingPoint ? self : to(.float32)
    let n = dims.reduce(1) { $0 * shape[$1] }
    return x.sum(over: dims, keepDim: keepDim) / Double(n)
  }

  /// Mean of all elements (integer tensors are averaged in float32).
  public func mean() -> Tensor { mean(over: Dims(0..<rank), keepDim: false) }

  /// Mean along `dim`.
  public func mean(
    dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    mean(over: reducedDims("mean", [dim], at: .init(file: file, line: line)), keepDim: keepDim)
  }

  /// Mean along several dimensions.
  public func mean(
    dims: [Int], keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    mean(over: reducedDims("mean", dims, at: .init(file: file, line: line)), keepDim: keepDim)
  }

  /// A primitive rather than composed from mean: its backward, `2 (x − mean) / (n − c)`,
  /// is PyTorch's, which does not route the gradient back through the mean (where an inf
  /// element would turn every gradient of its slice into NaN instead of ±inf).
  private func variance(over dims: Dims, keepDim: Bool, unbiased: Bool) -> Tensor {
    let x = dtype.isFloatingPoint ? self : to(.float32)
    let n = dims.reduce(1) { $0 * shape[$1] }
    let divisor = Double(unbiased ? n - 1 : n)
    let (value, centered) = noGrad {
      let centered = x - x.mean(over: dims, keepDim: true)
      return ((centered * centered).sum(over: dims, keepDim: keepDim) / divisor, centered)
    }
    let kept = Tensor.keptShape(shape, reducing: dims)
    return value.record("VarBackward", input: x, saved: [x]) { g in
      [g.reshape(kept) * centered * (2 / divisor)]
    }
  }

  /// Variance of all elements; unbiased (divides by n − 1) by default, as in PyTorch.
  public func `var`(unbiased: Bool = true) -> Tensor {
    variance(over: Dims(0..<rank), keepDim: false, unbiased: unbiased)
  }

  /// Variance along `dim`; unbiased by default.
  public func `var`(
    dim: Int, keepDim: Bool = false, unbiased: Bool = true,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    variance(
      over: reducedDims("var", [dim], at: .init(file: file, line: line)), keepDim: keepDim,
      unbiased: unbiased)
  }

  /// Variance along several dimensions (all of them when `dims` is empty); unbiased by default.
  public func `var`(
    dims: [Int], keepDim: Bool = false, unbiased: Bool = true,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    variance(
      over: reducedDims("var", dims, at: .init(file: file, line: line)), keepDim: keepDim,
      unbiased: unbiased)
  }

  /// Standard deviation of all elements; unbiased by default, as in PyTorch.
  public func std(unbiased: Bool = true) -> Tensor { `var`(unbiased: unbiased).varianceRoot() }

  /// Standard deviation along `dim`; unbiased by default.
  public func std(
    dim: Int, keepDim: Bool = false, unbiased: Bool = true,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    `var`(dim: dim, keepDim: keepDim, unbiased: unbiased, file: file, line: line).varianceRoot()
  }

  /// Standard deviation along several dimensions (all of them when `dims` is empty).
  public func std(
    dims: [Int], keepDim: Bool = false, unbiased: Bool = true,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    `var`(dims: dims, keepDim: keepDim, unbiased: unbiased, file: file, line: line)
      .varianceRoot()
  }

  /// The square root of a variance, with the gradient taken as 0 where the variance is 0
  /// (a constant slice), as PyTorch's std backward; a plain `sqrt` would give 0 · inf = NaN.
  private func varianceRoot() -> Tensor {
    let out = noGrad { sqrt() }
    let y = out.detach()
    return out.record("StdBackward", input: self) { g in
      [Tensor.where(y .== 0, Tensor.zeros([], dtype: g.dtype), g / (2 * y))]
    }
  }

  // MARK: Max and min

  private func extreme(
    _ op: String, dim: Int, keepDim: Bool, largest: Bool, at location: SourceLocation
  ) -> (values: Tensor, indices: Tensor) {
    let d = reducedDims(op, [dim], at: location).first ?? 0
    if rank > 0 && shape[d] == 0 {
      tensorError(
        op, "cannot reduce an empty dimension \(dim) of shape \(describe(shape))", at: location)
    }
    let (values, indices) =
      rank == 0
      ? (copy(), Tensor.zeros([], dtype: .int64)) : extremeKernel(dim: d, largest: largest)
    let outShape = rank == 0 ? [] : reducedShape([d], keepDim: keepDim)
    let v = values.reshape(outShape)
    let i = indices.reshape(outShape)
    let keptIndices = indices
    let inputShape = shape
    let name = largest ? "MaxBackward" : "MinBackward"
    let result = v.record(name, input: self) { g in
      // The whole gradient goes to the selected index, as with PyTorch's max(dim).
      [
        Tensor.scatterAdd(
          g.reshape(keptIndices.shape), into: inputShape, dim: d, index: keptIndices)
      ]
    }
    return (result, i)
  }

  /// The largest elements along `dim` and their indices (PyTorch's `max(dim)`).
  ///
  /// ```swift
  /// let shift = logits.max(dim: 1, keepDim: true).values
  /// ```
  public func max(
    dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> (values: Tensor, indices: Tensor) {
    extreme("max", dim: dim, keepDim: keepDim, largest: true, at: .init(file: file, line: line))
  }

  /// The smallest elements along `dim` and their indices.
  public func min(
    dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> (values: Tensor, indices: Tensor) {
    extreme("min", dim: dim, keepDim: keepDim, largest: false, at: .init(file: file, line: line))
  }

  private func extremeAll(_ op: String, largest: Bool, at location: SourceLocation) -> Tensor {
    if count == 0 { tensorError(op, "cannot reduce an empty tensor", at: location) }
    let flat = reshape([count])
    let value = flat.extremeKernel(dim: 0, largest: largest).values.reshape([])
    let x = self
    let v = value.detach()
    return value.record(largest ? "MaxBackward" : "MinBackward", input: self, saved: [self]) {
      g in
      // Ties share the gradient evenly, as with PyTorch's full max(); when the result is
      // NaN, the NaN elements share it (NaN == NaN is false, so they are found by x != x).
      let mask = (v.item().isNaN ? x .!= x : x .== v).to(g.dtype)
      return [g * mask / mask.sum()]
    }
  }

  /// The largest element, as a 0-d tensor.
  public func max(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    extremeAll("max", largest: true, at: .init(file: file, line: line))
  }

  /// The smallest element, as a 0-d tensor.
  public func min(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    extremeAll("min", largest: false, at: .init(file: file, line: line))
  }

  /// Indices of the largest elements along `dim` (int64).
  public func argmax(
    dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    noGrad { max(dim: dim, keepDim: keepDim, file: file, line: line).indices }
  }

  /// Index of the largest element in the flattened tensor, as a 0-d int64 tensor.
  public func argmax() -> Tensor {
    noGrad { reshape([count]).max(dim: 0).indices }
  }

  /// The largest values over several dimensions (all of them when `dims` is empty), as
  /// PyTorch's `amax`: ties share the gradient evenly; a slice holding NaN gives NaN, and
  /// NaN gradients over that slice, as in PyTorch.
  public func amax(
    dims: [Int], keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    return extreme(
      over: reducedDims("amax", dims, at: location), keepDim: keepDim, largest: true, at: location)
  }

  /// The smallest values over several dimensions (all of them when `dims` is empty), as
  /// PyTorch's `amin`.
  public func amin(
    dims: [Int], keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    return extreme(
      over: reducedDims("amin", dims, at: location), keepDim: keepDim, largest: false, at: location)
  }

  /// amax/amin: the reduced dimensions are moved last and flattened into one, which the
  /// max/min kernel reduces.
  func extreme(over dims: Dims, keepDim: Bool, largest: Bool, at location: SourceLocation)
    -> Tensor
  {
    let op = largest ? "amax" : "amin"
    for d in dims where shape[d] == 0 {
      tensorError(
        op, "cannot reduce an empty dimension \(d) of shape \(describe(shape))", at: location)
    }
    let kept = (0..<rank).filter { !dims.contains($0) }
    let reduced = dims.sorted()
    let outShape = reducedShape(dims, keepDim: keepDim)
    let width = reduced.reduce(1) { $0 * shape[$1] }
    let value = noGrad {
      rank == 0
        ? copy()
        : permute(kept + reduced).reshape(kept.map { shape[$0] } + [width])
          .extremeKernel(dim: kept.count, largest: largest).values.reshape(outShape)
    }
    let keptShape = Tensor.keptShape(shape, reducing: dims)
    let (x, v) = (self, value.detach())
    return value.record(largest ? "AmaxBackward" : "AminBackward", input: self, saved: [self]) {
      g in
      // (g / count) · mask, as PyTorch: count is 0 in a slice whose value is NaN.
      let mask = (x .== v.reshape(keptShape)).to(g.dtype)
      return [g.reshape(keptShape) / mask.sum(over: dims, keepDim: true) * mask]
    }
  }

  /// Index of the smallest element in the flattened tensor, as a 0-d int64 tensor.
  public func argmin() -> Tensor {
    noGrad { reshape([count]).min(dim: 0).indices }
  }

  /// Indices of the smallest elements along `dim` (int64).
  public func argmin(
    dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    noGrad { min(dim: dim, keepDim: keepDim, file: file, line: line).indices }
  }

  // MARK: Norms

  /// The p-norm of all elements (Euclidean by default); `p` may be `.infinity` (max |x|) or
  /// `-.infinity` (min |x|).
  public func norm(p: Double = 2, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    norm(p: p, over: Dims(0..<rank), keepDim: false, at: .init(file: file, line: line))
  }

  /// The p-norm along `dim` (Euclidean by default).
  public func norm(
    p: Double = 2, dim: Int, keepDim: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    return norm(
      p: p, over: reducedDims("norm", [dim], at: location), keepDim: keepDim, at: location)
  }

  /// The p-norm over several dimensions (all of them when `dims` is empty).
  public func norm(
    p: Double = 2, dims: [Int], keepDim: Bool = false, file: StaticString = #fileID,
    line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    return norm(p: p, over: reducedDims("norm", dims, at: location), keepDim: keepDim, at: location)
  }
}
