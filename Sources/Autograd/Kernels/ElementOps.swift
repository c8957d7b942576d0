internal import RealModule

// The per-element functions of the elementwise primitives, written once over
// `FloatElement` and specialised for Float and Double by the kernels that use them.

/// A binary elementwise function.
protocol BinaryElementOp {
  /// Name used in error messages (`add`, `mul`, …).
  static var name: String { get }
  /// The function on floating-point elements.
  static func apply<T: FloatElement>(_ a: T, _ b: T) -> T
  /// The function on integers, or `nil` when integer operands are promoted to float32.
  static var integer: ((Int, Int) -> Int)? { get }
  /// The function on two bool operands, or `nil` when they are promoted to int64 (PyTorch
  /// keeps `bool + bool` and `bool * bool` bool: a logical or and a logical and).
  static var boolean: ((Bool, Bool) -> Bool)? { get }
  /// The function's C loop on float32 arrays (`VectorMath`), or `nil` when it has none.
  static var arithmetic: VectorMath.Arithmetic? { get }
}

extension BinaryElementOp {
  static var integer: ((Int, Int) -> Int)? { nil }
  static var boolean: ((Bool, Bool) -> Bool)? { nil }
  static var arithmetic: VectorMath.Arithmetic? { nil }
}

enum AddOp: BinaryElementOp {
  static let name = "add"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a + b }
  static var integer: ((Int, Int) -> Int)? { { $0 &+ $1 } }
  static var boolean: ((Bool, Bool) -> Bool)? { { $0 || $1 } }
  static var arithmetic: VectorMath.Arithmetic? { .add }
}

enum SubOp: BinaryElementOp {
  static let name = "sub"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a - b }
  static var integer: ((Int, Int) -> Int)? { { $0 &- $1 } }
  static var arithmetic: VectorMath.Arithmetic? { .subtract }
}

enum MulOp: BinaryElementOp {
  static let name = "mul"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a * b }
  static var integer: ((Int, Int) -> Int)? { { $0 &* $1 } }
  static var boolean: ((Bool, Bool) -> Bool)? { { $0 && $1 } }
  static var arithmetic: VectorMath.Arithmetic? { .multiply }
}

enum DivOp: BinaryElementOp {
  static let name = "div"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a / b }
  static var arithmetic: VectorMath.Arithmetic? { .divide }
}

enum PowOp: BinaryElementOp {
  static let name = "pow"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    // C's pow: x^0 = 1 for every x (NaN included), integral powers of negative bases,
    // and the signed zeros and infinities as in PyTorch.
    T.cPow(a, b)
  }
  static var integer: ((Int, Int) -> Int)? { { integerPower($0, $1) } }

  /// `base^exponent` in wrapping int64 arithmetic, by squaring. A negative exponent gives
  /// the truncated quotient `1 / base^|exponent|`: ±1 for bases ±1 and 0 otherwise.
  static func integerPower(_ base: Int, _ exponent: Int) -> Int {
    if exponent < 0 {
      if base == 1 { return 1 }
      if base == -1 { return exponent & 1 == 0 ? 1 : -1 }
      return 0
    }
    var (result, square, e) = (1, base, exponent)
    while e > 0 {
      if e & 1 == 1 { result &*= square }
      square &*= square
      e >>= 1
    }
    return result
  }
}

/// `pow` with a number as exponent: PyTorch computes the exponents ±0.5, −1, 2, 3 and −2
/// as square roots, reciprocals and products, which differ from C's pow in the sign of
/// zeros and at −inf ((−0)^0.5 = −0, (−inf)^0.5 = NaN); so does this.
enum PowScalarOp: BinaryElementOp {
  static let name = "pow"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    switch b {
    case 0.5: a.squareRoot()
    case -0.5: 1 / a.squareRoot()
    case 2: a * a
    case 3: a * a * a
    case -1: 1 / a
    case -2: 1 / (a * a)
    default: T.cPow(a, b)
    }
  }
  static var integer: ((Int, Int) -> Int)? { PowOp.integer }
}

