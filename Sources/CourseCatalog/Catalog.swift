import Foundation

/// The course's problems, read from `Solutions/catalog.txt`: the one list every part of
/// the project reads (the package manifest, the grader, `course`, the release, the tests).
///
/// Everything about a problem is found from its folder name: `Solutions/<folder>` (solution,
/// guide), `Exercises/<folder>` (the generated stub) and `Grader/Problems/<folder>` (cases,
/// mistakes, rubric).
public struct Catalog: Sendable, Equatable {
  /// One problem of the catalog.
  public struct Problem: Sendable, Equatable {
    /// The folder name, `ProblemN`.
    public var folder: String
    /// The title.
    public var title: String

    /// The number N of `ProblemN`.
    public var number: Int { Int(folder.dropFirst("Problem".count)) ?? 0 }

    /// Creates an entry.
    public init(folder: String, title: String) {
      self.folder = folder
      self.title = title
    }
  }

  /// The problems, in order.
  public var problems: [Problem]

  /// Creates a catalog.
  public init(problems: [Problem]) { self.problems = problems }

  /// The catalog's path in a package.
  public static func path(packageRoot: URL) -> URL {
    packageRoot.appendingPathComponent("Solutions/catalog.txt")
  }

  /// Reads and checks the catalog of the package at `packageRoot`.
  public static func load(packageRoot: URL) throws -> Catalog {
    try load(file: path(packageRoot: packageRoot))
  }

  /// Reads and checks a catalog file.
  public static func load(file url: URL) throws -> Catalog {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw CatalogError(path: url.path, reason: "\(error.localizedDescription)")
    }
    let problems = try parse(text, path: url.path)
    var seen = Set<Int>()
    for problem in problems {
      guard problem.folder.wholeMatch(of: /Problem[1-9][0-9]{0,2}/) != nil else {
        throw CatalogError(
          path: url.path, reason: "'\(problem.folder)' is not a folder name of the form ProblemN")
      }
      guard seen.insert(problem.number).inserted else {
        throw CatalogError(path: url.path, reason: "\(problem.folder) is listed twice")
      }
    }
    return Catalog(problems: problems)
  }

  /// The entries of a catalog's text: one line each, `ProblemN | Title`; blank lines and
  /// lines starting with `#` are skipped. One line per problem, so adding one is one line.
  public static func parse(_ text: String, path: String = "catalog") throws -> [Problem] {
    var problems: [Problem] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      let parts = trimmed.split(separator: "|", maxSplits: 1)
      guard parts.count == 2 else {
        throw CatalogError(
          path: path, reason: "line \(index + 1) is not of the form `ProblemN | Title`")
      }
      problems.append(
        Problem(
          folder: parts[0].trimmingCharacters(in: .whitespaces),
          title: parts[1].trimmingCharacters(in: .whitespaces)))
    }
    return problems
  }
}

/// A catalog that cannot be read.
public struct CatalogError: Error, Equatable, CustomStringConvertible {
  /// The catalog's path.
  public var path: String
  /// What is wrong.
  public var reason: String

  /// What to fix.
  public var description: String { "Cannot read the course catalog \(path): \(reason)" }
}
