import Autograd
import Foundation

/// The PyTorch reference fixtures: inputs, outputs and gradients computed by PyTorch (float64
/// unless a case's inputs are float32) and stored as `.npy` files with a `manifest.json`.
///
/// They live in the repository, in `Tests/Fixtures/pytorch` (made by `generate.py` there);
/// `GRADWORK_FIXTURES` overrides the folder.
public struct FixtureCase: Sendable, CustomStringConvertible {
  /// The case's name, e.g. `add_bcast_col_row`.
  public let name: String
  /// Input files by argument name.
  public let inputs: [String: String]
  /// The operation and its arguments.
  public let attrs: [String: JSONValue]
  /// The output file.
  public let output: String?
  /// The upstream gradient file (`grads[k]` is d/d inputs[k] of sum(output * upstream)).
  public let upstream: String?
  /// Gradient files by input name.
  public let grads: [String: String]
  /// The folder holding the files.
  public let folder: URL

  /// The operation name (`attrs["op"]`), or `nil` for problem cases.
  public var op: String? { attrs["op"]?.string }

  /// The case name, so parametrised tests show it.
  public var description: String { name }

  /// Loads one of this case's files.
  public func tensor(_ file: String) throws -> Tensor {
    try Tensor.load(npy: folder.appendingPathComponent(file))
  }

  /// Loads the input called `name`.
  public func input(_ name: String) throws -> Tensor {
    guard let file = inputs[name] else { throw FixtureError.missing("\(self.name): input \(name)") }
    return try tensor(file)
  }
}

/// A JSON value from the manifest's `attrs`.
public enum JSONValue: Sendable, Equatable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case array([JSONValue])
  case object([String: JSONValue])
  case null

  init(_ any: Any) {
    switch any {
    case let b as Bool where type(of: any) == type(of: NSNumber(value: true)): self = .bool(b)
    case let n as NSNumber: self = .number(n.doubleValue)
    case let s as String: self = .string(s)
    case let a as [Any]: self = .array(a.map(JSONValue.init))
    case let o as [String: Any]: self = .object(o.mapValues(JSONValue.init))
    default: self = .null
    }
  }

  /// The number, if this is one; the strings `nan`, `inf` and `-inf` stand for the values
  /// JSON cannot hold.
  public var number: Double? {
    switch self {
    case .number(let n): n
    case .string("nan"): .nan
    case .string("inf"): .infinity
    case .string("-inf"): -.infinity
    default: nil
    }
  }
  /// The number as an integer, if this is one.
  public var int: Int? { number.map { Int($0) } }
  /// The string, if this is one.
  public var string: String? { if case .string(let s) = self { s } else { nil } }
  /// The boolean, if this is one.
  public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
  /// The elements as integers, if this is an array of numbers.
  public var ints: [Int]? {
    if case .array(let a) = self { a.compactMap(\.int) } else { nil }
  }
}

/// A fixture that cannot be found or read.
public enum FixtureError: Error, CustomStringConvertible {
  case missing(String)

  /// What is missing.
  public var description: String {
    switch self {
    case .missing(let what): "PyTorch fixture not found: \(what)"
    }
  }
}

/// Access to the fixture manifest.
public enum Fixtures {
  /// The fixture folder.
  public static var folder: URL {
    if let override = ProcessInfo.processInfo.environment["GRADWORK_FIXTURES"] {
      return URL(fileURLWithPath: override)
    }
    // Tests/AutogradTestSupport/Fixtures.swift → Tests/Fixtures/pytorch
    return URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/pytorch")
  }

  /// Every case in the manifest. Throws when the manifest is missing, so tests fail rather
  /// than pass with nothing checked.
  public static func all() throws -> [FixtureCase] {
    let url = folder.appendingPathComponent("manifest.json")
    guard let data = try? Data(contentsOf: url) else {
      throw FixtureError.missing(url.path)
    }
    let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    let cases = root["cases"] as? [[String: Any]] ?? []
    return cases.map { c in
      FixtureCase(
        name: c["name"] as? String ?? "?",
        inputs: c["inputs"] as? [String: String] ?? [:],
        attrs: (c["attrs"] as? [String: Any] ?? [:]).mapValues(JSONValue.init),
        output: c["output"] as? String,
        upstream: c["upstream"] as? String,
        grads: c["grads"] as? [String: String] ?? [:],
        folder: folder)
    }
  }

  /// The cases whose `attrs` name an operation (not a problem function).
  public static func operationCases() -> [FixtureCase] {
    ((try? all()) ?? []).filter { $0.op != nil }
  }

  /// The case called `name`.
  public static func named(_ name: String) throws -> FixtureCase {
    guard let found = try all().first(where: { $0.name == name }) else {
      throw FixtureError.missing(name)
    }
    return found
  }
}
