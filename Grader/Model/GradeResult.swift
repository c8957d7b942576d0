/// The outcome of grading one submission: what every renderer (Markdown, HTML, Gradescope
/// JSON, JUnit) is a pure function of.
public struct GradeResult: Codable, Sendable, Equatable {
  /// Version of this schema, decoded first by tools that read `grade-result.json`.
  public var schemaVersion = 1
  /// The submission's name (its folder or archive name).
  public var submission: String
  /// The problems graded, in order.
  public var problems: [ProblemResult]
  /// Which isolation the student's code ran under.
  public var isolation: Isolation
  /// Whether only visible cases were run (`--public`).
  public var publicOnly: Bool
  /// Wall-clock seconds the grading took.
  public var seconds: Double

  /// Creates a result.
  public init(
    submission: String, problems: [ProblemResult], isolation: Isolation, publicOnly: Bool,
    seconds: Double
  ) {
    self.submission = submission
    self.problems = problems
    self.isolation = isolation
    self.publicOnly = publicOnly
    self.seconds = seconds
  }

  /// Points earned over all problems.
  public var points: Double { problems.reduce(0) { $0 + $1.points } }
  /// Points available over all problems.
  public var maxPoints: Double { problems.reduce(0) { $0 + $1.maxPoints } }
  /// Points earned as a percentage of those available (0 when none are available).
  public var percent: Double { maxPoints > 0 ? 100 * points / maxPoints : 0 }
}

/// How the student's code was confined while it ran.
public struct Isolation: Codable, Sendable, Equatable {
  /// Whether a bubblewrap sandbox was in force (read-only root, private /tmp, no network,
  /// no capabilities, unprivileged uid).
  public var sandboxed: Bool
  /// A sentence for the report, e.g. why there was no sandbox.
  public var description: String
  /// The limits applied to each run.
  public var limits: Limits
  /// Bounds on each run as a whole (all its processes and the in-memory files they write,
  /// together), when the grader could set them; `nil` when only the per-process limits of
  /// `limits` applied, so that five processes could each use `limits.memoryMiB`.
  public var wholeRun: WholeRunLimits?
  /// The writable in-memory file systems inside the sandbox, with their sizes (empty
  /// without a sandbox).
  public var memoryFileSystems: [MemoryFileSystem]?

  /// Creates an isolation record.
  public init(
    sandboxed: Bool, description: String, limits: Limits, wholeRun: WholeRunLimits? = nil,
    memoryFileSystems: [MemoryFileSystem]? = nil
  ) {
    self.sandboxed = sandboxed
    self.description = description
    self.limits = limits
    self.wholeRun = wholeRun
    self.memoryFileSystems = memoryFileSystems
  }
}

/// Bounds that hold for a run as a whole, set through a control group.
public struct WholeRunLimits: Codable, Sendable, Equatable {
  /// How they were set, e.g. `cgroup v2`.
  public var mechanism: String
  /// Memory of all the run's processes together, in-memory files included, in MiB.
  public var memoryMiB: Int
  /// Processes and threads of the run together.
  public var processes: Int

  /// Creates whole-run limits.
  public init(mechanism: String, memoryMiB: Int, processes: Int) {
    self.mechanism = mechanism
    self.memoryMiB = memoryMiB
    self.processes = processes
  }
}

/// A writable in-memory file system inside the sandbox.
public struct MemoryFileSystem: Codable, Sendable, Equatable {
  /// Where it is mounted, e.g. `/tmp`.
  public var path: String
  /// Its size in MiB.
  public var sizeMiB: Int

  /// Creates a record of one.
  public init(path: String, sizeMiB: Int) {
    self.path = path
    self.sizeMiB = sizeMiB
  }
}

/// Resource limits of one run of a student's program.
public struct Limits: Codable, Sendable, Equatable {
  /// Wall-clock seconds before the run is killed.
  public var wallSeconds: Double
  /// CPU seconds (RLIMIT_CPU).
  public var cpuSeconds: Int
  /// Address space in MiB (RLIMIT_AS).
  public var memoryMiB: Int
  /// Processes of the run's user (RLIMIT_NPROC).
  public var processes: Int
  /// Largest file the run may write, in MiB (RLIMIT_FSIZE).
  public var fileSizeMiB: Int
  /// Bytes of standard output and error kept; the run is stopped beyond 8× this.
  public var outputBytes: Int
  /// Wall-clock seconds all the runs of one problem may take together; cases not reached
  /// by then time out without running (a program that hangs in every case costs this, not
  /// one wall limit per case).
  public var problemSeconds: Double

