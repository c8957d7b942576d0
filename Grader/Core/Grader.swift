import Foundation
import GradeModel
import GradeProtocol

/// What to grade and how.
public struct GradeOptions: Sendable {
  /// The submission folder or `.zip`.
  public var submission: String
  /// The problems to grade (all five when nil).
  public var problems: Set<Int>?
  /// Run only the visible cases (what students run themselves).
  public var publicOnly = false
  /// Seed of the hidden cases (the rubric's when nil).
  public var seed: UInt64?
  /// Also run each problem's own report (`course run N`) in the sandbox and keep its figures
  /// and plots for the feedback. Off by default: the reports train every model again.
  public var figures = false

  /// Creates options for a submission.
  public init(
    submission: String, problems: Set<Int>? = nil, publicOnly: Bool = false, seed: UInt64? = nil,
    figures: Bool = false
  ) {
    self.submission = submission
    self.problems = problems
    self.publicOnly = publicOnly
    self.seed = seed
    self.figures = figures
  }
}

/// The grading pipeline: open the submission, build each problem on its own, run it in the
/// sandbox on the rubric's cases, judge each observation against the reference solution.
public struct Grader: Sendable {
  /// The package holding the grader (Sources/, Grader/, Solutions/).
  public let packageRoot: URL
  /// The rubric.
  public let rubric: Rubric

  /// The seed of visible cases: fixed, so students see the same inputs every run.
  public static let visibleSeed: UInt64 = 1

  /// Creates a grader for the package at `packageRoot` with its `Grader/rubric.yaml`.
  public init(packageRoot: URL, rubric: Rubric? = nil) throws {
    self.packageRoot = packageRoot
    self.rubric =
      try rubric ?? Rubric.load(packageRoot.appendingPathComponent("Grader/rubric.yaml"))
  }

  /// The package root found from this source file's location (the grader runs from it).
  public static var defaultPackageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  private static let judges: [Int: any ProblemJudge] = [
    1: Judge1(), 2: Judge2(), 3: Judge3(), 4: Judge4(), 5: Judge5(),
  ]

  /// Grades a submission. Throws only for grader faults and bad input; every problem of the
  /// submission, whatever it does, ends as a verdict.
  public func grade(_ options: GradeOptions) throws -> GradeResult {
    let start = Date()
    let work = FileManager.default.temporaryDirectory
      .appendingPathComponent("gradwork-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let submission = try Submission.open(
      options.submission, scratch: work.appendingPathComponent("input"))
    let builder = Builder(packageRoot: packageRoot)
    let runtime = try builder.buildRuntime()
    let programs = work.appendingPathComponent("programs")
    try FileManager.default.createDirectory(
      at: programs.appendingPathComponent("runtime"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: runtime.appendingPathComponent("libGradeRuntime.so"),
      to: programs.appendingPathComponent("runtime/libGradeRuntime.so"))
    // The program runs as another user: it must be able to read its folder, nothing more.
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: programs.path)
    let sandbox = Sandbox.detect(limits: rubric.limits.model)
    let runner = Runner(sandbox: sandbox)
    let selected = rubric.problems.filter { options.problems?.contains($0.number) ?? true }
    let results = ResultsBox(count: selected.count)
    DispatchQueue.concurrentPerform(iterations: selected.count) { i in
      let problem = selected[i]
      results.set(
        i,
        gradeProblem(
          problem, files: submission.problemFiles[problem.number], options: options,
          builder: builder, runtime: runtime, folder: programs, runner: runner))
    }
    return GradeResult(
      submission: submission.name, problems: results.values, isolation: sandbox.isolation,
      publicOnly: options.publicOnly, seconds: Date().timeIntervalSince(start))
  }

