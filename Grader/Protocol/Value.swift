import Autograd

/// A raw value crossing between the grader and a student's program: inputs the grader made,
/// or outputs of the student's functions. Never a verdict.
public enum Value: Sendable, Equatable {
  /// A tensor: its shape, element type and elements (as Double; int64 and bool convert exactly).
  case tensor(shape: [Int], dtype: String, data: [Double])
  /// A number.
  case number(Double)
  /// A list of numbers.
  case numbers([Double])
  /// A truth value.
  case bool(Bool)
  /// Text.
  case text(String)
  /// Nothing: an optional the student's code left `nil` (e.g. a gradient never computed).
  case missing

  /// A tensor's value.
  public static func of(_ t: Tensor) -> Value {
    .tensor(shape: t.shape, dtype: t.dtype.rawValue, data: t.toArray())
  }

  /// A tensor's value, or ``missing`` for `nil`.
  public static func of(_ t: Tensor?) -> Value { t.map { Value.of($0) } ?? .missing }

  /// The value as a tensor of its own element type, when it is one.
  public var tensor: Tensor? {
    guard case .tensor(let shape, let dtype, let data) = self,
      data.count == shape.reduce(1, *)
    else { return nil }
    let type = DType(rawValue: dtype) ?? .float64
    return Tensor(data, shape: shape).to(type)
  }
}

/// Named values: a case's inputs or its outputs.
public typealias Values = [String: Value]

/// A compact binary form of ``Values`` (tensors as raw little-endian doubles), so that large
/// inputs cross the channel without JSON's cost.
public enum ValueCoding {
  /// Encodes values, keys in sorted order, so equal values give equal bytes.
  public static func encode(_ values: Values) -> [UInt8] {
    var out = ByteWriter()
    out.int(values.count)
    for key in values.keys.sorted() {
      out.string(key)
      switch values[key]! {
      case .tensor(let shape, let dtype, let data):
        out.byte(1)
        out.string(dtype)
        out.int(shape.count)
        for s in shape { out.int(s) }
        out.int(data.count)
        out.doubles(data)
      case .number(let x):
        out.byte(2)
        out.double(x)
      case .numbers(let xs):
        out.byte(3)
        out.int(xs.count)
        out.doubles(xs)
      case .bool(let b):
        out.byte(4)
        out.byte(b ? 1 : 0)
      case .text(let s):
        out.byte(5)
        out.string(s)
      case .missing:
        out.byte(6)
      }
    }
    return out.bytes
  }

  /// Decodes values; `nil` when the bytes are malformed.
  public static func decode(_ bytes: [UInt8]) -> Values? {
    var input = ByteReader(bytes)
    guard let count = input.int(), count < 1 << 20 else { return nil }
    var values: Values = [:]
    for _ in 0..<count {
      guard let key = input.string(), let tag = input.byte() else { return nil }
      switch tag {
      case 1:
        guard let dtype = input.string(), let rank = input.int(), rank < 16 else { return nil }
        var shape: [Int] = []
        for _ in 0..<rank {
          guard let s = input.int() else { return nil }
          shape.append(s)
        }
        guard let n = input.int(), n == shape.reduce(1, *), n <= input.remaining / 8 else {
          return nil
        }
        values[key] = .tensor(shape: shape, dtype: dtype, data: input.doubles(n)!)
      case 2:
        guard let x = input.double() else { return nil }
        values[key] = .number(x)
      case 3:
        guard let n = input.int(), n <= input.remaining / 8 else { return nil }
        values[key] = .numbers(input.doubles(n)!)
      case 4:
        guard let b = input.byte() else { return nil }
        values[key] = .bool(b != 0)
      case 5:
        guard let s = input.string() else { return nil }
        values[key] = .text(s)
      case 6:
        values[key] = .missing
      default:
        return nil
      }
    }
    return input.remaining == 0 ? values : nil
  }

  /// FNV-1a over the bytes: the digest an observation carries of the inputs it answers.
  public static func digest(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }
}

/// Appends little-endian fields.
struct ByteWriter {
  var bytes: [UInt8] = []

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  mutating func uint64(_ v: UInt64) {
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }

  mutating func int(_ v: Int) { uint64(UInt64(bitPattern: Int64(v))) }

  mutating func double(_ x: Double) { uint64(x.bitPattern) }

  /// The doubles one after the other, as `double` writes each: one copy on a little-endian
  /// machine (a million inputs were a tenth of a second byte by byte).
  mutating func doubles(_ xs: [Double]) {
    #if _endian(little)
      xs.withUnsafeBytes { bytes += $0 }
    #else
      for x in xs { double(x) }
    #endif
  }

  mutating func string(_ s: String) {
    let utf8 = Array(s.utf8)
    int(utf8.count)
    bytes += utf8
  }
}

/// Reads little-endian fields; every read returns `nil` past the end.
struct ByteReader {
  let bytes: [UInt8]
  var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var remaining: Int { bytes.count - offset }

  mutating func byte() -> UInt8? {
    guard offset < bytes.count else { return nil }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func uint64() -> UInt64? {
    guard remaining >= 8 else { return nil }
    var v: UInt64 = 0
    for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
    offset += 8
    return v
  }

  mutating func int() -> Int? {
    guard let v = uint64() else { return nil }
    let i = Int64(bitPattern: v)
    return i >= 0 ? Int(i) : nil
  }

  mutating func double() -> Double? { uint64().map(Double.init(bitPattern:)) }

  /// `n` doubles as `double` reads each, or nil when fewer remain.
  mutating func doubles(_ n: Int) -> [Double]? {
    guard n >= 0, n <= remaining / 8 else { return nil }
    #if _endian(little)
      let start = offset
      offset += 8 * n
      return [Double](unsafeUninitializedCapacity: n) { buffer, count in
        bytes.withUnsafeBytes { raw in
          UnsafeMutableRawBufferPointer(buffer).copyMemory(
            from: UnsafeRawBufferPointer(rebasing: raw[start..<(start + 8 * n)]))
        }
        count = n
      }
    #else
      return (0..<n).map { _ in double()! }
    #endif
  }

  mutating func string() -> String? {
    guard let n = int(), n <= remaining else { return nil }
    defer { offset += n }
    return String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
  }
}
