import GradeModel

// Verdicts and problem states as a symbol plus words, so that a pass, a failure, a task not
// implemented and a compile error look different with or without colour; the HTML page adds
// colour through a class per kind.

extension ReportText {
  /// The kinds the reports tell apart, each with its symbol and HTML class.
  enum Mark: String {
    case passed, failed, notImplemented, compileError, missing

    /// The symbol shown before the words.
    var symbol: String {
      switch self {
      case .passed: "✔"
      case .failed: "✘"
      case .notImplemented: "○"
      case .compileError: "⚠"
      case .missing: "—"
      }
    }

    /// The HTML class that colours it.
    var cssClass: String {
      switch self {
      case .passed: "mark-pass"
      case .failed: "mark-fail"
      case .notImplemented: "mark-todo"
      case .compileError: "mark-compile"
      case .missing: "mark-missing"
      }
    }
  }

  /// The kind of a case's verdict: crashes, time-outs, the memory limit and unusable output
  /// count as failures.
  static func mark(_ verdict: Verdict) -> Mark {
    switch verdict {
    case .passed: .passed
    case .notImplemented: .notImplemented
    case .compileError: .compileError
    case .missing: .missing
    case .failed, .crashed, .timedOut, .memoryLimit, .invalidObservation: .failed
    }
  }

  /// A verdict as symbol and label, e.g. `✘ timed out`.
  static func markedLabel(_ verdict: Verdict) -> String {
    "\(mark(verdict).symbol) \(verdict.label)"
  }

  /// A problem's state in the summary: every case passed, some to fix, none started, or it
  /// did not compile or is missing.
  static func problemMark(_ problem: ProblemResult) -> (Mark, String) {
    switch problem.status {
    case .compileError: return (.compileError, "compile error")
    case .missing: return (.missing, "missing")
    case .graded:
      let marks = problem.cases.map { mark($0.verdict) }
      if marks.allSatisfy({ $0 == .passed }) { return (.passed, "all passed") }
      if marks.allSatisfy({ $0 == .notImplemented }) { return (.notImplemented, "not started") }
      let failed = marks.count { $0 == .failed }
      let todo = marks.count { $0 == .notImplemented }
      if failed == 0 { return (.notImplemented, "\(todo) not implemented") }
      return (.failed, "\(failed) to fix")
    }
  }

  /// The number of a problem's cases of each kind.
  static func count(_ problem: ProblemResult, _ kind: Mark) -> Int {
    problem.cases.count { mark($0.verdict) == kind }
  }
}