  /// Creates limits.
  public init(
    wallSeconds: Double, cpuSeconds: Int, memoryMiB: Int, processes: Int, fileSizeMiB: Int,
    outputBytes: Int, problemSeconds: Double = 90
  ) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.memoryMiB = memoryMiB
    self.processes = processes
    self.fileSizeMiB = fileSizeMiB
    self.outputBytes = outputBytes
    self.problemSeconds = problemSeconds
  }
}

/// The outcome of one problem.
public struct ProblemResult: Codable, Sendable, Equatable {
  /// The problem number, 1 to 5.
  public var number: Int
  /// The problem's title.
  public var title: String
  /// Whether the problem was graded or why not.
  public var status: ProblemStatus
  /// Compiler diagnostics, with paths relative to the submission (empty when it built).
  public var diagnostics: String
  /// The cases, in rubric order.
  public var cases: [CaseResult]
  /// What the student's program wrote to standard error while it ran the visible cases,
  /// truncated (for the report). Output of hidden cases is never kept: it could reveal
  /// their data.
  public var output: String
  /// The student's own report for this problem (`course run N --json`), when it was asked
  /// for with `--figures` and ran.
  public var figures: String?
  /// The student's report's SVG plots, by file name, when asked for with `--figures`.
  public var plots: [String: String]
  /// Where the problem's time went, when it was graded.
  public var timing: ProblemTiming?

  /// Creates a problem result.
  public init(
    number: Int, title: String, status: ProblemStatus, diagnostics: String = "",
    cases: [CaseResult], output: String = "", figures: String? = nil,
    plots: [String: String] = [:]
  ) {
    self.number = number
    self.title = title
    self.status = status
    self.diagnostics = diagnostics
    self.cases = cases
    self.output = output
    self.figures = figures
    self.plots = plots
  }

  /// Points earned.
  public var points: Double { cases.reduce(0) { $0 + $1.points } }
  /// Points available.
  public var maxPoints: Double { cases.reduce(0) { $0 + $1.maxPoints } }
}

/// Where one problem's grading time went, in seconds.
public struct ProblemTiming: Codable, Sendable, Equatable {
  /// Building the problem's judge (cached after the first grading) and the student's program.
  public var build: Double
  /// Running the student's program on the cases, in the sandbox.
  public var run: Double
  /// Making the inputs and judging the outputs (the reference runs here).
  public var judge: Double

  /// Creates a timing.
  public init(build: Double, run: Double, judge: Double) {
    self.build = build
    self.run = run
    self.judge = judge
  }
}

/// Whether a problem could be graded.
public enum ProblemStatus: String, Codable, Sendable, Equatable {
  /// It built and its cases ran.
  case graded
  /// The submission has no folder (or no Swift file) for it.
  case missing
  /// It did not compile; every case scores 0.
  case compileError
}

/// Who may see a case, as Gradescope spells it.
public enum Visibility: String, Codable, Sendable, Equatable, CaseIterable {
  /// Shown to the student at once.
  case visible
  /// Never shown to the student.
  case hidden
  /// Shown once the due date has passed.
  case afterDueDate = "after_due_date"
}

/// The outcome of one case.
public struct CaseResult: Codable, Sendable, Equatable {
  /// Stable identifier, e.g. `p3.sigmoid-extremes`.
  public var id: String
  /// A short human name.
  public var name: String
  /// Who may see it.
  public var visibility: Visibility
  /// Points earned.
  public var points: Double
  /// Points available.
  public var maxPoints: Double
  /// What happened.
  public var verdict: Verdict
  /// What was measured, in words (shown where the case is visible).
  public var measured: String?
  /// What was expected, in words (shown where the case is visible).
  public var expected: String?
  /// A hint toward the mistake, when one applies.
  public var hint: String?
  /// The known mistake the outputs matched, when one did.
  public var diagnosis: MistakeDiagnosis?
  /// The grader's time of the call, seconds (a diagnostic).
  public var seconds: Double?

  /// Creates a case result.
  public init(
    id: String, name: String, visibility: Visibility, points: Double, maxPoints: Double,
    verdict: Verdict, measured: String? = nil, expected: String? = nil, hint: String? = nil,
    diagnosis: MistakeDiagnosis? = nil, seconds: Double? = nil
  ) {
    self.diagnosis = diagnosis
    self.seconds = seconds
    self.id = id
    self.name = name
    self.visibility = visibility
    self.points = points
    self.maxPoints = maxPoints
    self.verdict = verdict
    self.measured = measured
    self.expected = expected
    self.hint = hint
  }
}

