import Foundation

/// The grader's verdict on one case, computed in the grader from raw outputs.
public struct Judgement: Codable, Sendable, Equatable {
  /// The outcome.
  public enum Outcome: String, Codable, Sendable {
    /// Every check held.
    case passed
    /// A check failed; `reason` says which.
    case failed
    /// The outputs were unusable (missing or malformed).
    case invalid
  }

  /// The outcome.
  public var outcome: Outcome
  /// Why it failed, in words a student can act on.
  public var reason: String?
  /// What was measured.
  public var measured: String?
  /// What was expected.
  public var expected: String?
  /// A hint for the student.
  public var hint: String?
  /// The known mistake the outputs match, when one does.
  public var diagnosis: Diagnosis?

  /// A pass, with what was compared.
  public static func pass(measured: String? = nil, expected: String? = nil) -> Judgement {
    Judgement(outcome: .passed, measured: measured, expected: expected)
  }

  /// A failure with its reason.
  public static func fail(
    _ reason: String, measured: String? = nil, expected: String? = nil, hint: String? = nil
  ) -> Judgement {
    Judgement(outcome: .failed, reason: reason, measured: measured, expected: expected, hint: hint)
  }

  /// Unusable outputs.
  public static func invalid(_ reason: String) -> Judgement {
    Judgement(outcome: .invalid, reason: reason)
  }
}

/// A known mistake recognised in a student's outputs: typed, so reports and the batch
/// summary can count it.
public struct Diagnosis: Codable, Sendable, Equatable {
  /// The mistake's id, e.g. `p1.biased-std`.
  public var mistake: String
  /// What the mistake is and how to fix it.
  public var message: String
  /// The numbers that show it.
  public var evidence: String

  /// Creates a diagnosis.
  public init(mistake: String, message: String, evidence: String) {
    self.mistake = mistake
    self.message = message
    self.evidence = evidence
  }
}

/// A failed check, thrown by ``JudgeContext``'s checks and turned into a judgement.
public struct CheckFailure: Error {
  /// The judgement.
  public var judgement: Judgement

  /// Wraps a judgement.
  public init(_ judgement: Judgement) { self.judgement = judgement }
}

/// Tolerances of the judges, named.
public enum Tolerances {
  /// A student's Float64 computation against the reference's: different but valid formulas
  /// (another stable form, another summation order) differ by a few hundred ulps at most.
  public static let float64 = 1e-8
  /// A float32 computation against the Float64 reference: float32 keeps about 7 digits.
  public static let float32 = 1e-5
  /// Two Float64 updates that must be the same arithmetic up to reassociation.
  public static let sameUpdate = 1e-10
  /// Central differences in Float64 with h = 1e-6 against an exact gradient: truncation
  /// O(h²) and rounding O(ε/h) ≈ 1e-10 relative for smooth functions of O(1) values.
  public static let finiteDifference = 1e-6
}

/// What a case's judge sees: the inputs, the student's raw outputs, the reference's outputs
/// on the same inputs, and what the grader measured.
public struct JudgeContext {
  /// The case id.
  public let id: String
  /// The inputs both sides received.
  public let inputs: CaseInputs
  /// Every input the grader made, with those it kept to itself (named `_…`: true
  /// parameters, held-out data).
  public let hidden: CaseInputs
  /// The student's outputs.
  public let student: Values
  /// The reference's outputs, computed on first use: a judge that decides without them (a
  /// student inside an absolute bound) never runs the reference.
  public var reference: Values { referenceOutputs.values }
  private let referenceOutputs: ReferenceOutputs
  /// The grader's measure of the student's call, in seconds (timed cases).
  public let seconds: Double?
  /// The reference's time on the same inputs, measured by the grader.
  public let referenceSeconds: Double?
  /// The rubric's threshold for the case, if any.
  public let threshold: Double?

  /// Creates a context whose reference outputs `reference` computes, once, when a judge
  /// first reads them.
  public init(
    id: String, inputs: CaseInputs, hidden: CaseInputs? = nil, student: Values,
    reference: @escaping () -> Values, seconds: Double? = nil, referenceSeconds: Double? = nil,
    threshold: Double? = nil
  ) {
    self.id = id
    self.inputs = inputs
    self.hidden = hidden ?? inputs
    self.student = student
    self.referenceOutputs = ReferenceOutputs(reference)
    self.seconds = seconds
    self.referenceSeconds = referenceSeconds
    self.threshold = threshold
  }

  /// The student's tensor under `key` as shape and elements.
  public func tensor(_ key: String) throws -> (shape: [Int], data: [Double]) {
    try Self.tensor(student, key, side: "your code")
  }

  /// The reference's tensor under `key`.
  public func expected(_ key: String) throws -> (shape: [Int], data: [Double]) {
    try Self.tensor(reference, key, side: "the reference")
  }

