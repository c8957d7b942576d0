import Foundation
import GradeModel
import Yams

/// The grading rubric (`Grader/rubric.yaml`): each case's points, visibility and threshold,
/// the hidden seed and the limits of each run.
public struct Rubric: Decodable, Sendable {
  /// Seed of the hidden cases' data.
  public var seed: UInt64
  /// Limits of each run of a student's program.
  public var limits: RubricLimits
  /// The problems, in order.
  public var problems: [ProblemRubric]

  /// Reads a rubric file.
  public static func load(_ url: URL) throws -> Rubric {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw GraderError.rubricUnreadable(path: url.path, reason: "\(error.localizedDescription)")
    }
    do {
      let rubric = try YAMLDecoder().decode(Rubric.self, from: text)
      try rubric.validate(path: url.path)
      return rubric
    } catch let error as GraderError {
      throw error
    } catch {
      throw GraderError.rubricUnreadable(path: url.path, reason: "\(error)")
    }
  }

  private func validate(path: String) throws {
    var seen = Set<String>()
    for problem in problems {
      guard (1...5).contains(problem.number) else {
        throw GraderError.rubricUnreadable(path: path, reason: "no problem \(problem.number)")
      }
      for c in problem.cases {
        guard seen.insert(c.id).inserted else {
          throw GraderError.rubricUnreadable(path: path, reason: "case \(c.id) appears twice")
        }
        guard c.points >= 0 else {
          throw GraderError.rubricUnreadable(path: path, reason: "case \(c.id) has negative points")
        }
      }
    }
  }
}

/// The limits section of the rubric.
public struct RubricLimits: Decodable, Sendable {
  /// Wall-clock seconds.
  public var wallSeconds: Double
  /// CPU seconds.
  public var cpuSeconds: Int
  /// Address space, MiB.
  public var memoryMib: Int
  /// Processes.
  public var processes: Int
  /// Largest file written, MiB.
  public var fileSizeMib: Int
  /// Output kept, KiB.
  public var outputKib: Int
  /// All runs of one problem together, seconds.
  public var problemSeconds: Double

  enum CodingKeys: String, CodingKey {
    case wallSeconds = "wall_seconds"
    case cpuSeconds = "cpu_seconds"
    case memoryMib = "memory_mib"
    case processes
    case fileSizeMib = "file_size_mib"
    case outputKib = "output_kib"
    case problemSeconds = "problem_seconds"
  }

  /// As the result model records them.
  public var model: Limits {
    Limits(
      wallSeconds: wallSeconds, cpuSeconds: cpuSeconds, memoryMiB: memoryMib,
      processes: processes, fileSizeMiB: fileSizeMib, outputBytes: outputKib * 1024,
      problemSeconds: problemSeconds)
  }
}

/// One problem's part of the rubric.
public struct ProblemRubric: Decodable, Sendable {
  /// The problem number.
  public var number: Int
  /// Its title.
  public var title: String
  /// Its cases, in order.
  public var cases: [CaseRubric]
}

/// One case of the rubric.
public struct CaseRubric: Decodable, Sendable {
  /// Stable id, shared with the probe.
  public var id: String
  /// Human name.
  public var name: String
  /// Points.
  public var points: Double
  /// Who may see it.
  public var visibility: Visibility
  /// The bound a measurement must meet, for threshold cases.
  public var threshold: Double?
  /// `source` for cases judged on the student's source alone (no run); a run otherwise.
  public var kind: String?

  /// Whether the case is judged from the source, without running the program.
  public var isSourceCheck: Bool { kind == "source" }
}
