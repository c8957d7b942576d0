import GradeModel

/// Grade results shared by the tests.
enum Fixtures {
  /// Strings that only hidden or after-due-date cases carry (measured, expected, hints and
  /// the reasons of their verdicts); none may appear in any report.
  static let secrets = [
    "SECRET-EXPECTED-42", "SECRET-MEASURED-17", "SECRET-HINT-99", "SECRET-REASON-7",
    "SECRET-CRASH-5", "SECRET-TASK-8", "SECRET-INVALID-3", "SECRET-LIMIT-6",
    "SECRET-EXPECTED-PASSED", "SECRET-MEASURED-PASSED",
  ]

  /// Typical limits.
  static let limits = Limits(
    wallSeconds: 10, cpuSeconds: 10, memoryMiB: 2048, processes: 64, fileSizeMiB: 16,
    outputBytes: 65_536)

  /// A sandboxed run.
  static let isolation = Isolation(
    sandboxed: true,
    description: "Sandboxed with bubblewrap: read-only root, private /tmp, no network",
    limits: limits)

  /// A batch of four: graded, refused, a grader fault, and a student name that is markup.
  static let batch = [
    BatchEntry(student: "alice", contentHash: "1", result: sample),
    BatchEntry(student: "bob", contentHash: "2", result: nil, error: "no Problem folder found"),
    BatchEntry(
      student: "carol", contentHash: "3", result: nil, error: "runtime build failed",
      graderFault: true),
    BatchEntry(student: "<b>eve&co", contentHash: "4", result: sample),
  ]

  /// A graded problem with every kind of verdict, a compile error and a missing problem.
  static let sample = GradeResult(
    submission: "alice_hw3 [v2]",
    problems: [graded, compileError, missing],
    isolation: isolation, publicOnly: false, seconds: 12.345)

  /// Problem 1: graded, with cases of every verdict and visibility.
  static let graded = ProblemResult(
    number: 1, title: "Linear regression | fit", status: .graded,
    cases: [
      CaseResult(
        id: "p1.forward", name: "forward values", visibility: .visible, points: 2,
        maxPoints: 2, verdict: .passed, measured: "loss 0.25", expected: "loss 0.25 ± 1e-6"),
      CaseResult(
        id: "p1.gradient", name: "gradient of `w`", visibility: .visible, points: 0,
        maxPoints: 3,
        verdict: .failed(reason: "The gradient of w differs from finite differences by 0.5."),
        measured: "dL/dw = 1.5", expected: "dL/dw = 1.0 (tolerance 1e-4)",
        hint: "Check the sign of the residual *before* averaging."),
      CaseResult(
        id: "p1.held-out", name: "held-out data", visibility: .hidden, points: 0,
        maxPoints: 3, verdict: .failed(reason: "Loss off: SECRET-REASON-7"),
        measured: "SECRET-MEASURED-17", expected: "SECRET-EXPECTED-42",
        hint: "SECRET-HINT-99"),
      CaseResult(
        id: "p1.train", name: "training loop", visibility: .visible, points: 0, maxPoints: 2,
        verdict: .notImplemented(task: "LinearRegression.train(epochs:)")),
      CaseResult(
        id: "p1.train-hidden", name: "training loop (large)", visibility: .hidden, points: 0,
        maxPoints: 1, verdict: .notImplemented(task: "SECRET-TASK-8")),
      CaseResult(
        id: "p1.large-batch", name: "large batch", visibility: .afterDueDate, points: 0,
        maxPoints: 2,
        verdict: .crashed(signal: "SIGILL", message: "Fatal error: SECRET-CRASH-5"),
        measured: "SECRET-MEASURED-17", expected: "SECRET-EXPECTED-42"),
      CaseResult(
        id: "p1.many-epochs", name: "many epochs", visibility: .hidden, points: 0,
        maxPoints: 2, verdict: .timedOut(limit: "SECRET-LIMIT-6", seconds: 10.04),
        hint: "SECRET-HINT-99"),
      CaseResult(
        id: "p1.crash", name: "empty batch", visibility: .visible, points: 0, maxPoints: 1,
        verdict: .crashed(signal: "SIGILL", message: "Fatal error: Index out of range")),
      CaseResult(
        id: "p1.slow", name: "convergence", visibility: .visible, points: 0, maxPoints: 1,
        verdict: .timedOut(limit: "wall-clock", seconds: 10.04)),
      CaseResult(
        id: "p1.shape", name: "prediction shape", visibility: .visible, points: 0,
        maxPoints: 1,
        verdict: .invalidObservation(reason: "expected shape [4, 1], got [1, 4]")),
      CaseResult(
        id: "p1.shape-hidden", name: "prediction shape (hidden)", visibility: .hidden,
        points: 0, maxPoints: 1, verdict: .invalidObservation(reason: "SECRET-INVALID-3")),
      CaseResult(
        id: "p1.tiny", name: "tiny batch", visibility: .afterDueDate, points: 1.5,
        maxPoints: 1.5, verdict: .passed, measured: "SECRET-MEASURED-PASSED",
        expected: "SECRET-EXPECTED-PASSED"),
    ],
    output: "epoch 1: loss 0.70\nepoch 2: loss 0.50\n")