  static func tensor(_ values: Values, _ key: String, side: String) throws -> (
    shape: [Int], data: [Double]
  ) {
    switch values[key] {
    case .tensor(let shape, _, let data)?:
      guard data.count == shape.reduce(1, *) else {
        throw CheckFailure(.invalid("'\(key)' from \(side) is malformed"))
      }
      return (shape, data)
    case .number(let x)?:
      return ([], [x])
    case .numbers(let xs)?:
      return ([xs.count], xs)
    case .missing?:
      throw CheckFailure(.fail("\(key) is nil: no value (or no gradient) was produced"))
    default:
      throw CheckFailure(.invalid("\(side) returned no '\(key)'"))
    }
  }

  /// The student's number under `key`.
  public func number(_ key: String) throws -> Double {
    let (_, data) = try tensor(key)
    guard data.count == 1 else {
      throw CheckFailure(.fail("\(key) has \(data.count) elements where one number was expected"))
    }
    return data[0]
  }

  /// The reference's number under `key`.
  public func expectedNumber(_ key: String) throws -> Double {
    try expected(key).data.first ?? .nan
  }

  /// Fails when any element is NaN or infinite.
  public func finite(_ data: [Double], _ what: String, hint: String? = nil) throws {
    if let i = data.firstIndex(where: { !$0.isFinite }) {
      throw CheckFailure(
        .fail(
          "\(what) is not finite: element \(i) is \(data[i])", measured: "\(data[i])",
          expected: "finite values", hint: hint))
    }
  }

  /// Fails unless the student's gradients under `keys` are all zero (or absent) after a
  /// parameter update, which `event` names ("step", "update").
  public func zeroGradients(_ keys: [String], after event: String = "step") throws {
    for key in keys {
      if case .tensor(_, _, let g)? = student[key], g.contains(where: { $0 != 0 }) {
        throw CheckFailure(
          .fail(
            "the gradients are not zero after the \(event)",
            hint: "Gradients add up over backward calls: zero them after each update "
              + "(p.zeroGrad())."))
      }
    }
  }

  /// Fails unless the student's `key` has the reference's shape and values within
  /// `tolerance` (relative, with a floor of 1 on the scale).
  public func matches(_ key: String, tolerance: Double, what: String, hint: String? = nil) throws {
    let (shape, data) = try tensor(key)
    let (expectedShape, reference) = try expected(key)
    try Self.compare(
      shape: shape, data: data, expectedShape: expectedShape, reference: reference,
      tolerance: tolerance, what: what, hint: hint)
  }

  /// Fails unless `data` (of `shape`) equals `reference` within `tolerance`.
  public static func compare(
    shape: [Int], data: [Double], expectedShape: [Int], reference: [Double], tolerance: Double,
    what: String, hint: String? = nil
  ) throws {
    guard shape == expectedShape else {
      throw CheckFailure(
        .fail(
          "\(what) has shape \(shape) where \(expectedShape) was expected",
          measured: "shape \(shape)", expected: "shape \(expectedShape)", hint: hint))
    }
    if let i = data.firstIndex(where: { !$0.isFinite }), reference[i].isFinite {
      throw CheckFailure(
        .fail(
          "\(what) is not finite: element \(i) is \(data[i])", measured: "\(data[i])",
          expected: short(reference[i]), hint: hint))
    }
    let errors = zip(data, reference).map { relativeError($0, $1) }
    let worst = errors.max() ?? 0
    guard worst <= tolerance else {
      let i = errors.firstIndex(of: worst) ?? 0
      throw CheckFailure(
        .fail(
          "\(what) differs from the expected value (largest relative difference "
            + "\(short(worst)), allowed \(short(tolerance)))",
          measured: "element \(i) = \(short(data[i]))", expected: short(reference[i]), hint: hint))
    }
  }

  /// `|a − b| / max(1, |a|, |b|)`; 0 when both are the same (NaN included), ∞ when one is NaN.
  public static func relativeError(_ a: Double, _ b: Double) -> Double {
    if a == b || (a.isNaN && b.isNaN) { return 0 }
    if a.isNaN || b.isNaN { return .infinity }
    if a.isInfinite || b.isInfinite { return .infinity }
    return Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
  }

  /// The largest relative error between two lists.
  public static func error(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { relativeError($0, $1) }.max() ?? 0
  }
}

/// A number with 6 significant digits.
public func short(_ x: Double) -> String {
  x.isFinite ? String(format: "%.6g", x) : "\(x)"
}

/// A reference's outputs, computed at most once. The reference's training runs are most of a
/// judge's time, and a case whose bound holds on its own never needs them.
private final class ReferenceOutputs {
  private let compute: () -> Values
  private var computed: Values?

  init(_ compute: @escaping () -> Values) { self.compute = compute }

  var values: Values {
    if let computed { return computed }
    let values = compute()
    computed = values
    return values
  }
}
