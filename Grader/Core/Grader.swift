import Foundation
import GradeModel
import GradeProtocol

#if canImport(Glibc)
  import Glibc
#endif

/// What to grade and how.
public struct GradeOptions: Sendable {
  /// The submission folder or `.zip`.
  public var submission: String
  /// The problems to grade (every problem of the catalog when nil).
  public var problems: Set<Int>?
  /// Run only the visible cases (what students run themselves).
  public var publicOnly = false
  /// A seed that fixes every case's inputs (a reproducible grading); fresh random inputs
  /// for every grading when nil.
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

/// The grading pipeline: open the submission; for each problem build its trusted judge and the
/// student's program; the judge makes each case's inputs from a fresh seed; the program runs
/// in the sandbox on those inputs and returns raw outputs; the judge computes every verdict.
public struct Grader: Sendable {
  /// The package holding the grader (Sources/, Grader/, Solutions/).
  public let packageRoot: URL
  /// The rubric.
  public let rubric: Rubric
  /// Builds the runtime, the judges and the programs.
  public let builder: Builder

  /// Creates a grader for the course at `packageRoot` with its rubric. Student programs link
  /// against the runtime of `runtimePackage` (the course's own package by default);
  /// `buildFolder` holds the runtime and the judges (`.build-grader` in that package).
  public init(
    packageRoot: URL, rubric: Rubric? = nil, runtimePackage: URL? = nil, buildFolder: URL? = nil
  ) throws {
    self.packageRoot = packageRoot
    self.rubric = try rubric ?? Rubric.load(packageRoot: packageRoot)
    self.builder = Builder(
      packageRoot: packageRoot, runtimePackage: runtimePackage, buildFolder: buildFolder)
  }

  /// The package root found from this source file's location (the grader runs from it).
  public static var defaultPackageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// Grades a submission. Throws for grader faults (a judge that does not build, a runtime
  /// that does not build) and bad input; every problem of the submission, whatever the
  /// student's code does, ends as a verdict.
  public func grade(_ options: GradeOptions) throws -> GradeResult {
    try grade(options, seeds: [options.seed ?? rubric.seed])[0]
  }