  private func gradeProblem(
    _ problem: ProblemRubric, files: [URL]?, options: GradeOptions, builder: Builder,
    runtime: URL, folder: URL, runner: Runner
  ) -> ProblemResult {
    let cases = problem.cases.filter { !options.publicOnly || $0.visibility == .visible }
    func all(_ verdict: Verdict, status: ProblemStatus, diagnostics: String = "") -> ProblemResult {
      ProblemResult(
        number: problem.number, title: problem.title, status: status, diagnostics: diagnostics,
        cases: cases.map {
          CaseResult(
            id: $0.id, name: $0.name, visibility: $0.visibility, points: 0, maxPoints: $0.points,
            verdict: verdict)
        })
    }
    guard let files, !files.isEmpty else { return all(.missing, status: .missing) }
    let compiled: Builder.Compiled
    do {
      compiled = try builder.compile(
        problem: problem.number, files: files, runtime: runtime, folder: folder)
    } catch {
      return all(.compileError, status: .compileError, diagnostics: "\(error)")
    }
    guard let executable = compiled.executable else {
      return all(.compileError, status: .compileError, diagnostics: compiled.diagnostics)
    }
    let hiddenSeed = options.seed ?? rubric.seed
    let sources = files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
    let requests = cases.filter { !$0.isSourceCheck }.map {
      CaseRequest(id: $0.id, seed: $0.visibility == .visible ? Grader.visibleSeed : hiddenSeed)
    }
    // Visible and hidden cases run in separate processes, and only the visible run's output
    // is kept: a program could print a hidden case's inputs.
    var outcomes: [String: Runner.Outcome] = [:]
    var output = ""
    let groups = [
      requests.filter { $0.seed == Grader.visibleSeed && isVisible($0.id, cases) },
      requests.filter { !($0.seed == Grader.visibleSeed && isVisible($0.id, cases)) },
    ]
    let deadline = Date().addingTimeInterval(rubric.limits.problemSeconds)
    do {
      for (index, group) in groups.enumerated() where !group.isEmpty {
        let (found, text) = try runner.run(
          executable: executable, requests: group, folder: folder, deadline: deadline)
        outcomes.merge(found) { a, _ in a }
        if index == 0 { output = text }
      }
    } catch {
      return all(.crashed(signal: "not started", message: "\(error)"), status: .graded)
    }
    let judge = Grader.judges[problem.number]!
    let results = cases.map { rubricCase -> CaseResult in
      var judgement: Judgement
      let request = CaseRequest(
        id: rubricCase.id,
        seed: rubricCase.visibility == .visible ? Grader.visibleSeed : hiddenSeed)
      switch rubricCase.isSourceCheck ? nil : outcomes[request.id] {
      case _ where rubricCase.isSourceCheck:
        judgement = SourceChecks.judge(rubricCase.id, sources: sources)
      case .observed(let observation)?:
        judgement = judge.verdict(observation, request: request, rubric: rubricCase)
      case .died(let verdict)?:
        judgement = Judgement(verdict: verdict)
      case nil:
        judgement = Judgement(
          verdict: .invalidObservation(reason: "the program returned nothing for this case"))
      }
      return CaseResult(
        id: rubricCase.id, name: rubricCase.name, visibility: rubricCase.visibility,
        points: judgement.verdict == .passed ? rubricCase.points : 0, maxPoints: rubricCase.points,
        verdict: judgement.verdict, measured: judgement.measured, expected: judgement.expected,
        hint: judgement.hint)
    }
    var figures: String?
    var plots: [String: String] = [:]
    if options.figures,
      let (found, _) = try? runner.run(
        executable: executable, requests: [CaseRequest(id: "report", seed: Grader.visibleSeed)],
        folder: folder),
      case .observed(let observation)? = found["report"]
    {
      for (key, value) in observation.values {
        guard case .text(let text) = value else { continue }
        if key == "json" {
          figures = text
        } else if key.hasPrefix("svg:"),
          key.dropFirst(4).wholeMatch(of: /[A-Za-z0-9_-]{1,60}\.svg/) != nil
        {
          plots[String(key.dropFirst(4))] = text
        }
      }
    }
    return ProblemResult(
      number: problem.number, title: problem.title, status: .graded, cases: results, output: output,
      figures: figures, plots: plots)
  }
}

private func isVisible(_ id: String, _ cases: [CaseRubric]) -> Bool {
  cases.first { $0.id == id }?.visibility == .visible
}

/// Per-problem results written from concurrent workers.
private final class ResultsBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [ProblemResult?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: ProblemResult) {
    lock.lock()
    slots[i] = value
    lock.unlock()
  }

  var values: [ProblemResult] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
