// In-place updates: the parameter update of manual gradient descent, zeroing, filling.
//
// As in PyTorch, changing a tensor that requires grad in place is allowed only inside
// `noGrad { }`: outside it the change would silently corrupt the recorded graph.

extension Tensor {
  /// Stops with an error unless this tensor may be changed in place here.
  func checkWritable(_ op: String, at location: SourceLocation?) {
    if _requiresGrad && GradMode.isEnabled {
      let what =
        isLeaf
        ? "a leaf tensor that requires grad"
        : "a tensor that requires grad (made by \(gradFn!.name))"
      tensorError(
        op,
        "\(what) is being used in an in-place operation outside noGrad; "
          + "write the update inside noGrad { … }", at: location)
    }
    // A contiguous tensor has no repeated elements; skipping it spares fresh results their
    // strides array.
    if isContiguous { return }
    for (size, stride) in zip(shape, strides) where stride == 0 && size > 1 {
      tensorError(
        op,
        "cannot write in place to an expanded tensor of shape \(describe(shape)): several "
          + "elements share one memory location; call contiguous() first", at: location)
    }
  }

  /// Sets every element to `value` (inside `noGrad` when the tensor requires grad).
  public func fill(_ value: Double, file: StaticString = #fileID, line: UInt = #line) {
    checkWritable("fill", at: SourceLocation(file: file, line: line))
    fill(value)
  }

  /// Sets every element to zero, as PyTorch's `zero_()`.
  public func zero(file: StaticString = #fileID, line: UInt = #line) {
    fill(0, file: file, line: line)
  }

  /// Sets the accumulated gradient to zero, keeping the tensor (PyTorch's `w.grad.zero_()`).
  /// Does nothing when there is no gradient yet.
  public func zeroGrad() {
    guard let grad else { return }
    // A contiguous gradient needs none of `fill`'s checks (nor the task-local `noGrad`
    // scope they would need): it requires no grad here and has no repeated elements.
    if grad.isContiguous && !grad._requiresGrad {
      grad.fill(0)
    } else {
      noGrad { grad.fill(0) }
    }
  }

  /// Unchecked fill, used by factories.
  func fill(_ value: Double) {
    withElementType { type in fillElements(type, value) }
  }

  private func fillElements<T: TensorElement>(_: T.Type, _ value: Double) {
    let v = T(fromDouble: value)
    if isContiguous {
      base(T.self).update(repeating: v, count: count)
    } else {
      let p = base(T.self)
      let loop = StridedLoop(shape: shape, strides: [strides])
      let len = loop.runLength
      let s = loop.innerStrides[0]
      loop.forEachRun { _, offsets in
        for i in 0..<len { p[offsets[0] + i * s] = v }
      }
    }
    storage.version += 1
  }

  /// Sets the element at a flat storage index (used by factories such as `eye`).
  func setElement(at index: Int, to value: Double) {
    withElementType { type in setElement(type, index, value) }
  }

  private func setElement<T: TensorElement>(_: T.Type, _ index: Int, _ value: Double) {
    storage.pointer(T.self)[offset + index] = T(fromDouble: value)
  }

  /// Copies `source` (broadcast to this shape, converted to this type) into this tensor.
  public func copy(from source: Tensor, file: StaticString = #fileID, line: UInt = #line) {
    update("copy", with: source, at: SourceLocation(file: file, line: line)) { _, b in b }
  }

  /// `other` in this tensor's element type, copied only when its type differs or when it
  /// shares this tensor's storage (an overlapping view must be read before it is written).
  private func operand(_ other: Tensor) -> Tensor {
    other.dtype == dtype && other.storage !== storage ? other : other.converted(to: dtype)
  }

