import CourseCatalog
import Foundation

/// Writes the students' package: the library, the generated exercises, the guides and the
/// public checks, and nothing of the reference solutions, the rubric or the hidden cases.
public enum StudentRelease {
  /// Why a release could not be written.
  public struct Failure: Error, CustomStringConvertible {
    /// What went wrong.
    public let reason: String
    /// The reason.
    public var description: String { reason }
  }

  /// Folders copied as they are, relative to the instructor's package root.
  static let copied = [
    "Sources/CBLAS", "Sources/CVectorMath", "Sources/Autograd", "Sources/Courseware",
    "docs/problems",
  ]

  /// Files made from the templates in `Grader/Release`, by path in the release.
  static let templates: [(template: String, path: String, executable: Bool)] = [
    ("Package.swift.txt", "Package.swift", false),
    ("Course.swift.txt", "Sources/course/Course.swift", false),
    ("LibraryTests.swift.txt", "Tests/LibraryTests/LibraryTests.swift", false),
    ("README.md.txt", "README.md", false),
    ("check.txt", "scripts/check", true),
    ("test.txt", "scripts/test", true),
    ("setup.txt", "scripts/setup", true),
  ]

  /// Writes the release into `destination` (which must not exist or be empty).
  public static func write(packageRoot root: URL, to destination: URL) throws {
    let manager = FileManager.default
    if let contents = try? manager.contentsOfDirectory(atPath: destination.path), !contents.isEmpty
    {
      throw Failure(reason: "\(destination.path) is not empty; choose a new folder")
    }
    try manager.createDirectory(at: destination, withIntermediateDirectories: true)
    for folder in copied {
      let target = destination.appendingPathComponent(folder)
      try manager.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try manager.copyItem(at: root.appendingPathComponent(folder), to: target)
    }
    // The exercises are generated afresh from the solutions, never copied from a folder that
    // someone might have filled in.
    for (path, text) in try StubGenerator.exercises(
      fromSolutions: root.appendingPathComponent("Solutions"))
    {
      let url = destination.appendingPathComponent("Exercises").appendingPathComponent(path)
      try manager.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    let release = root.appendingPathComponent("Grader/Release")
    for (template, path, executable) in templates {
      let url = destination.appendingPathComponent(path)
      try manager.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try manager.copyItem(at: release.appendingPathComponent(template), to: url)
      if executable {
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
      }
    }
    // The catalog, the course tool's table and each problem's public checks, for the
    // problems of the catalog.
    let catalog = try Catalog.load(packageRoot: root)
    let folders = catalog.problems.map(\.folder)
    try manager.copyItem(
      at: Catalog.path(packageRoot: root), to: destination.appendingPathComponent("catalog.txt"))
    try courseRegistry(folders: folders).write(
      to: destination.appendingPathComponent("Sources/course/Problems.swift"), atomically: true,
      encoding: .utf8)
    let checks = destination.appendingPathComponent("Tests/PublicChecks")
    try manager.createDirectory(at: checks, withIntermediateDirectories: true)
    try manager.copyItem(
      at: release.appendingPathComponent("PublicChecks/Support.swift"),
      to: checks.appendingPathComponent("Support.swift"))
    // Each problem's guide lives beside its solution; students get it beside the index.
    let index = destination.appendingPathComponent("docs/problems/README.md")
    var indexText = try String(contentsOf: index, encoding: .utf8)
    for folder in folders {
      let guide = root.appendingPathComponent("Solutions/\(folder)/guide.md")
      guard manager.fileExists(atPath: guide.path) else { continue }
      let name = "\(folder.lowercased()).md"
      let text = try String(contentsOf: guide, encoding: .utf8)
        .replacingOccurrences(of: "../../docs/problems/README.md", with: "README.md")
      try text.write(
        to: destination.appendingPathComponent("docs/problems/\(name)"), atomically: true,
        encoding: .utf8)
      indexText = indexText.replacingOccurrences(
        of: "../../Solutions/\(folder)/guide.md", with: name)
    }
    try indexText.write(to: index, atomically: true, encoding: .utf8)
    for folder in folders {
      let file = root.appendingPathComponent("Grader/Problems/\(folder)/PublicChecks.swift")
      guard manager.fileExists(atPath: file.path) else { continue }
      try manager.copyItem(at: file, to: checks.appendingPathComponent("\(folder)Checks.swift"))
    }
    try ".build*/\nPackage.resolved\n.swiftpm/\n".write(
      to: destination.appendingPathComponent(".gitignore"), atomically: true, encoding: .utf8)
  }

  /// The student `course` tool's table of problem reports (exercises only), from the catalog.
  static func courseRegistry(folders: [String]) -> String {
    let entries = folders.map { "  \($0.dropFirst("Problem".count)): { \($0).report(seed: $0) }," }
    return """
      // Made from the course's catalog; do not edit.

      import Courseware
      \(folders.map { "import \($0)" }.joined(separator: "\n"))

      /// Each problem's report by number.
      let problemReports: [Int: @Sendable (UInt64) -> Report] = [
      \(entries.joined(separator: "\n"))
      ]

      """
  }
}
