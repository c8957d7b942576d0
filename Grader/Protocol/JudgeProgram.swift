import Autograd
import Foundation

/// A known wrong variant of a problem's functions: the same cases built on an API with one
/// function written the wrong way. When a student's outputs fail a case and match a mistake's
/// outputs on the same inputs, the feedback names the mistake, with the numbers.
public struct Mistake {
  /// The mistake's id, e.g. `p1.biased-std`.
  public let id: String
  /// What is wrong and how to fix it, in the student's terms.
  public let message: String
  /// The problem's cases built on the wrong variant.
  public let cases: [CaseSpec]

  /// Creates a mistake.
  public init(_ id: String, _ message: String, cases: [CaseSpec]) {
    self.id = id
    self.message = message
    self.cases = cases
  }
}

/// A case as the grader lists it (from a judge program's `list`).
public struct CaseListing: Codable, Sendable, Equatable {
  /// The id.
  public var id: String
  /// How it is judged.
  public var kind: CaseSpec.Kind
  /// For source cases: the functions examined.
  public var functions: [String]
  /// Whether the grader's time of the call is judged.
  public var timed: Bool
}

/// One case to judge: its id and seed, the student's raw outputs (when the program returned
/// any) and the grader's time of the call.
public struct JudgeJob {
  /// The case id.
  public var id: String
  /// The seed its inputs came from.
  public var seed: UInt64
  /// The student's outputs, encoded.
  public var outputs: [UInt8]
  /// The time of the call measured by the grader (timed cases).
  public var seconds: Double?
  /// The rubric's threshold.
  public var threshold: Double?

  /// Creates a job.
  public init(id: String, seed: UInt64, outputs: [UInt8], seconds: Double?, threshold: Double?) {
    self.id = id
    self.seed = seed
    self.outputs = outputs
    self.seconds = seconds
    self.threshold = threshold
  }

  /// Jobs as bytes (the judge program's input).
  public static func encode(_ jobs: [JudgeJob]) -> [UInt8] {
    var w = ByteWriter()
    w.int(jobs.count)
    for job in jobs {
      w.string(job.id)
      w.uint64(job.seed)
      w.int(job.outputs.count)
      w.bytes += job.outputs
      w.double(job.seconds ?? .nan)
      w.double(job.threshold ?? .nan)
    }
    return w.bytes
  }

  /// Jobs from bytes.
  public static func decode(_ bytes: [UInt8]) -> [JudgeJob]? {
    var r = ByteReader(bytes)
    guard let count = r.int() else { return nil }
    var jobs: [JudgeJob] = []
    for _ in 0..<count {
      guard let id = r.string(), let seed = r.uint64(), let n = r.int(), n <= r.remaining else {
        return nil
      }
      let outputs = Array(bytes[r.offset..<(r.offset + n)])
      r.offset += n
      guard let seconds = r.double(), let threshold = r.double() else { return nil }
      jobs.append(
        JudgeJob(
          id: id, seed: seed, outputs: outputs, seconds: seconds.isNaN ? nil : seconds,
          threshold: threshold.isNaN ? nil : threshold))
    }
    return jobs
  }
}

/// A judgement with its case id (the judge program's output).
public struct CaseJudgement: Codable, Sendable, Equatable {
  /// The case id.
  public var id: String
  /// The judgement.
  public var judgement: Judgement
}

/// The trusted judge program of one problem, run by the grader outside the sandbox. It is
/// built from the problem's reference solution and case definitions; it makes the inputs of
/// each case from its seed and judges the student's raw outputs against the reference's on
/// the same inputs.
///
/// - `list OUT`: OUT gets the cases as JSON.
/// - `inputs JOB OUT`: JOB is JSON `[{"id", "seed"}]`; OUT gets each case's encoded inputs.
/// - `judge JOB OUT`: JOB is ``JudgeJob``s; OUT gets ``CaseJudgement``s as JSON.
/// - `session`: reads `inputs JOB OUT` and `judge JOB OUT` commands from standard input, one
///   per line with tab-separated words, and answers each with a line, ``replyOK`` or
///   ``replyError`` and the error, until the input ends. The inputs a session made are kept
///   for its judging.
public enum JudgeProgram {
  /// A session's answer to a command that succeeded: a line of its own, which nothing the
  /// cases print can be taken for by chance.
  public static let replyOK = "gradwork-judge-session: ok"
  /// The start of a session's answer to a command that failed; the error follows.
  public static let replyError = "gradwork-judge-session: error: "