  /// Adds `other` in place, outside the graph: gradient accumulation.
  func addInPlace(_ other: Tensor) {
    let rhs = operand(other)
    switch dtype {
    case .float32: updateElements(with: rhs, Float.self) { $0 + $1 }
    case .float64: updateElements(with: rhs, Double.self) { $0 + $1 }
    case .int64: updateElements(with: rhs, Int.self) { $0 &+ $1 }
    case .bool: updateElements(with: rhs, Bool.self) { $0 || $1 }
    }
    storage.version += 1
  }

  /// Applies `f(self, other)` in place after checking writability, shape and type.
  @inline(__always)
  func update(
    _ op: String, with other: Tensor, at location: SourceLocation?,
    _ f: (Double, Double) -> Double
  ) {
    checkWritable(op, at: location)
    guard let target = Shape.broadcast(shape, other.shape), target == shape else {
      tensorError(
        op,
        "cannot update a tensor of shape \(describe(shape)) in place with one of shape "
          + "\(describe(other.shape)): the result would have another shape", at: location)
    }
    let resultType = DType.promote(dtype, other.dtype)
    if resultType != dtype && op != "copy" {
      tensorError(
        op,
        "result type \(resultType) cannot be stored in place in a tensor of type \(dtype)",
        at: location)
    }
    let rhs = operand(other)
    switch dtype {
    case .float32: updateElements(with: rhs, Float.self) { Float(f(Double($0), Double($1))) }
    case .float64: updateElements(with: rhs, Double.self) { f($0, $1) }
    case .int64: updateElements(with: rhs, Int.self) { Int(fromDouble: f(Double($0), Double($1))) }
    case .bool: updateElements(with: rhs, Bool.self) { f($0.doubleValue, $1.doubleValue) != 0 }
    }
    storage.version += 1
  }

  /// In-place addition: `w += x` (inside `noGrad` when `w` requires grad).
  public static func += (lhs: Tensor, rhs: Tensor) {
    lhs.update("+=", with: rhs, at: nil) { $0 + $1 }
  }
  /// In-place subtraction: `w -= lr * w.grad!` (inside `noGrad` when `w` requires grad).
  public static func -= (lhs: Tensor, rhs: Tensor) {
    lhs.update("-=", with: rhs, at: nil) { $0 - $1 }
  }
  /// In-place multiplication.
  public static func *= (lhs: Tensor, rhs: Tensor) {
    lhs.update("*=", with: rhs, at: nil) { $0 * $1 }
  }
  /// In-place division.
  public static func /= (lhs: Tensor, rhs: Tensor) {
    lhs.update("/=", with: rhs, at: nil) { $0 / $1 }
  }

  /// `self = f(self, value)` for a number: a floating-point tensor is updated without a
  /// 0-d tensor for the number (the same float32 rounding of it as ``scalarLike(_:)``);
  /// other types take the general route, which checks the result type.
  @inline(__always)
  private func update(
    _ op: String, scalar value: Double, _ f: (Double, Double) -> Double
  ) {
    switch dtype {
    case .float32:
      checkWritable(op, at: nil)
      let v = Double(Float(value))
      updateElements(Float.self) { Float(f(Double($0), v)) }
    case .float64:
      checkWritable(op, at: nil)
      updateElements(Double.self) { f($0, value) }
    case .int64, .bool:
      update(op, with: scalarLike(value), at: nil, f)
      return
    }
    storage.version += 1
  }

  /// In-place addition of a number.
  public static func += (lhs: Tensor, rhs: Double) { lhs.update("+=", scalar: rhs) { $0 + $1 } }
  /// In-place subtraction of a number.
  public static func -= (lhs: Tensor, rhs: Double) { lhs.update("-=", scalar: rhs) { $0 - $1 } }
  /// In-place multiplication by a number (e.g. rescaling gradients when clipping).
  public static func *= (lhs: Tensor, rhs: Double) { lhs.update("*=", scalar: rhs) { $0 * $1 } }
  /// In-place division by a number.
  public static func /= (lhs: Tensor, rhs: Double) { lhs.update("/=", scalar: rhs) { $0 / $1 } }
}
