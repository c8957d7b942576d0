import Autograd
import GradeModel
import GradeProtocol

/// The trusted side's verdict on one observed case.
public struct Judgement: Sendable {
  /// The verdict.
  public var verdict: Verdict
  /// What was measured, in words.
  public var measured: String?
  /// What was expected, in words.
  public var expected: String?
  /// A hint naming the likely mistake.
  public var hint: String?

  /// A pass, with what was compared.
  public static func pass(measured: String? = nil, expected: String? = nil) -> Judgement {
    Judgement(verdict: .passed, measured: measured, expected: expected)
  }

  /// A failure with its reason.
  public static func fail(
    _ reason: String, measured: String? = nil, expected: String? = nil, hint: String? = nil
  ) -> Judgement {
    Judgement(verdict: .failed(reason: reason), measured: measured, expected: expected, hint: hint)
  }
}

/// A failed expectation, thrown by the checks below and turned into a judgement.
struct CheckFailure: Error {
  var judgement: Judgement
}

/// Checks shared by the problems' judges. Each throws a ``CheckFailure`` that says what was
/// wrong in words a student can act on.
enum Check {
  /// The tensor observed under `key`, or an invalid-observation failure.
  static func tensor(_ observation: Observation, _ key: String) throws -> (
    shape: [Int], data: [Double]
  ) {
    switch observation.values[key] {
    case .tensor(let shape, _, let data)?:
      guard data.count == shape.reduce(1, *) else {
        throw CheckFailure(
          judgement: Judgement(verdict: .invalidObservation(reason: "'\(key)' is malformed")))
      }
      return (shape, data)
    case .bool(false)?:
      throw CheckFailure(judgement: .fail("'\(key)' is missing: no gradient was computed (nil)"))
    case nil, .some:
      throw CheckFailure(
        judgement: Judgement(
          verdict: .invalidObservation(reason: "no tensor '\(key)' was returned")))
    }
  }

  /// The numbers observed under `key`.
  static func numbers(_ observation: Observation, _ key: String) throws -> [Double] {
    switch observation.values[key] {
    case .numbers(let values)?: return values
    case .number(let value)?: return [value]
    default:
      throw CheckFailure(
        judgement: Judgement(
          verdict: .invalidObservation(reason: "no numbers '\(key)' were returned")))
    }
  }

  /// Fails when any element is NaN or infinite.
  static func finite(_ data: [Double], _ what: String) throws {
    if let i = data.firstIndex(where: { !$0.isFinite }) {
      throw CheckFailure(
        judgement: .fail(
          "\(what) is not finite: element \(i) is \(data[i])", measured: "\(data[i])"))
    }
  }

  /// `|a − b| / max(1, |a|, |b|)`, the largest over elements.
  static func error(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { x, y in
      x == y ? 0 : Swift.abs(x - y) / Swift.max(1, Swift.abs(x), Swift.abs(y))
    }.max() ?? 0
  }

  /// Fails unless the observed tensor has `expected`'s shape and values within `tolerance`.
  static func matches(
    _ observation: Observation, _ key: String, _ expected: Tensor, tolerance: Double,
    what: String, hint: String? = nil
  ) throws {
    let (shape, data) = try tensor(observation, key)
    guard shape == expected.shape else {
      throw CheckFailure(
        judgement: .fail(
          "\(what) has shape \(shape) where \(expected.shape) was expected",
          measured: "shape \(shape)", expected: "shape \(expected.shape)", hint: hint))
    }
    try finite(data, what)
    let reference = expected.toArray()
    let worst = error(data, reference)
    guard worst <= tolerance else {
      let i = zip(data, reference).enumerated().max {
        error([$0.element.0], [$0.element.1]) < error([$1.element.0], [$1.element.1])
      }!.offset
      throw CheckFailure(
        judgement: .fail(
          "\(what) differs from the reference (largest difference \(short(worst)), allowed "
            + "\(short(tolerance)))",
          measured: "element \(i) = \(short(data[i]))", expected: "\(short(reference[i]))",
          hint: hint))
    }
  }

  /// A number with 6 significant digits.
  static func short(_ x: Double) -> String {
    x.isFinite ? String(format: "%.6g", x) : "\(x)"
  }
}

/// Judges one case of one problem: recomputes the expectation with the reference solution
/// on the same inputs and compares.
protocol ProblemJudge: Sendable {
  /// Judges `observation` for `request` against the rubric's case.
  func judge(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) throws
    -> Judgement
}

extension ProblemJudge {
  /// Runs `judge`, turning thrown check failures into judgements.
  func verdict(_ observation: Observation, request: CaseRequest, rubric: CaseRubric) -> Judgement {
    do {
      return try judge(observation, request: request, rubric: rubric)
    } catch let failure as CheckFailure {
      return failure.judgement
    } catch {
      return Judgement(verdict: .invalidObservation(reason: "\(error)"))
    }
  }
}

/// Tolerances of the judges, named.
enum Tolerances {
  /// A student's Float64 computation against the reference's: different but valid formulas
  /// (another stable form, another summation order) differ by a few hundred ulps at most.
  static let float64 = 1e-8
  /// A float32 computation against the Float64 reference: float32 keeps about 7 digits.
  static let float32 = 1e-5
  /// Two Float64 updates that must be the same arithmetic (accumulation vs one batch).
  static let sameUpdate = 1e-10
}
