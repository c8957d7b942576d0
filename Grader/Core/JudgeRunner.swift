import Foundation
import GradeProtocol

/// Calls a problem's trusted judge program: its case list, the inputs of cases from seeds,
/// and the verdicts on the student's outputs. Any failure here is the grader's, never the
/// student's.
struct JudgeRunner {
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
    let result = try Command.run(program.path, arguments, timeout: 600)
    guard result.status == 0, !result.timedOut else {
      throw GraderError.judgeFailed(
        problem: problem,
        reason: result.timedOut ? "it ran for over 600 s" : String(result.output.suffix(2000)))
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

  /// The encoded inputs of each requested case.
  func inputs(_ requests: [SeedRequest]) throws -> [String: [UInt8]] {
    let job = scratch.appendingPathComponent("inputs-job-\(UUID().uuidString).json")
    let out = scratch.appendingPathComponent("inputs-\(UUID().uuidString).bin")
    try JSONEncoder().encode(requests).write(to: job)
    try call(["inputs", job.path, out.path])
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
    try call(["judge", job.path, out.path])
    let found = try JSONDecoder().decode([CaseJudgement].self, from: Data(contentsOf: out))
    return Dictionary(found.map { ($0.id, $0.judgement) }, uniquingKeysWith: { a, _ in a })
  }
}
