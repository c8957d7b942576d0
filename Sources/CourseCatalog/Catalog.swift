import Foundation

/// The course's problems, read from `Solutions/catalog.json`: the one list every part of
/// the project reads (the package manifest, the grader, `course`, the release, the tests).
///
/// Everything about a problem is found from its folder name: `Solutions/<folder>` (solution,
/// guide), `Exercises/<folder>` (the generated stub) and `Grader/Problems/<folder>` (cases,
/// mistakes, rubric).
public struct Catalog: Sendable, Equatable {
  /// One problem of the catalog.
  public struct Problem: Codable, Sendable, Equatable {
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
    packageRoot.appendingPathComponent("Solutions/catalog.json")
  }

  /// Reads and checks the catalog of the package at `packageRoot`.
  public static func load(packageRoot: URL) throws -> Catalog {
    try load(file: path(packageRoot: packageRoot))
  }

  /// Reads and checks a catalog file.
  public static func load(file url: URL) throws -> Catalog {
    struct File: Codable { var problems: [Problem] }
    let file: File
    do {
      file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    } catch {
      throw CatalogError(path: url.path, reason: "\(error)")
    }
    var seen = Set<Int>()
    for problem in file.problems {
      guard problem.folder.wholeMatch(of: /Problem[1-9][0-9]{0,2}/) != nil else {
        throw CatalogError(
          path: url.path, reason: "'\(problem.folder)' is not a folder name of the form ProblemN")
      }
      guard seen.insert(problem.number).inserted else {
        throw CatalogError(path: url.path, reason: "\(problem.folder) is listed twice")
      }
    }
    return Catalog(problems: file.problems)
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