enum MaximumOp: BinaryElementOp {
  static let name = "maximum"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    a.isNaN || b.isNaN ? .nan : (a > b ? a : b)
  }
  static var integer: ((Int, Int) -> Int)? { { max($0, $1) } }
  static var boolean: ((Bool, Bool) -> Bool)? { { $0 || $1 } }
}

enum MinimumOp: BinaryElementOp {
  static let name = "minimum"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    a.isNaN || b.isNaN ? .nan : (a < b ? a : b)
  }
  static var integer: ((Int, Int) -> Int)? { { min($0, $1) } }
  static var boolean: ((Bool, Bool) -> Bool)? { { $0 && $1 } }
}

/// A unary elementwise function on floating-point elements.
protocol UnaryElementOp {
  static func apply<T: FloatElement>(_ x: T) -> T
  /// Whether ``floatArray(_:_:_:)`` computes the function on contiguous float32 tensors.
  static var hasArrayForm: Bool { get }
  /// The function over a contiguous float32 array (`VectorMath`).
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int)
}

extension UnaryElementOp {
  static var hasArrayForm: Bool { false }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    for i in 0..<count { destination[i] = apply(source[i]) }
  }
}

enum ExpOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.exp(x) }
  static var hasArrayForm: Bool { true }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    VectorMath.exp(source, destination, count)
  }
}
enum LogOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.log(x) }
  static var hasArrayForm: Bool { true }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    VectorMath.log(source, destination, count)
  }
}
enum Log1pOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.log(onePlus: x) }
  static var hasArrayForm: Bool { true }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    VectorMath.log1p(source, destination, count)
  }
}
enum SqrtOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { x.squareRoot() }
}
enum AbsOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { Swift.abs(x) }
}
enum SinOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.sin(x) }
}
enum CosOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.cos(x) }
}
enum TanhOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.tanh(x) }
}
enum ReluOp: UnaryElementOp {
  // NaN propagates (x > 0 is false for NaN, so test the other way round).
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { x <= 0 ? 0 : x }
  static var hasArrayForm: Bool { true }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    VectorMath.relu(source, destination, count)
  }
}
enum SignOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T {
    // NaN gives 0, as PyTorch's sign.
    x > 0 ? 1 : (x < 0 ? -1 : 0)
  }
}
enum NegOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { -x }
  static var hasArrayForm: Bool { true }
  static func floatArray(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    VectorMath.negate(source, destination, count)
  }
}

extension Tensor {
  /// Applies a unary float op; `self` must be floating point.
  @inline(__always)
  func mapFloat<Op: UnaryElementOp>(_: Op.Type) -> Tensor {
    switch dtype {
    case .float32 where Op.hasArrayForm && isContiguous: mapArray(Op.self)
    case .float32: mapElements(Float.self, to: Float.self) { Op.apply($0) }
    case .float64: mapElements(Double.self, to: Double.self) { Op.apply($0) }
    case .int64, .bool: converted(to: .float32).mapFloat(Op.self)
    }
  }

  /// Applies a binary op to operands already converted to one type and broadcast shape.
  @inline(__always)
  static func zipOp<Op: BinaryElementOp>(_: Op.Type, _ a: Tensor, _ b: Tensor, shape: [Int])
    -> Tensor
  {
    switch a.dtype {
    case .float32:
      if let op = Op.arithmetic, let out = arithmeticArrays(op, a, b, shape: shape) { return out }
      return zipElements(a, b, shape: shape, Float.self, to: Float.self) { Op.apply($0, $1) }
    case .float64:
      return zipElements(a, b, shape: shape, Double.self, to: Double.self) { Op.apply($0, $1) }
    case .int64:
      return zipElements(a, b, shape: shape, Int.self, to: Int.self, Op.integer!)
    case .bool:
      // Only operations with a logical form keep bool operands (``BinaryElementOp/boolean``).
      return zipElements(a, b, shape: shape, Bool.self, to: Bool.self, Op.boolean!)
    }
  }
}