  /// Problem 2: did not compile; its diagnostics quote a run of five backticks.
  static let compileError = ProblemResult(
    number: 2, title: "Logistic regression", status: .compileError,
    diagnostics: """
      Problem2/Model.swift:12:5: error: cannot find 'sigmoid' in scope
          let p = sigmoid(x) // `````
              ^~~~~~~
      """,
    cases: [
      CaseResult(
        id: "p2.forward", name: "forward values", visibility: .visible, points: 0,
        maxPoints: 4, verdict: .compileError),
      CaseResult(
        id: "p2.hidden", name: "held-out data", visibility: .hidden, points: 0, maxPoints: 6,
        verdict: .compileError),
    ])

  /// Problem 3: missing from the submission.
  static let missing = ProblemResult(
    number: 3, title: "Softmax", status: .missing,
    cases: [
      CaseResult(
        id: "p3.forward", name: "forward values", visibility: .visible, points: 0,
        maxPoints: 5, verdict: .missing),
      CaseResult(
        id: "p3.extremes", name: "extremes", visibility: .afterDueDate, points: 0,
        maxPoints: 5, verdict: .missing),
    ])

  /// The attacks a student might try in any string they control.
  static let attacks = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
  ]

  /// A result whose every student-controlled string carries `attacks`.
  static var hostile: GradeResult {
    let attack = attacks.joined(separator: " ")
    let attackLines = attacks.joined(separator: "\n")
    let cases = [
      CaseResult(
        id: "h.1", name: attack, visibility: .visible, points: 0, maxPoints: 1,
        verdict: .failed(reason: attack), measured: attack, expected: attack, hint: attack),
      CaseResult(
        id: "h.2", name: attack, visibility: .visible, points: 0, maxPoints: 1,
        verdict: .crashed(signal: "SIGTRAP", message: attack)),
      CaseResult(
        id: "h.3", name: attack, visibility: .visible, points: 0, maxPoints: 1,
        verdict: .invalidObservation(reason: attackLines)),
      CaseResult(
        id: "h.4", name: attack, visibility: .hidden, points: 0, maxPoints: 1,
        verdict: .failed(reason: attack)),
    ]
    return GradeResult(
      submission: attack,
      problems: [
        ProblemResult(
          number: 1, title: attack, status: .graded, cases: cases, output: attackLines),
        ProblemResult(
          number: 2, title: attack, status: .compileError, diagnostics: attackLines,
          cases: [
            CaseResult(
              id: "h.5", name: attack, visibility: .visible, points: 0, maxPoints: 1,
              verdict: .compileError)
          ]),
      ],
      isolation: Isolation(sandboxed: false, description: attack, limits: limits),
      publicOnly: true, seconds: 1)
  }
}
