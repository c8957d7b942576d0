/// A JSON value read from a student's report, with object keys in the order they were
/// written (Foundation's `JSONSerialization` forgets it, and the report's order is the one
/// its author chose to show).
public indirect enum FigureJSON: Equatable, Sendable {
  /// A number.
  case number(Double)
  /// A string.
  case string(String)
  /// `true` or `false`.
  case bool(Bool)
  /// `null` (the reports write non-finite numbers as `null`).
  case null
  /// An array.
  case array([FigureJSON])
  /// An object, keys in order (a repeated key keeps every occurrence).
  case object([Member])

  /// One key and its value.
  public struct Member: Equatable, Sendable {
    /// The key.
    public var key: String
    /// The value.
    public var value: FigureJSON

    /// Creates a member.
    public init(_ key: String, _ value: FigureJSON) {
      self.key = key
      self.value = value
    }
  }

  /// The deepest nesting read. The text comes from student code: a recursive parser must not
  /// be driven into a stack overflow by `[[[[…`.
  static let maxDepth = 32
  /// The longest text read, in bytes (a report's figures are a few tens of KB).
  static let maxBytes = 1 << 20

  /// Parses `text` as one JSON value, or `nil` when it is not valid JSON, nests deeper than
  /// `maxDepth` or is longer than `maxBytes`.
  public static func parse(_ text: String) -> FigureJSON? {
    guard text.utf8.count <= maxBytes else { return nil }
    var reader = Reader(bytes: Array(text.utf8))
    guard let value = reader.value(depth: 0) else { return nil }
    reader.skipSpace()
    return reader.index == reader.bytes.count ? value : nil
  }

  /// A recursive-descent reader over UTF-8 bytes.
  private struct Reader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) -> FigureJSON? {
      guard depth <= FigureJSON.maxDepth else { return nil }
      skipSpace()
      guard index < bytes.count else { return nil }
      switch bytes[index] {
      case UInt8(ascii: "{"): return object(depth: depth)
      case UInt8(ascii: "["): return array(depth: depth)
      case UInt8(ascii: "\""): return string().map(FigureJSON.string)
      case UInt8(ascii: "t"): return literal("true", .bool(true))
      case UInt8(ascii: "f"): return literal("false", .bool(false))
      case UInt8(ascii: "n"): return literal("null", .null)
      default: return number()
      }
    }

    mutating func literal(_ word: String, _ value: FigureJSON) -> FigureJSON? {
      let word = Array(word.utf8)
      guard bytes.count - index >= word.count, Array(bytes[index..<index + word.count]) == word
      else { return nil }
      index += word.count
      return value
    }

    mutating func object(depth: Int) -> FigureJSON? {
      index += 1
      var members: [Member] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else {
          return nil
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        guard let value = value(depth: depth + 1) else { return nil }
        members.append(Member(key, value))
        skipSpace()
        guard index < bytes.count else { return nil }
        index += 1
        switch bytes[index - 1] {
        case UInt8(ascii: ","): continue
        case UInt8(ascii: "}"): return .object(members)
        default: return nil
        }
      }
    }

    mutating func array(depth: Int) -> FigureJSON? {
      index += 1
      var items: [FigureJSON] = []
      skipSpace()
      if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(items)
      }
      while true {
        guard let item = value(depth: depth + 1) else { return nil }
        items.append(item)
        skipSpace()
        guard index < bytes.count else { return nil }
        index += 1
        switch bytes[index - 1] {
        case UInt8(ascii: ","): continue
        case UInt8(ascii: "]"): return .array(items)
        default: return nil
        }
      }
    }

    /// A string starting at the opening quote; escapes decoded, lone surrogates replaced
    /// by U+FFFD.
    mutating func string() -> String? {
      index += 1
      var scalars = String.UnicodeScalarView()
      var run: [UInt8] = []
      func flush() {
        scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        run.removeAll()
      }
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""):
          flush()
          return String(scalars)
        case UInt8(ascii: "\\"):
          flush()
          guard index < bytes.count else { return nil }
          let escape = bytes[index]
          index += 1
          switch escape {
          case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            scalars.append(Unicode.Scalar(escape))
          case UInt8(ascii: "b"): scalars.append("\u{8}")
          case UInt8(ascii: "f"): scalars.append("\u{C}")
          case UInt8(ascii: "n"): scalars.append("\n")
          case UInt8(ascii: "r"): scalars.append("\r")
          case UInt8(ascii: "t"): scalars.append("\t")
          case UInt8(ascii: "u"):
            guard let scalar = unicodeEscape() else { return nil }
            scalars.append(scalar)
          default: return nil
          }
        case 0..<0x20: return nil
        default: run.append(byte)
        }
      }
      return nil
    }

    /// The scalar of `\uXXXX` (the `\u` already read), joining a surrogate pair.
    mutating func unicodeEscape() -> Unicode.Scalar? {
      guard let high = hex4() else { return nil }
      if (0xD800..<0xDC00).contains(high), bytes.count - index >= 6,
        bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
      {
        let save = index
        index += 2
        if let low = hex4(), (0xDC00..<0xE000).contains(low) {
          return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        index = save
      }
      return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    mutating func hex4() -> UInt32? {
      guard bytes.count - index >= 4 else { return nil }
      let digits = String(decoding: bytes[index..<index + 4], as: UTF8.self)
      guard digits.allSatisfy(\.isHexDigit), let value = UInt32(digits, radix: 16) else {
        return nil
      }
      index += 4
      return value
    }

    /// A number in JSON's grammar (no leading `+`, no leading zeros, no `NaN`).
    mutating func number() -> FigureJSON? {
      let start = index
      func digits() -> Int {
        let from = index
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        return index - from
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
      let integerStart = index
      let integerDigits = digits()
      guard integerDigits > 0,
        integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0")
      else { return nil }
      if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        guard digits() > 0 else { return nil }
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
      {
        index += 1
        if index < bytes.count,
          bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
        {
          index += 1
        }
        guard digits() > 0 else { return nil }
      }
      return Double(String(decoding: bytes[start..<index], as: UTF8.self)).map(FigureJSON.number)
    }
  }
}
