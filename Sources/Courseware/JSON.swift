import Foundation

/// A JSON value with object keys kept in the order they were written, so reports print
/// the same text on every run.
public indirect enum JSON: Sendable, Equatable {
  /// A number (non-finite numbers are written as `null`).
  case number(Double)
  /// A string.
  case string(String)
  /// A boolean.
  case bool(Bool)
  /// `null`.
  case null
  /// An array.
  case array([JSON])
  /// An object with ordered keys.
  case object([(String, JSON)])

  /// Compact JSON text.
  public var text: String {
    switch self {
    case .number(let n):
      guard n.isFinite else { return "null" }
      if n == n.rounded(), Swift.abs(n) < 1e15 { return String(Int(n)) }
      return "\(n)"
    case .string(let s): return JSON.quote(s)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
    case .object(let pairs):
      return "{" + pairs.map { JSON.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
    }
  }

  /// A JSON array of numbers.
  public static func numbers(_ values: [Double]) -> JSON { .array(values.map(JSON.number)) }

  /// The value at `key` when this is an object.
  public subscript(key: String) -> JSON? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  /// The number, when this is one.
  public var number: Double? { if case .number(let n) = self { n } else { nil } }

  /// The elements, when this is an array.
  public var array: [JSON]? { if case .array(let a) = self { a } else { nil } }

  /// Equal when the JSON texts are equal.
  public static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.text == rhs.text }

  private static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
