// Conversions between element types, copies, detaching, and export to Swift values.

extension Tensor {
  /// Runs `body` with the Swift type of this tensor's elements.
  @inline(__always)
  func withElementType<R>(_ body: (any TensorElement.Type) -> R) -> R {
    switch dtype {
    case .float32: body(Float.self)
    case .float64: body(Double.self)
    case .int64: body(Int.self)
    case .bool: body(Bool.self)
    }
  }

  /// Converts the elements to `target`, without recording.
  func converted(to target: DType) -> Tensor {
    func from<S: TensorElement>(_: S.Type) -> Tensor {
      switch target {
      case .float32: convertElements(S.self, Float.self)
      case .float64: convertElements(S.self, Double.self)
      case .int64: convertElements(S.self, Int.self)
      case .bool: convertElements(S.self, Bool.self)
      }
    }
    switch dtype {
    case .float32: return from(Float.self)
    case .float64: return from(Double.self)
    case .int64: return from(Int.self)
    case .bool: return from(Bool.self)
    }
  }

  private func convertElements<S: TensorElement, D: TensorElement>(_: S.Type, _: D.Type)
    -> Tensor
  {
    // The common pairs avoid the round trip through Double.
    if S.self == D.self { return mapElements(S.self, to: S.self) { $0 } as Tensor }
    if S.self == Float.self && D.self == Double.self {
      return mapElements(Float.self, to: Double.self) { Double($0) }
    }
    if S.self == Double.self && D.self == Float.self {
      return mapElements(Double.self, to: Float.self) { Float($0) }
    }
    if S.self == Bool.self && D.self == Float.self {
      // Masks turned into numbers (accuracies, counts): a vectorized loop when contiguous.
      guard isContiguous else { return mapElements(Bool.self, to: Float.self) { $0 ? 1 : 0 } }
      let out = Tensor(uninitializedShape: shape, dtype: .float32)
      VectorMath.floats(base(Bool.self), out.base(Float.self), count: count)
      return out
    }
    if S.self == Int.self && D.self == Float.self {
      return mapElements(Int.self, to: Float.self) { Float($0) }
    }
    return mapElements(S.self, to: D.self) { D(fromDouble: $0.doubleValue) }
  }

  /// This tensor with elements of another type, as PyTorch's `tensor.to(dtype)`.
  ///
  /// Conversions between `float32` and `float64` are differentiable. Returns `self` when the
  /// type already matches.
  public func to(_ dtype: DType) -> Tensor {
    if dtype == self.dtype { return self }
    let out = converted(to: dtype)
    guard dtype.isFloatingPoint && self.dtype.isFloatingPoint else { return out }
    let source = self.dtype
    return out.record("ToCopyBackward", input: self) { g in [g.converted(to: source)] }
  }

  /// Moves the tensor to `device`. Only the CPU has a backend in this build; asking for
  /// another device stops with an error that says so.
  public func to(_ device: Device, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if let reason = device.unavailableReason {
      tensorError(
        "to", "device \(device) is not available: \(reason)",
        at: SourceLocation(file: file, line: line))
    }
    return self
  }

  /// `to(.float32)`.
  public func float() -> Tensor { to(.float32) }
  /// `to(.float64)`.
  public func double() -> Tensor { to(.float64) }
  /// `to(.int64)`.
  public func long() -> Tensor { to(.int64) }
  /// `to(.bool)`.
  public func bool() -> Tensor { to(.bool) }

  /// A contiguous copy with its own storage; differentiable (PyTorch's `clone()`).
  public func clone() -> Tensor {
    let out = converted(to: dtype)
    return out.record("CloneBackward", input: self) { g in [g] }
  }

  /// This tensor if already contiguous, else a contiguous copy; differentiable.
  public func contiguous() -> Tensor {
    isContiguous ? self : clone()
  }

  /// A contiguous copy outside the graph.
  func copy() -> Tensor { converted(to: dtype) }

  /// A tensor sharing this one's storage but cut from the graph: it never requires grad.
  ///
  /// In-place changes to either are seen by both, as with PyTorch's `detach()`.
  public func detach() -> Tensor {
    Tensor(sharing: self)
  }

  /// The value of a one-element tensor, as `Double` (PyTorch's `item()`).
  public func item(file: StaticString = #fileID, line: UInt = #line) -> Double {
    guard count == 1 else {
      tensorError(
        "item",
        "only a tensor with one element can be converted to a number; this one has shape "
          + "\(describe(shape)) (\(count) elements)",
        at: SourceLocation(file: file, line: line))
    }
    return withElementType { type in element(type, at: offset).doubleValue }
  }

  private func element<T: TensorElement>(_: T.Type, at index: Int) -> T {
    storage.pointer(T.self)[index]
  }

  /// The elements in row-major order, converted to `Double`.
  public func toArray() -> [Double] {
    toArray(Double.self)
  }

  /// The elements in row-major order, converted to `T`.
  public func toArray<T: TensorElement>(_: T.Type) -> [T] {
    let c = converted(to: T.dtype)
    return Array(UnsafeBufferPointer(start: c.base(T.self), count: c.count))
  }

  /// The elements of a 2-D tensor as rows of `Double`.
  public func toRows() -> [[Double]] {
    let flat = toArray()
    guard rank == 2 else { return [flat] }
    return (0..<shape[0]).map { Array(flat[($0 * shape[1])..<(($0 + 1) * shape[1])]) }
  }
}
