// Comparisons (giving bool masks), selection with `where`, masked fill and logical ops.

infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence

extension Tensor {
  // Inlined into each operator so that the predicates are inlined into the loops rather
  // than called through a closure once per element.
  @inline(__always)
  private static func compare(
    _ name: String, _ a: Tensor, _ b: Tensor, _ op: VectorMath.Comparison,
    _ f32: (Float, Float) -> Bool, _ f64: (Double, Double) -> Bool, _ i64: (Int, Int) -> Bool
  ) -> Tensor {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      tensorError(
        name,
        "shapes \(describe(a.shape)) and \(describe(b.shape)) cannot be broadcast together",
        at: nil)
    }
    var type = DType.result(a.dtype, rank: a.rank, b.dtype, rank: b.rank)
    if type == .bool { type = .int64 }
    let (x, y) = (a.to(type, recording: false), b.to(type, recording: false))
    switch type {
    case .float32:
      if let out = compareArrays(op, x, y, shape: shape) { return out }
      return zipElements(x, y, shape: shape, Float.self, to: Bool.self, f32)
    case .float64: return zipElements(x, y, shape: shape, Double.self, to: Bool.self, f64)
    default: return zipElements(x, y, shape: shape, Int.self, to: Bool.self, i64)
    }
  }

  /// Elementwise `<`, giving a bool mask.
  public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("lt", lhs, rhs, .less, <, <, <)
  }
  /// Elementwise `<=`, giving a bool mask.
  public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("le", lhs, rhs, .lessOrEqual, <=, <=, <=)
  }
  /// Elementwise `>`, giving a bool mask.
  public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("gt", lhs, rhs, .greater, >, >, >)
  }
  /// Elementwise `>=`, giving a bool mask.
  public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("ge", lhs, rhs, .greaterOrEqual, >=, >=, >=)
  }
  /// Elementwise `==`, giving a bool mask.
  public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("eq", lhs, rhs, .equal, ==, ==, ==)
  }
  /// Elementwise `!=`, giving a bool mask.
  public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor {
    compare("ne", lhs, rhs, .notEqual, !=, !=, !=)
  }

  /// Elementwise `<` against a number.
  public static func .< (lhs: Tensor, rhs: Double) -> Tensor { lhs .< lhs.scalarLike(rhs) }
  /// Elementwise `<=` against a number.
  public static func .<= (lhs: Tensor, rhs: Double) -> Tensor { lhs .<= lhs.scalarLike(rhs) }
  /// Elementwise `>` against a number.
  public static func .> (lhs: Tensor, rhs: Double) -> Tensor { lhs .> lhs.scalarLike(rhs) }
  /// Elementwise `>=` against a number.
  public static func .>= (lhs: Tensor, rhs: Double) -> Tensor { lhs .>= lhs.scalarLike(rhs) }
  /// Elementwise `==` against a number.
  public static func .== (lhs: Tensor, rhs: Double) -> Tensor { lhs .== lhs.scalarLike(rhs) }
  /// Elementwise `!=` against a number.
  public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { lhs .!= lhs.scalarLike(rhs) }

  private func checkBool(_ op: String, at location: SourceLocation?) {
    if dtype != .bool {
      tensorError(op, "expects a bool mask, got a tensor of type \(dtype)", at: location)
    }
  }

  /// Elementwise logical and of two bool masks.
  public func logicalAnd(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    let location = SourceLocation(file: file, line: line)
    checkBool("logicalAnd", at: location)
    other.checkBool("logicalAnd", at: location)
    return Tensor.logical("logicalAnd", self, other, at: location) { $0 && $1 }
  }

  /// Elementwise logical or of two bool masks.
  public func logicalOr(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    let location = SourceLocation(file: file, line: line)
    checkBool("logicalOr", at: location)
    other.checkBool("logicalOr", at: location)
    return Tensor.logical("logicalOr", self, other, at: location) { $0 || $1 }
  }

  private static func logical(
    _ name: String, _ a: Tensor, _ b: Tensor, at location: SourceLocation,
    _ f: (Bool, Bool) -> Bool
  ) -> Tensor {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      tensorError(
        name,
        "shapes \(describe(a.shape)) and \(describe(b.shape)) cannot be broadcast together",
        at: location)
    }
    return zipElements(a, b, shape: shape, Bool.self, to: Bool.self, f)
  }

  /// Elementwise logical not of a bool mask.
  public func logicalNot(file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    checkBool("logicalNot", at: SourceLocation(file: file, line: line))
    return mapElements(Bool.self, to: Bool.self) { !$0 }
  }

  /// Elementwise logical and of two bool masks.
  public static func .&& (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalAnd(rhs) }
  /// Elementwise logical or of two bool masks.
  public static func .|| (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalOr(rhs) }

  /// Chooses elements of `a` where `condition` is true and of `b` elsewhere, broadcasting
  /// all three (PyTorch's `torch.where`). Gradients flow to the chosen side only.
  public static func `where`(
    _ condition: Tensor, _ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    condition.checkBool("where", at: location)
    guard let ab = Shape.broadcast(a.shape, b.shape),
      let shape = Shape.broadcast(condition.shape, ab)
    else {
      tensorError(
        "where",
        "shapes \(describe(condition.shape)) (condition), \(describe(a.shape)) and "
          + "\(describe(b.shape)) cannot be broadcast together", at: location)
    }
    var type = DType.promote(a.dtype, b.dtype)
    if type == .bool { type = .int64 }
    let (x, y) = (a.to(type, recording: false), b.to(type, recording: false))
    let out: Tensor
    switch type {
    case .float32: out = selectElements(condition, x, y, shape: shape, Float.self)
    case .float64: out = selectElements(condition, x, y, shape: shape, Double.self)
    default: out = selectElements(condition, x, y, shape: shape, Int.self)
    }
    guard isRecorded(a, b) else { return out }
    let mask = condition.detach()
    let (needA, needB) = (a._requiresGrad, b._requiresGrad)
    return out.record("WhereBackward", inputs: a, b) { g in
      let zero = Tensor.zeros([], dtype: g.dtype)
      return [
        needA ? Tensor.select(mask, g, zero) : nil, needB ? Tensor.select(mask, zero, g) : nil,
      ]
    }
  }

  /// `where` with a number on the false side: `Tensor.where(mask, x, 0)`.
  public static func `where`(
    _ condition: Tensor, _ a: Tensor, _ b: Double, file: StaticString = #fileID,
    line: UInt = #line
  ) -> Tensor {
    Tensor.where(condition, a, a.scalarLike(b), file: file, line: line)
  }

  /// `where` with a number on the true side: `Tensor.where(mask, 0, x)`.
  public static func `where`(
    _ condition: Tensor, _ a: Double, _ b: Tensor, file: StaticString = #fileID,
    line: UInt = #line
  ) -> Tensor {
    Tensor.where(condition, b.scalarLike(a), b, file: file, line: line)
  }

  /// Whether every element is true (nonzero), as a 0-d bool tensor.
  public func all() -> Tensor {
    Tensor(
      Double(count == 0 || (self.bool().long().sum().item() == Double(count)) ? 1 : 0), dtype: .bool
    )
  }

  /// Whether any element is true (nonzero), as a 0-d bool tensor.
  public func any() -> Tensor {
    Tensor(count > 0 && self.bool().long().sum().item() > 0 ? 1 : 0, dtype: .bool)
  }

  /// `where` on floating-point operands of one type, outside the graph.
  static func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = Shape.broadcast(mask.shape, Shape.broadcast(a.shape, b.shape)!)!
    return a.dtype == .float32
      ? selectElements(mask, a, b, shape: shape, Float.self)
      : selectElements(mask, a, b, shape: shape, Double.self)
  }

  /// Replaces elements where `mask` is true by `value` (PyTorch's `masked_fill`).
  public func maskedFill(
    _ mask: Tensor, _ value: Double, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    mask.checkBool("maskedFill", at: location)
    guard Shape.broadcast(shape, mask.shape) == shape else {
      tensorError(
        "maskedFill",
        "mask of shape \(describe(mask.shape)) does not broadcast to the tensor's shape "
          + "\(describe(shape))", at: location)
    }
    return Tensor.where(mask, Tensor(value, dtype: dtype), self, file: file, line: line)
  }
}
