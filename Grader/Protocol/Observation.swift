import Autograd
import Foundation

// The private channel between the grader and a student's program. The grader sends case
// requests (ids and seeds); the program answers with observations (tensors and numbers)
// and never with verdicts: it holds no expected values and no thresholds.

/// One case the program must run.
public struct CaseRequest: Codable, Sendable, Equatable {
  /// The case id from the rubric, e.g. `p3.sigmoid-extremes`.
  public var id: String
  /// The seed of the case's data.
  public var seed: UInt64

  /// Creates a request.
  public init(id: String, seed: UInt64) {
    self.id = id
    self.seed = seed
  }
}

/// A value observed in the student's program.
public enum Value: Codable, Sendable, Equatable {
  /// A tensor's shape and elements (as Double), with its element type.
  case tensor(shape: [Int], dtype: String, data: [Double])
  /// A number.
  case number(Double)
  /// A list of numbers (a history).
  case numbers([Double])
  /// A truth value.
  case bool(Bool)
  /// Text (the student's own report, for the feedback).
  case text(String)

  /// A tensor's value (its elements converted to Double).
  public static func of(_ t: Tensor) -> Value {
    .tensor(shape: t.shape, dtype: t.dtype.rawValue, data: t.toArray())
  }
}

/// What the program observed for one case: named values.
public struct Observation: Codable, Sendable, Equatable {
  /// The case id.
  public var id: String
  /// The values by name.
  public var values: [String: Value]

  /// Creates an observation.
  public init(id: String, values: [String: Value]) {
    self.id = id
    self.values = values
  }
}

/// One line of the channel.
public enum ChannelMessage: Codable, Sendable, Equatable {
  /// The program starts a case (so a death during it is attributed to it).
  case begin(id: String)
  /// The program finished a case.
  case observed(Observation)
}

/// Encoders and decoders shared by both sides, writing NaN and infinities as strings.
public enum ChannelCoding {
  /// The encoder for channel lines.
  public static func encoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }

  /// The decoder for channel lines.
  public static func decoder() -> JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }
}