  /// Runs the command in the process's arguments, then exits.
  public static func main(reference: [CaseSpec], mistakes: [Mistake]) -> Never {
    let arguments = CommandLine.arguments
    do {
      switch arguments.dropFirst().first {
      case "list" where arguments.count == 3:
        let listing = reference.map {
          CaseListing(id: $0.id, kind: $0.kind, functions: $0.functions, timed: $0.timed)
        }
        try JSONEncoder().encode(listing).write(to: URL(fileURLWithPath: arguments[2]))
      case "session" where arguments.count == 2:
        var session = Session(reference: reference, mistakes: mistakes)
        while let line = readLine(strippingNewline: true) {
          var reply = Self.replyOK
          do {
            try session.perform(line.split(separator: "\t").map(String.init))
          } catch {
            reply = Self.replyError + "\(error)".replacingOccurrences(of: "\n", with: " ")
          }
          // Anything the cases printed goes out first, and the answer starts a line of its
          // own after it; unbuffered, so the grader reads it now.
          fflush(nil)
          FileHandle.standardOutput.write(Data(("\n" + reply + "\n").utf8))
        }
      default:
        var session = Session(reference: reference, mistakes: mistakes)
        try session.perform(Array(arguments.dropFirst()))
      }
      exit(0)
    } catch {
      FileHandle.standardError.write(Data("judge: \(error)\n".utf8))
      exit(2)
    }
  }

  /// The `inputs` and `judge` commands, with the inputs made so far.
  struct Session {
    let reference: [CaseSpec]
    let mistakes: [Mistake]
    /// The inputs made by `inputs`, by case id and seed: judging the same case and seed
    /// reads them instead of making them again (a million normal draws for problem 1's
    /// timed case).
    private var made: [String: Values] = [:]

    private static func key(_ id: String, _ seed: UInt64) -> String { "\(id) \(seed)" }

    init(reference: [CaseSpec], mistakes: [Mistake]) {
      self.reference = reference
      self.mistakes = mistakes
    }

    mutating func perform(_ words: [String]) throws {
      switch words.first {
      case "inputs" where words.count == 3:
        let requests = try JSONDecoder().decode(
          [SeedRequest].self, from: Data(contentsOf: URL(fileURLWithPath: words[1])))
        var w = ByteWriter()
        w.int(requests.count)
        for request in requests {
          guard let spec = reference.first(where: { $0.id == request.id }) else {
            throw JudgeProgramError.unknownCase(request.id)
          }
          let values = JudgeProgram.inputs(spec, seed: request.seed)
          made[Self.key(request.id, request.seed)] = values
          // Inputs named with a leading underscore (a true parameter, held-out data) stay in
          // the grader: the program never receives them.
          let bytes = ValueCoding.encode(values.filter { !$0.key.hasPrefix("_") })
          w.string(request.id)
          w.int(bytes.count)
          w.bytes += bytes
        }
        try Data(w.bytes).write(to: URL(fileURLWithPath: words[2]))
      case "judge" where words.count == 3:
        let data = try Data(contentsOf: URL(fileURLWithPath: words[1]))
        guard let jobs = JudgeJob.decode(Array(data)) else { throw JudgeProgramError.badJob }
        let results = try jobs.map { job in
          // Judged once: the inputs are let go (problem 1's timed case holds 8 MB).
          let inputs = made.removeValue(forKey: Self.key(job.id, job.seed))
          return CaseJudgement(
            id: job.id,
            judgement: try judge(job, reference: reference, mistakes: mistakes, inputs: inputs))
        }
        try JSONEncoder().encode(results).write(to: URL(fileURLWithPath: words[2]))
      default:
        throw JudgeProgramError.usage
      }
    }
  }

  /// The inputs of each case for `requests` (also used in-process by tests).
  public static func inputs(_ spec: CaseSpec, seed: UInt64) -> Values {
    var random = CaseRandom(seed: seed)
    return spec.inputs(&random)
  }

