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
}

extension BinaryElementOp {
  static var integer: ((Int, Int) -> Int)? { nil }
}

enum AddOp: BinaryElementOp {
  static let name = "add"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a + b }
  static var integer: ((Int, Int) -> Int)? { { $0 &+ $1 } }
}

enum SubOp: BinaryElementOp {
  static let name = "sub"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a - b }
  static var integer: ((Int, Int) -> Int)? { { $0 &- $1 } }
}

enum MulOp: BinaryElementOp {
  static let name = "mul"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a * b }
  static var integer: ((Int, Int) -> Int)? { { $0 &* $1 } }
}

enum DivOp: BinaryElementOp {
  static let name = "div"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T { a / b }
}

enum PowOp: BinaryElementOp {
  static let name = "pow"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    // Integral exponents of negative bases are defined (e.g. (-2)^2 = 4), as in PyTorch.
    if a < 0, b == b.rounded() {
      let magnitude = T.pow(-a, b)
      return Int(b) % 2 == 0 ? magnitude : -magnitude
    }
    return T.pow(a, b)
  }
}

enum MaximumOp: BinaryElementOp {
  static let name = "maximum"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    a.isNaN || b.isNaN ? .nan : (a > b ? a : b)
  }
  static var integer: ((Int, Int) -> Int)? { { max($0, $1) } }
}

enum MinimumOp: BinaryElementOp {
  static let name = "minimum"
  @inline(__always) static func apply<T: FloatElement>(_ a: T, _ b: T) -> T {
    a.isNaN || b.isNaN ? .nan : (a < b ? a : b)
  }
  static var integer: ((Int, Int) -> Int)? { { min($0, $1) } }
}

/// A unary elementwise function on floating-point elements.
protocol UnaryElementOp {
  static func apply<T: FloatElement>(_ x: T) -> T
}

enum ExpOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.exp(x) }
}
enum LogOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.log(x) }
}
enum Log1pOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { T.log(onePlus: x) }
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
}
enum SignOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T {
    x > 0 ? 1 : (x < 0 ? -1 : (x.isNaN ? .nan : 0))
  }
}
enum NegOp: UnaryElementOp {
  @inline(__always) static func apply<T: FloatElement>(_ x: T) -> T { -x }
}

extension Tensor {
  /// Applies a unary float op; `self` must be floating point.
  @inline(__always)
  func mapFloat<Op: UnaryElementOp>(_: Op.Type) -> Tensor {
    switch dtype {
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
    case .float32: zipElements(a, b, shape: shape, Float.self, to: Float.self) { Op.apply($0, $1) }
    case .float64:
      zipElements(a, b, shape: shape, Double.self, to: Double.self) { Op.apply($0, $1) }
    case .int64:
      zipElements(a, b, shape: shape, Int.self, to: Int.self, Op.integer!)
    case .bool:
      fatalError("internal: bool operands reach arithmetic kernels only after promotion")
    }
  }
}
