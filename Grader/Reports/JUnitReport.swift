import GradeModel

/// The result as JUnit XML, for CI dashboards: a `<testsuite>` per problem and a
/// `<testcase>` per case, with `<failure>` for wrong or unusable results, `<error>` for
/// crashes, time-outs and compile errors, and `<skipped>` for unimplemented or missing work.
///
/// All text is XML-escaped and stripped of characters XML 1.0 does not allow. Hidden and
/// after-due-date cases name only their verdict, never the reason or values behind it.
public enum JUnitReport {
  /// The JUnit XML document for `result`; the same result always gives the same text.
  public static func render(_ result: GradeResult) -> String {
    let all = result.problems.map(Counts.init)
    let total = all.reduce(Counts()) { $0 + $1 }
    var lines = [
      #"<?xml version="1.0" encoding="UTF-8"?>"#,
      "<testsuites name=\(attribute(result.submission)) \(total.attributes)"
        + " time=\(attribute(seconds(result.seconds)))>",
    ]
    for (problem, counts) in zip(result.problems, all) {
      lines.append(contentsOf: suite(problem, counts: counts))
    }
    lines.append("</testsuites>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// How a verdict is reported.
  private enum Outcome {
    case passed, failure, error, skipped

    init(_ verdict: Verdict) {
      switch verdict {
      case .passed: self = .passed
      case .failed, .invalidObservation: self = .failure
      case .crashed, .timedOut, .memoryLimit, .compileError: self = .error
      case .notImplemented, .missing: self = .skipped
      }
    }
  }

  /// The counts of a suite's attributes.
  private struct Counts {
    var tests = 0
    var failures = 0
    var errors = 0
    var skipped = 0

    init() {}

    init(_ problem: ProblemResult) {
      tests = problem.cases.count
      for item in problem.cases {
        switch Outcome(item.verdict) {
        case .passed: break
        case .failure: failures += 1
        case .error: errors += 1
        case .skipped: skipped += 1
        }
      }
    }

    static func + (lhs: Counts, rhs: Counts) -> Counts {
      var sum = lhs
      sum.tests += rhs.tests
      sum.failures += rhs.failures
      sum.errors += rhs.errors
      sum.skipped += rhs.skipped
      return sum
    }

    var attributes: String {
      "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
    }
  }

  /// The lines of one problem's `<testsuite>`.
  private static func suite(_ problem: ProblemResult, counts: Counts) -> [String] {
    var lines = [
      "  <testsuite name=\(attribute("Problem \(problem.number): \(problem.title)")) "
        + "\(counts.attributes)>"
    ]
    for item in problem.cases {
      lines.append(contentsOf: testCase(item, problem: problem.number))
    }
    let log = [problem.diagnostics, problem.output].filter { !$0.isEmpty }
    if !log.isEmpty {
      lines.append(
        "    <system-err>\(ReportText.xmlEscaped(log.joined(separator: "\n")))</system-err>")
    }
    lines.append("  </testsuite>")
    return lines
  }

  /// The lines of one `<testcase>`.
  private static func testCase(_ item: CaseResult, problem: Int) -> [String] {
    let open =
      "    <testcase classname=\"Problem\(problem)\" name=\(attribute(item.name))"
    let outcome = Outcome(item.verdict)
    guard outcome != .passed else { return [open + "/>"] }
    let element =
      switch outcome {
      case .passed, .failure: "failure"
      case .error: "error"
      case .skipped: "skipped"
      }
    var details: [String] = []
    if let values = ReportText.measuredExpected(item) { details.append(values) }
    if let hint = ReportText.hint(item) { details.append(hint) }
    let message = "message=\(attribute(ReportText.shownExplanation(item)))"
    let type = "type=\(attribute(item.verdict.label))"
    let body =
      details.isEmpty
      ? "      <\(element) \(message) \(type)/>"
      : "      <\(element) \(message) \(type)>"
        + ReportText.xmlEscaped(details.joined(separator: "\n")) + "</\(element)>"
    return [open + ">", body, "    </testcase>"]
  }

  /// Seconds as a decimal number (0 where not finite), as the `time` attribute needs.
  private static func seconds(_ value: Double) -> String {
    ReportText.number(ReportText.finite(value, decimals: 3), decimals: 3)
  }

  /// `text` as a quoted, escaped attribute value.
  private static func attribute(_ text: String) -> String {
    "\"" + ReportText.xmlEscaped(text, attribute: true) + "\""
  }
}