  /// Grades a submission once per seed (nil: fresh inputs), building each problem once: how
  /// an instructor checks that a solution passes whatever the inputs.
  public func grade(_ options: GradeOptions, seeds: [UInt64?]) throws -> [GradeResult] {
    let start = Date()
    let manager = FileManager.default
    let work = manager.temporaryDirectory.appendingPathComponent("gradwork-\(UUID().uuidString)")
    try manager.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? manager.removeItem(at: work) }
    // The sandbox's probes (a trial run of each kind of sandbox; the toolchain's runtime
    // folders, asked once and kept with the compile plans) run while the submission is
    // opened, the runtime checked and the first programs compiled. Only a problem about to
    // run its program waits for them.
    let limits = rubric.limits.model
    let plans = builder.plans
    let detection = Background {
      Sandbox.detect(limits: limits, runtimeFolders: plans.runtimeFolders())
    }
    let submission: Submission
    let runtime: Builder.Runtime
    do {
      submission = try Submission.open(
        options.submission, scratch: work.appendingPathComponent("input"))
      runtime = try builder.buildRuntime()
    } catch {
      // No control group of the probes outlives the grading.
      _ = try? detection.wait()
      throw error
    }
    // The program runs as another user: it may read its own folder and nothing else of ours.
    try manager.setAttributes([.posixPermissions: 0o711], ofItemAtPath: work.path)
    let selected = rubric.problems.filter { options.problems?.contains($0.number) ?? true }
    let results = ResultsBox(count: selected.count)
    // One stage per core: every problem's build first, longest problem first, then each
    // built problem's runs and judging (see `StageQueue`).
    let schedule = ProblemSchedule(buildFolder: builder.buildFolder)
    let queue = StageQueue<BuiltProblem>(order: schedule.order(selected.map(\.folder)))
    let workers = max(1, min(selected.count, ProcessInfo.processInfo.activeProcessorCount))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let stage = queue.next() {
        switch stage {
        case .build(let i):
          let problem = selected[i]
          do {
            switch try buildProblem(
              problem, files: submission.problemFiles[problem.number], options: options,
              seeds: seeds, runtime: runtime, work: work.appendingPathComponent(problem.folder))
            {
            case .built(let built): queue.built(i, built)
            case .done(let done): results.set(i, .success(done))
            }
          } catch {
            results.set(i, .failure(error))
          }
        case .finish(let i, let built):
          results.set(
            i,
            Result {
              try finishProblem(built, options: options, seeds: seeds, sandbox: detection)
            })
        }
      }
    }
    // Every grading waits for the probes, so no control group they make outlives it.
    let sandbox = try detection.wait()
    let problems = try results.values.map { try $0.get() }
    var durations: [String: Double] = [:]
    for (problem, result) in zip(selected, problems) {
      if let t = result.first?.timing { durations[problem.folder] = t.build + t.run + t.judge }
    }
    schedule.record(durations)
    return seeds.indices.map { k in
      GradeResult(
        submission: submission.name, problems: problems.map { $0[k] },
        isolation: sandbox.isolation, publicOnly: options.publicOnly,
        seconds: Date().timeIntervalSince(start))
    }
  }

  /// A problem whose program is built: what running and judging it needs.
  private struct BuiltProblem {
    let problem: ProblemRubric
    let cases: [CaseRubric]
    let listing: [CaseListing]
    let judge: JudgeRunner
    let executable: URL
    let run: URL
    let sources: [String]
    /// The runtime library the program links, placed in its folder before it runs.
    let library: URL
    let buildSeconds: Double
  }

  /// What building a problem gave: a program to run, or the problem's results already (no
  /// files, or a compile error).
  private enum BuildOutcome {
    case built(BuiltProblem)
    case done([ProblemResult])
  }

  /// Builds a problem's judge (or finds it cached) and the student's program.
  private func buildProblem(
    _ problem: ProblemRubric, files: [URL]?, options: GradeOptions, seeds: [UInt64?],
    runtime: Builder.Runtime, work: URL
  ) throws -> BuildOutcome {
    let manager = FileManager.default
    let buildStart = Date()
    let judge = try JudgeRunner(
      program: builder.judgeProgram(folder: problem.folder, runtime: runtime),
      problem: problem.folder,
      scratch: work.appendingPathComponent("judge"))
    let listing = try judge.list()
    for c in problem.cases where !listing.contains(where: { $0.id == c.id }) {
      throw GraderError.rubricUnreadable(
        path: "Grader/Problems/\(problem.folder)/rubric.yaml",
        reason: "case \(c.id) is not defined in Grader/Problems/\(problem.folder)/Cases.swift "
          + "or a Cases+….swift beside it")
    }
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
    guard let files, !files.isEmpty else {
      return .done(seeds.map { _ in all(.missing, status: .missing) })
    }
    let compiled = try builder.compileSubmission(
      folder: problem.folder, files: files, runtime: runtime,
      scratch: work.appendingPathComponent("build"), report: options.figures)
    guard let built = compiled.executable else {
      return .done(
        seeds.map { _ in
          all(.compileError, status: .compileError, diagnostics: compiled.diagnostics)
        })
    }
    // The program's own folder: the program and the runtime, nothing else of the grader's.
    let run = work.appendingPathComponent("run")
    try manager.createDirectory(
      at: run.appendingPathComponent("runtime"), withIntermediateDirectories: true)
    try manager.moveItem(at: built, to: run.appendingPathComponent("program"))
    for folder in [work, run, run.appendingPathComponent("runtime")] {
      try manager.setAttributes([.posixPermissions: 0o711], ofItemAtPath: folder.path)
    }
    let executable = run.appendingPathComponent("program")
    let buildSeconds = Date().timeIntervalSince(buildStart)
    return .built(
      BuiltProblem(
        problem: problem, cases: cases, listing: listing, judge: judge, executable: executable,
        run: run, sources: files.compactMap { try? String(contentsOf: $0, encoding: .utf8) },
        library: runtime.folder.appendingPathComponent("libGradeRuntime.so"),
        buildSeconds: buildSeconds))
  }

  /// Puts the runtime library in the program's folder. A hard link (10 MB not copied per
  /// problem) only where the program can write neither it nor the grader's file it shares:
  /// a read-only view of the folder (bubblewrap) or another user. Otherwise, or across file
  /// systems, a copy.
  private func placeRuntime(_ library: URL, in run: URL, sandbox: Sandbox) throws {
    let manager = FileManager.default
    let placed = run.appendingPathComponent("runtime/libGradeRuntime.so")
    if sandbox.usesBubblewrap || sandbox.dropsPrivileges,
      (try? manager.linkItem(at: library, to: placed)) != nil
    {
      return
    }
    try manager.copyItem(at: library, to: placed)
  }

  /// Runs a built problem's program in the sandbox on each seed's cases, and judges them.
  private func finishProblem(
    _ built: BuiltProblem, options: GradeOptions, seeds: [UInt64?], sandbox: Background<Sandbox>
  ) throws -> [ProblemResult] {
    let (problem, cases, listing, judge) = (built.problem, built.cases, built.listing, built.judge)
    let (executable, run, sources) = (built.executable, built.run, built.sources)
    let box = try sandbox.wait()
    try placeRuntime(built.library, in: run, sandbox: box)
    let runner = Runner(sandbox: box)
    let session = try judge.session()
    defer { session.close() }
    let evaluated = try seeds.map { fixed in
      try evaluate(
        cases, listing: listing, judge: session, runner: runner, executable: executable, run: run,
        sources: sources, seed: { Grader.seed(for: $0, fixed: fixed) })
    }
    var figures: String?
    var plots: [String: String] = [:]
    if options.figures, listing.contains(where: { $0.kind == .report }),
      let reportInputs = try? session.inputs([SeedRequest(id: "report", seed: 0)])["report"],
      let (found, _) = try? runner.run(
        executable: executable, requests: [Runner.Request(id: "report", inputs: reportInputs)],
        folder: run),
      case .answered(let bytes, _)? = found["report"], let values = ValueCoding.decode(bytes)
    {
      for (key, value) in values {
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
    return evaluated.map { results, output, timing in
      var result = ProblemResult(
        number: problem.number, title: problem.title, status: .graded, cases: results,
        output: output, figures: figures, plots: plots)
      result.timing = ProblemTiming(
        build: built.buildSeconds, run: timing.run, judge: timing.judge)
      return result
    }
  }

  /// Serves `cases` to the built program with inputs from `seed`, and judges them. Returns
  /// the results and the visible run's output.
  func evaluate(
    _ cases: [CaseRubric], listing: [CaseListing], judge: JudgeSession, runner: Runner,
    executable: URL, run: URL, sources: [String], seed: (String) -> UInt64
  ) throws -> ([CaseResult], String, (run: Double, judge: Double)) {
    var runSeconds = 0.0
    let judgeStart = Date()
    let kinds = Dictionary(listing.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let runCases = cases.filter { kinds[$0.id]?.kind == .run }
    let seeds = Dictionary(
      uniqueKeysWithValues: runCases.map {
        ($0.id, seed($0.id))
      })
    let inputs = try judge.inputs(runCases.map { SeedRequest(id: $0.id, seed: seeds[$0.id]!) })
    // Visible and hidden cases run in separate processes, and only the visible run's output
    // is kept: a program could print a hidden case's inputs.
    var outcomes: [String: Runner.Outcome] = [:]
    var output = ""
    let deadline = Date().addingTimeInterval(rubric.limits.problemSeconds)
    let groups = [
      runCases.filter { $0.visibility == .visible }, runCases.filter { $0.visibility != .visible },
    ]
    for (index, group) in groups.enumerated() where !group.isEmpty {
      let runStart = Date()
      defer { runSeconds += Date().timeIntervalSince(runStart) }
      let (found, text) = try runner.run(
        executable: executable,
        requests: group.map { Runner.Request(id: $0.id, inputs: inputs[$0.id] ?? []) },
        folder: run, deadline: deadline)
      outcomes.merge(found) { a, _ in a }
      if index == 0 { output = text }
    }
    var jobs: [JudgeJob] = []
    for c in runCases {
      if case .answered(let outputs, let seconds)? = outcomes[c.id] {
        jobs.append(
          JudgeJob(
            id: c.id, seed: seeds[c.id]!, outputs: outputs,
            seconds: kinds[c.id]?.timed == true ? seconds : nil, threshold: c.threshold))
      }
    }
    let judgements = try judge.judge(jobs)
    let results = cases.map { c -> CaseResult in
      var verdict: Verdict
      var judgement: Judgement?
      var seconds: Double?
      if kinds[c.id]?.kind == .source {
        let found = SourceChecks.judge(functions: kinds[c.id]?.functions ?? [], sources: sources)
        judgement = found.judgement
        verdict = found.verdict
      } else {
        switch outcomes[c.id] {
        case .answered(_, let s)?:
          seconds = s
          judgement = judgements[c.id]
          verdict =
            judgement.map(Grader.verdict)
            ?? .invalidObservation(reason: "the judge returned nothing")
        case .died(let v)?: verdict = v
        case .tampered(let reason)?: verdict = .failed(reason: reason)
        case nil:
          verdict = .invalidObservation(reason: "the program returned nothing for this case")
        }
      }
      return CaseResult(
        id: c.id, name: c.name, visibility: c.visibility,
        points: verdict == .passed ? c.points : 0, maxPoints: c.points, verdict: verdict,
        measured: judgement?.measured, expected: judgement?.expected, hint: judgement?.hint,
        diagnosis: judgement?.diagnosis.map {
          MistakeDiagnosis(id: $0.mistake, message: $0.message, evidence: $0.evidence)
        }, seconds: seconds)
    }
    return (results, output, (runSeconds, Date().timeIntervalSince(judgeStart) - runSeconds))
  }

  /// A case's seed: derived from the fixed seed and the case id, or fresh.
  static func seed(for id: String, fixed: UInt64?) -> UInt64 {
    guard let fixed else { return UInt64.random(in: 0...UInt64.max) }
    var bytes: [UInt8] = Array(id.utf8)
    for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: fixed >> (8 * UInt64(i)))) }
    return Builder.fnv(bytes)
  }

  /// A judge's outcome as the result model's verdict.
  static func verdict(_ judgement: Judgement) -> Verdict {
    switch judgement.outcome {
    case .passed: .passed
    case .failed: .failed(reason: judgement.reason ?? "a check failed")
    case .invalid: .invalidObservation(reason: judgement.reason ?? "unusable outputs")
    }
  }
}

/// Per-problem results written from concurrent workers.
private final class ResultsBox: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [Result<[ProblemResult], any Error>?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: Result<[ProblemResult], any Error>) {
    lock.lock()
    slots[i] = value
    lock.unlock()
  }

  var values: [Result<[ProblemResult], any Error>] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}