/// A known mistake recognised from a case's numbers: typed, so reports and batch summaries
/// can count it.
public struct MistakeDiagnosis: Codable, Sendable, Equatable {
  /// The mistake's id, e.g. `p1.biased-std`.
  public var id: String
  /// What is wrong and how to fix it.
  public var message: String
  /// The numbers that show it.
  public var evidence: String

  /// Creates a diagnosis.
  public init(id: String, message: String, evidence: String) {
    self.id = id
    self.message = message
    self.evidence = evidence
  }
}

/// What happened to a case.
public enum Verdict: Codable, Sendable, Equatable {
  /// The observations met the expectation.
  case passed
  /// They did not; the reason says how.
  case failed(reason: String)
  /// The student's code reached `todo(...)` for this task.
  case notImplemented(task: String)
  /// The student's program stopped with a signal; the message is the trap's, if any.
  case crashed(signal: String, message: String)
  /// A limit stopped the run.
  case timedOut(limit: String, seconds: Double)
  /// The kernel killed the run for reaching its memory limit of `bytes`, as the counters of
  /// the run's control group showed after it ended (never from anything the program wrote).
  case memoryLimit(bytes: Int)
  /// The program returned no usable observation (missing, malformed, wrong shape, non-finite).
  case invalidObservation(reason: String)
  /// The problem did not compile.
  case compileError
  /// The problem is missing from the submission.
  case missing

  /// `passed`, `failed`, `not implemented`, …: one word or two for tables.
  public var label: String {
    switch self {
    case .passed: "passed"
    case .failed: "failed"
    case .notImplemented: "not implemented"
    case .crashed: "crashed"
    case .timedOut: "timed out"
    case .memoryLimit: "out of memory"
    case .invalidObservation: "invalid output"
    case .compileError: "compile error"
    case .missing: "missing"
    }
  }

  /// A sentence explaining the verdict.
  public var explanation: String {
    switch self {
    case .passed: "Passed."
    case .failed(let reason): reason
    case .notImplemented(let task): "Not implemented: \(task)."
    case .crashed(let signal, let message):
      message.isEmpty ? "Crashed (\(signal))." : "Crashed (\(signal)): \(message)"
    case .timedOut(let limit, let seconds):
      "Stopped by the \(limit) limit after \(Self.format(seconds)) s."
    case .memoryLimit(let bytes):
      "Stopped: the program used more than the memory limit of \(Self.format(bytes: bytes))."
    case .invalidObservation(let reason): "No usable result: \(reason)"
    case .compileError: "The problem did not compile; see the diagnostics."
    case .missing: "The problem is missing from the submission."
    }
  }

  /// A byte count in MiB when it is a whole number of them (as limits are), else in bytes.
  private static func format(bytes: Int) -> String {
    bytes > 0 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }

  private static func format(_ seconds: Double) -> String {
    guard seconds.isFinite, Swift.abs(seconds) < 1e12 else { return "\(seconds)" }
    let tenths = (seconds * 10).rounded() / 10
    return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
  }
}

/// One entry of a batch folder, as stored in `<out>/students/<student>/grade-result.json`.
public struct BatchEntry: Codable, Sendable, Equatable {
  /// The entry's id in the batch: its name made safe as a folder name, and distinct from
  /// every other entry's (`alice` and `alice.zip` get `alice` and `alice-2`).
  public var student: String
  /// The entry's name as it is in the batch folder (absent in entries stored before it
  /// was recorded).
  public var entry: String?
  /// Whether it failed through a fault of the grader (not of the submission), so that a
  /// later run grades it again.
  public var graderFault: Bool?
  /// A hash of the submission's files and the grading settings: an unchanged submission
  /// with the same settings is not graded again.
  public var contentHash: String
  /// The result, or `nil` when the submission could not be graded at all.
  public var result: GradeResult?
  /// Why it could not be graded (bad archive, no problem folder), when it could not.
  public var error: String?

  /// Creates an entry.
  public init(
    student: String, contentHash: String, result: GradeResult?, error: String? = nil,
    entry: String? = nil, graderFault: Bool? = nil
  ) {
    self.student = student
    self.contentHash = contentHash
    self.result = result
    self.error = error
    self.entry = entry
    self.graderFault = graderFault
  }

  /// Points earned (0 when not graded).
  public var points: Double { result?.points ?? 0 }
}