  /// Judges one job: the reference runs on the same inputs, the case's judge compares, and a
  /// failure is matched against the known mistakes.
  /// `inputs`, when given, are the case's inputs for the job's seed, already made.
  public static func judge(
    _ job: JudgeJob, reference: [CaseSpec], mistakes: [Mistake], inputs made: Values? = nil
  ) throws -> Judgement {
    guard let spec = reference.first(where: { $0.id == job.id }) else {
      throw JudgeProgramError.unknownCase(job.id)
    }
    guard let student = ValueCoding.decode(job.outputs) else {
      return .invalid("the program's outputs are malformed")
    }
    let inputs = made ?? inputs(spec, seed: job.seed)
    let sent = inputs.filter { !$0.key.hasPrefix("_") }
    // A timed case's reference runs now, to be timed: one call, with the buffer pool emptied
    // first, as the student's program starts (a session judges several seeds in one
    // process). A slower reference only widens the case's budget (never fails a correct
    // program), and a second call cost the grading as much again.
    let timed = spec.timed ? Self.timedRun(spec, CaseInputs(sent)) : nil
    // Other cases run the reference only when their judge reads it.
    let context = JudgeContext(
      id: job.id, inputs: CaseInputs(sent), hidden: CaseInputs(inputs), student: student,
      reference: { timed?.values ?? spec.run(CaseInputs(sent)) },
      seconds: job.seconds, referenceSeconds: timed?.seconds, threshold: job.threshold)
    var judgement: Judgement
    do {
      judgement = try spec.judge(context)
    } catch let failure as CheckFailure {
      judgement = failure.judgement
    }
    if judgement.outcome == .failed,
      let found = diagnose(
        id: job.id, inputs: sent, student: student, expected: context.reference,
        mistakes: mistakes)
    {
      judgement.diagnosis = found
    }
    return judgement
  }

  /// The reference's outputs on `inputs` and the seconds the call took.
  private static func timedRun(_ spec: CaseSpec, _ inputs: CaseInputs) -> (
    values: Values, seconds: Double
  ) {
    releaseCachedBuffers()
    let start = Date()
    let values = spec.run(inputs)
    return (values, Date().timeIntervalSince(start))
  }

  /// The first mistake whose outputs on the same inputs match the student's, where they
  /// differ from the reference's.
  static func diagnose(
    id: String, inputs: Values, student: Values, expected: Values, mistakes: [Mistake]
  ) -> Diagnosis? {
    // Agreement with a mistake: within float32 rounding of its outputs.
    let agreement = 1e-5
    for mistake in mistakes {
      guard let spec = mistake.cases.first(where: { $0.id == id }) else { continue }
      let wrong = spec.run(CaseInputs(inputs))
      var compared = 0
      var matches = true
      var telling: (key: String, gap: Double, mine: [Double], right: [Double])?
      for key in wrong.keys.sorted() {
        guard let w = numbers(wrong[key]), let s = numbers(student[key]) else { continue }
        compared += 1
        if JudgeContext.error(w, s) > agreement {
          matches = false
          break
        }
        if let r = numbers(expected[key]) {
          let gap = JudgeContext.error(w, r)
          if gap > agreement, gap > (telling?.gap ?? 0) { telling = (key, gap, s, r) }
        }
      }
      guard matches, compared > 0, let telling else { continue }
      let errors = zip(telling.mine, telling.right).map { JudgeContext.relativeError($0, $1) }
      let i = errors.firstIndex(of: errors.max() ?? 0) ?? 0
      let evidence =
        "\(telling.key)[\(i)] is \(short(telling.mine[i])), which is exactly what this mistake "
        + "gives on the same inputs; the correct value is \(short(telling.right[i]))"
      return Diagnosis(mistake: mistake.id, message: mistake.message, evidence: evidence)
    }
    return nil
  }

  private static func numbers(_ value: Value?) -> [Double]? {
    switch value {
    case .tensor(_, _, let data)?: data
    case .number(let x)?: [x]
    case .numbers(let xs)?: xs
    default: nil
    }
  }
}

/// A request for a case's inputs.
public struct SeedRequest: Codable, Sendable, Equatable {
  /// The case id.
  public var id: String
  /// The seed.
  public var seed: UInt64

  /// Creates a request.
  public init(id: String, seed: UInt64) {
    self.id = id
    self.seed = seed
  }
}

/// Faults of a judge program (grader faults, never the student's).
public enum JudgeProgramError: Error, CustomStringConvertible {
  case usage
  case badJob
  case unknownCase(String)

  /// What went wrong.
  public var description: String {
    switch self {
    case .usage: "usage: judge list OUT | inputs JOB OUT | judge JOB OUT | session"
    case .badJob: "the job file is malformed"
    case .unknownCase(let id): "no case \(id) is defined"
    }
  }
}

/// Decodes the `inputs` command's output: encoded inputs by case id.
public func decodeInputsFile(_ bytes: [UInt8]) -> [String: [UInt8]]? {
  var r = ByteReader(bytes)
  guard let count = r.int() else { return nil }
  var result: [String: [UInt8]] = [:]
  for _ in 0..<count {
    guard let id = r.string(), let n = r.int(), n <= r.remaining else { return nil }
    result[id] = Array(bytes[r.offset..<(r.offset + n)])
    r.offset += n
  }
  return result
}
