import Foundation
import GradeProtocol
import Synchronization

/// Calls a problem's trusted judge program: its case list, the inputs of cases from seeds,
/// and the verdicts on the student's outputs. Any failure here is the grader's, never the
/// student's.
struct JudgeRunner {
  /// The longest any one call of a judge may take.
  static let timeout: Double = 600

  let program: URL
  let problem: String
  let scratch: URL

  init(program: URL, problem: String, scratch: URL) throws {
    self.program = program
    self.problem = problem
    self.scratch = scratch
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  private func call(_ arguments: [String]) throws {
    let result = try Command.run(program.path, arguments, timeout: Self.timeout)
    guard result.status == 0, !result.timedOut else {
      throw GraderError.judgeFailed(
        problem: problem,
        reason: result.timedOut
          ? "it ran for over \(Int(Self.timeout)) s" : String(result.output.suffix(2000)))
    }
  }

  /// The cases the judge defines. A judge's list never changes, so it is kept beside the
  /// (content-cached) program after the first call and read from there.
  func list() throws -> [CaseListing] {
    let kept = program.deletingLastPathComponent().appendingPathComponent("list.json")
    if let data = try? Data(contentsOf: kept),
      let listing = try? JSONDecoder().decode([CaseListing].self, from: data)
    {
      return listing
    }
    let out = scratch.appendingPathComponent("list.json")
    try call(["list", out.path])
    let data = try Data(contentsOf: out)
    let listing = try JSONDecoder().decode([CaseListing].self, from: data)
    try? data.write(to: kept, options: .atomic)
    return listing
  }

  /// A judge process that serves this problem's inputs and judging until closed.
  func session() throws -> JudgeSession {
    try JudgeSession(program: program, problem: problem, scratch: scratch)
  }
}

/// One judge process (`judge session`) serving a problem's inputs and verdicts in turn: one
/// process per problem, for all its seeds, instead of one per call, and the inputs made once (the judge
/// keeps those it made for its judging). Any failure here is the grader's.
final class JudgeSession {
  private let process = Process()
  private let problem: String
  private let scratch: URL
  private let commands: FileHandle
  private let replies: FileHandle
  private let errors: PipeReader
  private let finished = DispatchSemaphore(value: 0)
  private let timeout: Double
  private var pending: [UInt8] = []
  /// Whether the process started: only then is there anything to end.
  private var started = false

  /// Starts `program session`; each command may take up to `timeout` seconds.
  init(program: URL, problem: String, scratch: URL, timeout: Double = JudgeRunner.timeout) throws {
    self.problem = problem
    self.scratch = scratch
    self.timeout = timeout
    process.executableURL = program
    process.arguments = ["session"]
    // The library runs OpenBLAS on one thread and splits large products over the cores
    // itself, so OpenBLAS's own worker threads are never used; made at load, they spin
    // before they sleep, beside the student's program. `GOTO_NUM_THREADS` makes none, and
    // unlike `OPENBLAS_NUM_THREADS` leaves the library's own splitting as it is.
    var environment = ProcessInfo.processInfo.environment
    environment["GOTO_NUM_THREADS"] = "1"
    process.environment = environment
    let pipes = process.attachPipes()
    commands = pipes.input
    replies = pipes.output
    errors = PipeReader(pipes.error, limit: 1 << 20)
    let finished = self.finished
    process.terminationHandler = { _ in finished.signal() }
    // A judge that exits early must not end the grader on its next write.
    signal(SIGPIPE, SIG_IGN)
    do {
      try process.run()
    } catch {
      throw GraderError.judgeFailed(problem: problem, reason: "it could not start: \(error)")
    }
    started = true
    errors.start()
  }

  deinit { close() }

  /// The encoded inputs of each requested case.
  func inputs(_ requests: [SeedRequest]) throws -> [String: [UInt8]] {
    let job = scratch.appendingPathComponent("inputs-job-\(UUID().uuidString).json")
    let out = scratch.appendingPathComponent("inputs-\(UUID().uuidString).bin")
    try JSONEncoder().encode(requests).write(to: job)
    try send(["inputs", job.path, out.path])
    guard let found = decodeInputsFile(Array(try Data(contentsOf: out))) else {
      throw GraderError.judgeFailed(problem: problem, reason: "its inputs file is malformed")
    }
    return found
  }

  /// The judgements of the jobs, by case id.
  func judge(_ jobs: [JudgeJob]) throws -> [String: Judgement] {
    guard !jobs.isEmpty else { return [:] }
    let job = scratch.appendingPathComponent("judge-job-\(UUID().uuidString).bin")
    let out = scratch.appendingPathComponent("judgements-\(UUID().uuidString).json")
    try Data(JudgeJob.encode(jobs)).write(to: job)
    try send(["judge", job.path, out.path])
    let found = try JSONDecoder().decode([CaseJudgement].self, from: Data(contentsOf: out))
    return Dictionary(found.map { ($0.id, $0.judgement) }, uniquingKeysWith: { a, _ in a })
  }

  /// Ends the session: the judge exits at the end of its input.
  func close() {
    try? commands.close()
    guard started else { return }
    let pid = process.processIdentifier
    if finished.wait(timeout: .now() + 10) == .timedOut, pid > 0 {
      kill(pid, SIGKILL)
      finished.wait()
    }
    finished.signal()
  }

  /// Sends one command and waits for its answer, at most `timeout` seconds.
  private func send(_ words: [String]) throws {
    // The words are tab-separated on one line: a path with either in it cannot be sent.
    if let word = words.first(where: { $0.contains("\t") || $0.contains("\n") }) {
      throw GraderError.judgeFailed(
        problem: problem, reason: "the path \(word.debugDescription) holds a tab or line break")
    }
    let timeout = self.timeout
    let stopped = StopFlag()
    let pid = process.processIdentifier
    let watchdog = DispatchWorkItem {
      guard pid > 0 else { return }
      stopped.isSet.store(true, ordering: .sequentiallyConsistent)
      kill(pid, SIGKILL)
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    defer { watchdog.cancel() }
    func failure(_ reason: String) -> GraderError {
      errors.wait(seconds: 1)
      let said = String(errors.buffer.text.suffix(2000))
      return GraderError.judgeFailed(
        problem: problem,
        reason: stopped.isSet.load(ordering: .sequentiallyConsistent)
          ? "it ran for over \(Int(timeout)) s" : said.isEmpty ? reason : said)
    }
    do {
      try commands.write(contentsOf: Data((words.joined(separator: "\t") + "\n").utf8))
    } catch {
      throw failure("it stopped before the command \(words[0])")
    }
    while true {
      while let end = pending.firstIndex(of: 0x0A) {
        let line = String(decoding: pending[..<end], as: UTF8.self)
        pending.removeSubrange(...end)
        if line == JudgeProgram.replyOK { return }
        if line.hasPrefix(JudgeProgram.replyError) {
          throw GraderError.judgeFailed(
            problem: problem, reason: String(line.dropFirst(JudgeProgram.replyError.count)))
        }
        // Any other line is something the cases printed.
      }
      let chunk = replies.availableData
      guard !chunk.isEmpty else { throw failure("it stopped during the command \(words[0])") }
      pending += chunk
    }
  }
}

/// Set once, from another thread (the session's watchdog): an `Atomic` in a class, which
/// the watchdog's closure can hold.
private final class StopFlag: Sendable {
  let isSet = Atomic<Bool>(false)
}
