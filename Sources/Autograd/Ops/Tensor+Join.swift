// Joining tensors (cat, stack) and triangular masks (triu, tril).

extension Tensor {
  /// Joins tensors along an existing dimension `dim` (PyTorch's `torch.cat`).
  public static func cat(
    _ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    guard let first = tensors.first else {
      tensorError("cat", "expects a non-empty list of tensors", at: location)
    }
    guard first.rank > 0 else {
      tensorError("cat", "zero-dimensional tensors cannot be concatenated; use stack", at: location)
    }
    let d = first.reducedDims("cat", [dim], at: location).first!
    for (i, t) in tensors.enumerated() {
      let sameRest =
        t.rank == first.rank
        && (0..<t.rank).allSatisfy { $0 == d || t.shape[$0] == first.shape[$0] }
      guard sameRest else {
        tensorError(
          "cat",
          "tensor \(i) has shape \(describe(t.shape)), which does not match tensor 0's "
            + "\(describe(first.shape)) outside dimension \(d)", at: location)
      }
    }
    // Mixed types promote to the widest, as in PyTorch (float32 with float64 gives float64);
    // the engine converts each input's gradient back to its own type.
    let type = tensors.dropFirst().reduce(first.dtype) { DType.promote($0, $1.dtype) }
    var outShape = first.shape
    outShape[d] = tensors.reduce(0) { $0 + $1.shape[d] }
    let out = Tensor(uninitializedShape: outShape, dtype: type)
    var start = 0
    var ranges: [Range<Int>] = []
    for t in tensors {
      let size = t.shape[d]
      var idx = [TensorIndex](repeating: .whole, count: d)
      idx.append(.slice(start: start, end: start + size, step: 1))
      let (s, st, o) = viewLayout(
        shape: outShape, strides: out.strides, offset: 0, indices: idx, at: nil)
      out.view(shape: s, strides: st, offset: o).copyElements(from: t.to(type, recording: false))
      ranges.append(start..<(start + size))
      start += size
    }
    return out.record("CatBackward", inputs: tensors) { g in
      InputGrads(
        ranges.map { r in
          var idx = [TensorIndex](repeating: .whole, count: d)
          idx.append(.slice(start: r.lowerBound, end: r.upperBound, step: 1))
          return g.index(idx, at: nil)
        })
    }
  }

  /// Joins tensors of equal shape along a new dimension `dim` (PyTorch's `torch.stack`).
  public static func stack(
    _ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    guard let first = tensors.first else {
      tensorError("stack", "expects a non-empty list of tensors", at: location)
    }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
      tensorError(
        "stack",
        "tensor \(i) has shape \(describe(t.shape)) but tensor 0 has \(describe(first.shape)); "
          + "stack needs equal shapes", at: location)
    }
    guard let d = Shape.normalize(dim: dim, rank: first.rank + 1) else {
      tensorError(
        "stack",
        "dimension \(dim) is out of range for stacking tensors of shape "
          + "\(describe(first.shape))", at: location)
    }
    return cat(tensors.map { $0.unsqueeze(d) }, dim: d, file: file, line: line)
  }

  /// Copies `source` (same shape) into this tensor without checks or recording.
  func copyElements(from source: Tensor) {
    withElementType { type in copyElements(type, source) }
  }

  private func copyElements<T: TensorElement>(_: T.Type, _ source: Tensor) {
    updateElements(with: source.to(dtype, recording: false), T.self) { _, b in b }
  }

  private func triangle(_ op: String, diagonal: Int, upper: Bool, at location: SourceLocation)
    -> Tensor
  {
    guard rank >= 2 else {
      tensorError(
        op, "needs a tensor with at least 2 dimensions, got \(describe(shape))", at: location)
    }
    return maskedTriangle(diagonal: diagonal, upper: upper)
  }

  /// A contiguous copy with the elements outside the triangle set to zero; its backward is
  /// the same triangle of the gradient. No mask is built: each row is copied in two spans.
  private func maskedTriangle(diagonal: Int, upper: Bool) -> Tensor {
    let out = rank == 2 ? matrixTriangle(diagonal: diagonal, upper: upper) : copy()
    let (rows, cols) = (shape[rank - 2], shape[rank - 1])
    let matrices = rows * cols == 0 ? 0 : out.count / (rows * cols)
    func zeroOutside<T: TensorElement>(_: T.Type) {
      let p = out.base(T.self)
      let zero = T(fromDouble: 0)
      for m in 0..<matrices {
        for i in 0..<rows {
          let row = p + m * rows * cols + i * cols
          // Kept: j − i ≥ diagonal (upper) or j − i ≤ diagonal (lower).
          let boundary = Swift.min(Swift.max(i + diagonal + (upper ? 0 : 1), 0), cols)
          if upper {
            row.update(repeating: zero, count: boundary)
          } else {
            (row + boundary).update(repeating: zero, count: cols - boundary)
          }
        }
      }
    }
    if rank != 2 { withElementType { type in zeroOutside(type) } }
    return out.record(upper ? "TriuBackward" : "TrilBackward", input: self) { g in
      [g.maskedTriangle(diagonal: diagonal, upper: upper)]
    }
  }

  /// The upper triangle: elements with `column − row ≥ diagonal`, zeros elsewhere.
  ///
  /// `x.triu(diagonal: 1)` keeps the part strictly above the main diagonal.
  public func triu(diagonal: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    triangle("triu", diagonal: diagonal, upper: true, at: .init(file: file, line: line))
  }

  /// The lower triangle: elements with `column − row ≤ diagonal`, zeros elsewhere.
  public func tril(diagonal: Int = 0, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    triangle("tril", diagonal: diagonal, upper: false, at: .init(file: file, line: line))
  }
}

/// Joins tensors along an existing dimension (`torch.cat`).
public func cat(_ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line)
  -> Tensor
{
  Tensor.cat(tensors, dim: dim, file: file, line: line)
}

/// Joins tensors along a new dimension (`torch.stack`).
public func stack(
  _ tensors: [Tensor], dim: Int = 0, file: StaticString = #fileID, line: UInt = #line
) -> Tensor {
  Tensor.stack(tensors, dim: dim, file: file, line: line)
}
