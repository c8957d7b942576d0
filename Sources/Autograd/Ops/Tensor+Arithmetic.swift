// Arithmetic primitives with their backward rules. Broadcast gradients are returned at the
// output's shape; the engine sums them back to each operand's shape.

extension Tensor {
  /// Checks that `a` and `b` broadcast, and converts both to the common element type.
  static func prepare<Op: BinaryElementOp>(
    _: Op.Type, _ a: Tensor, _ b: Tensor, at location: SourceLocation?
  ) -> (a: Tensor, b: Tensor, shape: [Int]) {
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
      tensorError(
        Op.name,
        "shapes \(describe(a.shape)) and \(describe(b.shape)) cannot be broadcast together "
          + "(sizes must match or be 1, aligned from the last dimension)", at: location)
    }
    var type = DType.result(a.dtype, rank: a.rank, b.dtype, rank: b.rank)
    if type == .bool && Op.boolean == nil {
      if Op.self == SubOp.self {
        tensorError(
          Op.name,
          "subtracting two bool tensors is not supported, as in PyTorch; use "
            + "logicalAnd(logicalNot()) or convert with .long() first", at: location)
      }
      type = .int64
    }
    if type == .int64 && Op.integer == nil { type = .float32 }
    return (a.to(type, recording: false), b.to(type, recording: false), shape)
  }

  /// Converts without recording, returning `self` when the type matches.
  func to(_ type: DType, recording: Bool) -> Tensor {
    type == dtype ? self : converted(to: type)
  }

  static func binary<Op: BinaryElementOp>(
    _ op: Op.Type, _ a: Tensor, _ b: Tensor, at location: SourceLocation?
  ) -> Tensor {
    let (x, y, shape) = prepare(op, a, b, at: location)
    return zipOp(op, x, y, shape: shape)
  }

  /// A 0-d tensor holding `value`: of this tensor's type when it is floating point; for an
  /// integer or bool tensor, int64 when the value is a whole number (so `labels + 1` stays
  /// integer, as in PyTorch) and float32 otherwise.
  ///
  /// Numbers are taken as `Double` only, never as `Int` too: a second set of overloads for
  /// every operator makes long expressions mixing tensors and literals exponentially slow to
  /// type-check.
  func scalarLike(_ value: Double) -> Tensor {
    if dtype.isFloatingPoint { return Tensor(value, dtype: dtype) }
    return Tensor(
      value, dtype: value == value.rounded() && Swift.abs(value) < 0x1p53 ? .int64 : .float32)
  }

  /// `self op value` (`value op self` when `reversed`) for a floating-point tensor, computed
  /// without a 0-d tensor for the number (rounded to the tensor's type as
  /// ``scalarLike(_:)`` rounds it), or `nil` for integer and bool tensors, whose result
  /// type depends on the number. The caller records the operation: its backward needs only
  /// the number (PyTorch saves no tensor for it either). Parameter updates, gradient
  /// clipping and the divisions of means are made of these.
  @inline(__always)
  func scalarResult<Op: BinaryElementOp>(_: Op.Type, _ value: Double, reversed: Bool = false)
    -> Tensor?
  {
    switch dtype {
    case .float32:
      let v = Float(value)
      if let op = Op.arithmetic, isContiguous, count > 0 {
        return arithmeticArray(op, v, reversed: reversed)
      }
      return reversed
        ? mapElements(Float.self, to: Float.self) { Op.apply(v, $0) }
        : mapElements(Float.self, to: Float.self) { Op.apply($0, v) }
    case .float64:
      return reversed
        ? mapElements(Double.self, to: Double.self) { Op.apply(value, $0) }
        : mapElements(Double.self, to: Double.self) { Op.apply($0, value) }
    case .int64, .bool:
      return nil
    }
  }

  // MARK: Primitives

  static func add(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    binary(AddOp.self, a, b, at: location)
      .record("AddBackward", inputs: a, b) { g in [g, g] }
  }

  static func sub(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let out = binary(SubOp.self, a, b, at: location)
    guard isRecorded(a, b) else { return out }
    return out.record("SubBackward", inputs: a, b) { [needB = b._requiresGrad] g in
      [g, needB ? -g : nil]
    }
  }

  static func mul(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let out = binary(MulOp.self, a, b, at: location)
    guard isRecorded(a, b) else { return out }
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    return out.record("MulBackward", inputs: a, b, saved: [a, b]) { g in
      [needA ? g * y : nil, needB ? g * x : nil]
    }
  }

  static func div(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let out = binary(DivOp.self, a, b, at: location)
    guard isRecorded(a, b) else { return out }
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    return out.record("DivBackward", inputs: a, b, saved: [a, b]) { g in
      [needA ? g / y : nil, needB ? -g * x / (y * y) : nil]
    }
  }

  static func pow(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    let out = binary(PowOp.self, a, b, at: location)
    let result = out.detach()
    return out.record("PowBackward", inputs: a, b, saved: [a, b]) { g in
      let zero = Tensor.zeros([], dtype: g.dtype)
      return [
        // b · a^(b−1), taken as 0 where b = 0 (a^0 is constant; 0 · 0^(−1) would be NaN).
        needA
          ? Tensor.where(y .== 0, zero, g * y * Tensor.binary(PowOp.self, x, y - 1, at: nil))
          : nil,
        // d/db a^b = a^b · log a, taken as 0 where a = 0 and b ≥ 0 (the limit); for b < 0
        // it is inf · (−inf) = −inf, as in PyTorch.
        needB
          ? g * Tensor.where((x .== 0).logicalAnd(y .>= 0), zero, result * x.log()) : nil,
      ]
    }
  }

  static func maximum(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    return binary(MaximumOp.self, a, b, at: location)
      .record("MaximumBackward", inputs: a, b, saved: [a, b]) { g in
        // Ties split the gradient evenly and NaN positions pass it to both, as in PyTorch:
        // each side loses it only where it is strictly the smaller.
        let tie = 0.5 * (x .== y).to(g.dtype)
        return [
          needA ? g * (1 - (x .< y).to(g.dtype) - tie) : nil,
          needB ? g * (1 - (x .> y).to(g.dtype) - tie) : nil,
        ]
      }
  }

  static func minimum(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    return binary(MinimumOp.self, a, b, at: location)
      .record("MinimumBackward", inputs: a, b, saved: [a, b]) { g in
        let tie = 0.5 * (x .== y).to(g.dtype)
        return [
          needA ? g * (1 - (x .> y).to(g.dtype) - tie) : nil,
          needB ? g * (1 - (x .< y).to(g.dtype) - tie) : nil,
        ]
      }
  }

  // MARK: Operators

  /// Elementwise sum with broadcasting.
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { add(lhs, rhs, at: nil) }
  /// Elementwise difference with broadcasting.
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { sub(lhs, rhs, at: nil) }
  /// Elementwise product with broadcasting (not the matrix product: see ``matmul(_:file:line:)``).
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { mul(lhs, rhs, at: nil) }
  /// Elementwise quotient with broadcasting; integer operands give float32, as in PyTorch.
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { div(lhs, rhs, at: nil) }
  /// Negation.
  public static prefix func - (operand: Tensor) -> Tensor { operand.neg() }

  /// Adds a number to every element.
  public static func + (lhs: Tensor, rhs: Double) -> Tensor {
    guard let out = lhs.scalarResult(AddOp.self, rhs) else {
      return add(lhs, lhs.scalarLike(rhs), at: nil)
    }
    return out.record("AddBackward", input: lhs) { g in [g] }
  }
  /// Adds a number to every element.
  public static func + (lhs: Double, rhs: Tensor) -> Tensor {
    guard let out = rhs.scalarResult(AddOp.self, lhs, reversed: true) else {
      return add(rhs.scalarLike(lhs), rhs, at: nil)
    }
    return out.record("AddBackward", input: rhs) { g in [g] }
  }
  /// Subtracts a number from every element.
  public static func - (lhs: Tensor, rhs: Double) -> Tensor {
    guard let out = lhs.scalarResult(SubOp.self, rhs) else {
      return sub(lhs, lhs.scalarLike(rhs), at: nil)
    }
    return out.record("SubBackward", input: lhs) { g in [g] }
  }
  /// Subtracts every element from a number.
  public static func - (lhs: Double, rhs: Tensor) -> Tensor {
    guard let out = rhs.scalarResult(SubOp.self, lhs, reversed: true) else {
      return sub(rhs.scalarLike(lhs), rhs, at: nil)
    }
    return out.record("SubBackward", input: rhs) { g in [-g] }
  }
  /// Multiplies every element by a number.
  public static func * (lhs: Tensor, rhs: Double) -> Tensor {
    guard let out = lhs.scalarResult(MulOp.self, rhs) else {
      return mul(lhs, lhs.scalarLike(rhs), at: nil)
    }
    guard isRecorded(lhs) else { return out }
    return out.record("MulBackward", input: lhs) { g in [g * rhs] }
  }
  /// Multiplies every element by a number.
  public static func * (lhs: Double, rhs: Tensor) -> Tensor {
    guard let out = rhs.scalarResult(MulOp.self, lhs, reversed: true) else {
      return mul(rhs.scalarLike(lhs), rhs, at: nil)
    }
    guard isRecorded(rhs) else { return out }
    return out.record("MulBackward", input: rhs) { g in [g * lhs] }
  }
  /// Divides every element by a number.
  public static func / (lhs: Tensor, rhs: Double) -> Tensor {
    guard let out = lhs.scalarResult(DivOp.self, rhs) else {
      return div(lhs, lhs.scalarLike(rhs), at: nil)
    }
    guard isRecorded(lhs) else { return out }
    return out.record("DivBackward", input: lhs) { g in [g / rhs] }
  }
  /// Divides a number by every element.
  public static func / (lhs: Double, rhs: Tensor) -> Tensor {
    // Its backward reads the tensor, which the general route saves and checks.
    guard !rhs._requiresGrad, let out = rhs.scalarResult(DivOp.self, lhs, reversed: true) else {
      return div(rhs.scalarLike(lhs), rhs, at: nil)
    }
    return out
  }

  // MARK: Methods

  /// Negation, `-x`.
  public func neg() -> Tensor {
    if !dtype.isFloatingPoint { return Tensor.sub(scalarLike(0), self, at: nil) }
    return mapFloat(NegOp.self).record("NegBackward", input: self) { g in [-g] }
  }

  /// Elementwise power with a tensor exponent, broadcasting.
  public func pow(_ exponent: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.pow(self, exponent, at: SourceLocation(file: file, line: line))
  }

  /// Raises every element to a fixed power: `x.pow(2)`.
  ///
  /// An int64 tensor raised to a whole, non-negative number stays int64, as in PyTorch;
  /// a negative whole exponent of an integer tensor is an error there and here.
  public func pow(_ exponent: Double, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    if !dtype.isFloatingPoint && exponent < 0 && exponent == exponent.rounded() {
      tensorError(
        "pow",
        "integers to negative integer powers are not allowed (tensor of type \(dtype), "
          + "exponent \(exponent)); convert with .double() first",
        at: SourceLocation(file: file, line: line))
    }
    let out = Tensor.binary(PowScalarOp.self, self, scalarLike(exponent), at: nil)
    guard Tensor.isRecorded(self) else { return out }
    let x = self
    return out.record("PowBackward", input: self, saved: [self]) { g in
      if exponent == 0 { return [Tensor.zeros(like: g)] }
      if exponent == 1 { return [g] }
      if exponent == 2 { return [g * 2 * x] }
      return [g * exponent * x.pow(exponent - 1)]
    }
  }

  /// Elementwise maximum of two tensors, broadcasting (PyTorch's `torch.maximum`).
  public func maximum(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.maximum(self, other, at: SourceLocation(file: file, line: line))
  }

  /// Elementwise minimum of two tensors, broadcasting (PyTorch's `torch.minimum`).
  public func minimum(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.minimum(self, other, at: SourceLocation(file: file, line: line))
  }

  /// Elementwise sum, as a method with the caller's location in errors.
  public func add(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.add(self, other, at: SourceLocation(file: file, line: line))
  }

  /// Elementwise difference, as a method.
  public func sub(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.sub(self, other, at: SourceLocation(file: file, line: line))
  }

  /// Elementwise product, as a method.
  public func mul(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.mul(self, other, at: SourceLocation(file: file, line: line))
  }

  /// Elementwise quotient, as a method.
  public func div(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.div(self, other, at: SourceLocation(file: file, line: line))
  }
}

/// Elementwise maximum of two tensors (`torch.maximum`).
public func maximum(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line)
  -> Tensor
{
  Tensor.maximum(a, b, at: SourceLocation(file: file, line: line))
}

/// Elementwise minimum of two tensors (`torch.minimum`).
public func minimum(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line)
  -> Tensor
{
  Tensor.minimum(a, b, at: SourceLocation(file: file, line: line))
}
