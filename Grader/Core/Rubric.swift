import CourseCatalog
import Foundation
import GradeModel
import Yams

/// The grading rubric: the limits of each run (`Grader/rubric.yaml`) and each problem's cases
/// with their points and visibility (`Grader/Problems/ProblemN/rubric.yaml`).
public struct Rubric: Sendable {
  /// A fixed seed for every case (reproducible gradings); fresh random seeds when nil.
  public var seed: UInt64?
  /// Limits of each run of a student's program.
  public var limits: RubricLimits
  /// The problems, in the catalog's order.
  public var problems: [ProblemRubric]

  /// Creates a rubric.
  public init(seed: UInt64? = nil, limits: RubricLimits, problems: [ProblemRubric]) {
    self.seed = seed
    self.limits = limits
    self.problems = problems
  }

  /// Reads the rubric of the package at `packageRoot`, for the problems of its catalog.
  public static func load(packageRoot: URL) throws -> Rubric {
    let catalog: Catalog
    do {
      catalog = try Catalog.load(packageRoot: packageRoot)
    } catch let error as CatalogError {
      throw GraderError.rubricUnreadable(path: error.path, reason: error.reason)
    }
    let main = packageRoot.appendingPathComponent("Grader/rubric.yaml")
    struct Main: Decodable {
      var seed: UInt64?
      var limits: RubricLimits
    }
    let head = try decode(Main.self, main)
    var problems: [ProblemRubric] = []
    var seen = Set<String>()
    for entry in catalog.problems {
      let url = packageRoot.appendingPathComponent("Grader/Problems/\(entry.folder)/rubric.yaml")
      struct Part: Decodable { var cases: [CaseRubric] }
      let part = try decode(Part.self, url)
      for c in part.cases {
        guard seen.insert(c.id).inserted else {
          throw GraderError.rubricUnreadable(path: url.path, reason: "case \(c.id) appears twice")
        }
        guard c.points >= 0 else {
          throw GraderError.rubricUnreadable(
            path: url.path, reason: "case \(c.id) has negative points")
        }
      }
      problems.append(
        ProblemRubric(
          number: entry.number, folder: entry.folder, title: entry.title, cases: part.cases))
    }
    return Rubric(seed: head.seed, limits: head.limits, problems: problems)
  }

  private static func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw GraderError.rubricUnreadable(path: url.path, reason: "\(error.localizedDescription)")
    }
    do {
      return try YAMLDecoder().decode(T.self, from: text)
    } catch {
      throw GraderError.rubricUnreadable(path: url.path, reason: "\(error)")
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
public struct ProblemRubric: Sendable {
  /// The problem number.
  public var number: Int
  /// Its folder name (`ProblemN`).
  public var folder: String
  /// Its title.
  public var title: String
  /// Its cases, in order.
  public var cases: [CaseRubric]
}

/// One case of the rubric.
public struct CaseRubric: Decodable, Sendable {
  /// Stable id, the id of a case defined in the problem's Cases.swift (or a Cases+….swift).
  public var id: String
  /// Human name.
  public var name: String
  /// Points.
  public var points: Double
  /// Who may see it.
  public var visibility: Visibility
  /// The bound a measurement must meet, for threshold cases.
  public var threshold: Double?
}
