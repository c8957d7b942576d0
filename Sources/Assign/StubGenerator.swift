import CourseCatalog
import Foundation

/// Turns reference solutions into exercise stubs.
///
/// Every region between `// BEGIN SOLUTION: task N, what to do` and `// END SOLUTION`
/// becomes one call `todo("Problem P, task N: what to do")`, indented as the region was.
/// Everything outside the regions (signatures, doc comments, helpers) is kept verbatim.
public enum StubGenerator {
  /// A malformed solution file: unbalanced, nested or unlabelled regions.
  public struct Failure: Error, Equatable, CustomStringConvertible {
    /// The file, as given to ``stub(fromSolution:problem:file:)``.
    public let file: String
    /// The 1-based line of the problem.
    public let line: Int
    /// What is wrong.
    public let reason: String

    /// Creates a failure report.
    public init(file: String, line: Int, reason: String) {
      self.file = file
      self.line = line
      self.reason = reason
    }

    /// `file:line: reason`.
    public var description: String { "\(file):\(line): \(reason)" }
  }

  static let beginMarker = "// BEGIN SOLUTION"
  static let endMarker = "// END SOLUTION"

  /// The header placed at the top of every generated file.
  public static func header(problem: Int) -> String {
    """
    // Exercise for Problem \(problem). Replace each `todo(...)` with your code: the doc comment
    // above it says what the function must do. Keep the signatures: the grader calls them.
    // (Generated from the reference solution by `swift run course assign`.)


    """
  }

  /// The stub text for one solution file.
  ///
  /// - Parameters:
  ///   - source: The solution file's text.
  ///   - problem: The problem number, used in each `todo` label.
  ///   - file: The file's name, used in error messages.
  public static func stub(fromSolution source: String, problem: Int, file: String) throws -> String
  {
    var output: [Substring] = []
    var openedAt: Int?
    for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = index + 1
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.hasPrefix(beginMarker) {
        if let openedAt {
          throw Failure(
            file: file, line: number,
            reason: "a solution region opens inside the region opened on line \(openedAt)")
        }
        let label = try taskLabel(trimmed.dropFirst(beginMarker.count), file: file, line: number)
        let indent = line.prefix { $0 == " " || $0 == "\t" }
        output.append("\(indent)todo(\"Problem \(problem), \(label)\")")
        openedAt = number
      } else if trimmed.hasPrefix(endMarker) {
        guard openedAt != nil else {
          throw Failure(file: file, line: number, reason: "END SOLUTION without BEGIN SOLUTION")
        }
        openedAt = nil
      } else if openedAt == nil {
        output.append(line)
      }
    }
    if let openedAt {
      throw Failure(file: file, line: openedAt, reason: "solution region is never closed")
    }
    return header(problem: problem) + output.joined(separator: "\n")
  }

  /// `task N: what to do` from the text after `BEGIN SOLUTION` (`: task N, what to do`).
  private static func taskLabel(_ rest: Substring, file: String, line: Int) throws -> String {
    let text = rest.trimmingCharacters(in: .whitespaces)
    let pattern = /^:\s*task\s+(\d+),\s*(.+)$/
    guard let match = text.wholeMatch(of: pattern) else {
      throw Failure(
        file: file, line: line,
        reason: "expected `// BEGIN SOLUTION: task N, description`, found `\(text)`")
    }
    let description = match.2.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\"", with: "\\\"")
    return "task \(match.1): \(description)"
  }

  /// Every exercise file for the solutions under `solutions`: for each `ProblemN` folder, its
  /// Swift files with regions replaced, keyed by path relative to the exercises folder.
  public static func exercises(fromSolutions solutions: URL) throws -> [(
    path: String, text: String
  )] {
    let manager = FileManager.default
    let folders = try Catalog.load(file: solutions.appendingPathComponent("catalog.txt"))
      .problems.map(\.folder)
    var files: [(String, String)] = []
    for folder in folders {
      guard let problem = Int(folder.dropFirst("Problem".count)) else { continue }
      let directory = solutions.appendingPathComponent(folder)
      for name in try manager.contentsOfDirectory(atPath: directory.path).sorted()
      where name.hasSuffix(".swift") {
        let source = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let text = try stub(fromSolution: source, problem: problem, file: "\(folder)/\(name)")
        files.append(("\(folder)/\(name)", text))
      }
    }
    return files
  }

  /// The `course` tool's table of problem reports, generated from the catalog so that the
  /// tool lists no problem by hand (`Sources/course/Problems.swift`).
  public static func courseRegistry(folders: [String]) -> String {
    let imports = folders.flatMap { ["import \($0)", "import \($0)Solution"] }
    let entries = folders.map { folder in
      let n = folder.dropFirst("Problem".count)
      return "    \(n): { $0 ? \(folder)Solution.report(seed: $1) : \(folder).report(seed: $1) },"
    }
    return """
      // Generated by `swift run course assign` from Solutions/catalog.txt; do not edit.

      import Courseware
      \(imports.joined(separator: "\n"))

      /// Each problem's report by number: the reference's (`true`) or the exercise's.
      enum Problems {
        static let reports: [Int: @Sendable (_ solution: Bool, _ seed: UInt64) -> Report] = [
      \(entries.joined(separator: "\n"))
        ]
      }

      """
  }
}
