internal import RealModule

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The element type of a tensor, chosen at run time as in PyTorch.
///
/// Floating-point tensors (`float32`, `float64`) are differentiable. `int64` holds labels
/// and indices, `bool` holds masks.
public enum DType: String, Sendable, Hashable, CustomStringConvertible {
  /// 32-bit IEEE float, the default for factories such as `Tensor.randn`.
  case float32
  /// 64-bit IEEE float, used for gradient checks.
  case float64
  /// 64-bit signed integer, for labels and indices.
  case int64
  /// Boolean, for masks and comparison results.
  case bool

  /// Size of one element in bytes.
  public var byteSize: Int {
    switch self {
    case .float32: 4
    case .float64: 8
    case .int64: 8
    case .bool: 1
    }
  }

  /// Whether tensors of this type can require gradients.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

  /// The name PyTorch users know, e.g. `float32`.
  public var description: String { rawValue }

  /// The type both operands are promoted to, following PyTorch's rules for tensors of the
  /// same category: bool < int64 < float32 < float64.
  static func promote(_ a: DType, _ b: DType) -> DType {
    a.rank >= b.rank ? a : b
  }

  /// The result type of a binary operation, with PyTorch's rule for 0-d operands: a 0-d
  /// tensor decides the type only when it is of a higher kind (bool < integer < float) than
  /// the operand with dimensions, so `float32 [n] + float64 0-d` stays float32.
  static func result(_ a: DType, rank ra: Int, _ b: DType, rank rb: Int) -> DType {
    if (ra == 0) != (rb == 0) {
      let (dimensioned, scalar) = ra == 0 ? (b, a) : (a, b)
      return scalar.kind > dimensioned.kind ? scalar : dimensioned
    }
    return promote(a, b)
  }

  /// bool 0, integer 1, floating point 2.
  private var kind: Int {
    switch self {
    case .bool: 0
    case .int64: 1
    case .float32, .float64: 2
    }
  }

  private var rank: Int {
    switch self {
    case .bool: 0
    case .int64: 1
    case .float32: 2
    case .float64: 3
    }
  }
}

/// A Swift type that can be stored in a tensor: `Float`, `Double`, `Int` or `Bool`.
public protocol TensorElement: Sendable {
  /// The tensor element type this Swift type maps to.
  static var dtype: DType { get }
  /// Converts the element to `Double` (`Bool` becomes 0 or 1).
  var doubleValue: Double { get }
  /// Creates an element from a `Double` (truncating for `Int`; nonzero is `true` for `Bool`).
  init(fromDouble value: Double)
}

extension Float: TensorElement {
  /// `.float32`.
  public static var dtype: DType { .float32 }
  /// The value widened to `Double`.
  public var doubleValue: Double { Double(self) }
  /// Rounds a `Double` to the nearest `Float`.
  public init(fromDouble value: Double) { self = Float(value) }
}

extension Double: TensorElement {
  /// `.float64`.
  public static var dtype: DType { .float64 }
  /// The value itself.
  public var doubleValue: Double { self }
  /// The value itself.
  public init(fromDouble value: Double) { self = value }
}

extension Int: TensorElement {
  /// `.int64`.
  public static var dtype: DType { .int64 }
  /// The value as `Double`.
  public var doubleValue: Double { Double(self) }
  /// Truncates toward zero, as a cast to `int64` does in PyTorch.
  public init(fromDouble value: Double) {
    self = value.isFinite ? Int(value.rounded(.towardZero)) : 0
  }
}

extension Bool: TensorElement {
  /// `.bool`.
  public static var dtype: DType { .bool }
  /// 1 for `true`, 0 for `false`.
  public var doubleValue: Double { self ? 1 : 0 }
  /// `true` for any nonzero value.
  public init(fromDouble value: Double) { self = value != 0 }
}

/// The floating-point element types, `Float` and `Double`, over which the differentiable
/// kernels are written once and specialized twice.
protocol FloatElement: TensorElement, Real, BinaryFloatingPoint {
  /// C's `pow`, whose edge cases PyTorch shares (0^0 = 1, (−inf)^2.5 = inf, (−0)^(−0.5) =
  /// inf, 1^NaN = 1), unlike RealModule's, which is NaN for every negative base.
  static func cPow(_ x: Self, _ y: Self) -> Self
}
extension Float: FloatElement {
  @inline(__always) static func cPow(_ x: Float, _ y: Float) -> Float { cPowFloat(x, y) }
}
extension Double: FloatElement {
  @inline(__always) static func cPow(_ x: Double, _ y: Double) -> Double { cPowDouble(x, y) }
}

// At file scope, so that `pow` is C's and not the static `Double.pow` of RealModule, which
// name lookup inside the extensions would find first.
@inline(__always) private func cPowFloat(_ x: Float, _ y: Float) -> Float { powf(x, y) }
@inline(__always) private func cPowDouble(_ x: Double, _ y: Double) -> Double { pow(x, y) }
