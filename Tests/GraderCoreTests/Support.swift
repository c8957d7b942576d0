import Foundation
import GradeModel
import GraderCore

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// A temporary submission: the named problems copied from `Solutions/` (or `Exercises/` when
/// `stubs`), each rewritten by `edit`, plus extra files per problem.
func makeSubmission(
  _ problems: [Int], stubs: Bool = false, extra: [Int: [String: String]] = [:],
  edit: (Int, String) -> String = { $1 }
) throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("submission-\(UUID().uuidString)")
  for n in problems {
    let dir = folder.appendingPathComponent("Problem\(n)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let source = try String(
      contentsOf: packageRoot.appendingPathComponent(
        "\(stubs ? "Exercises" : "Solutions")/Problem\(n)/Problem\(n).swift"),
      encoding: .utf8)
    try edit(n, source).write(
      to: dir.appendingPathComponent("Problem\(n).swift"), atomically: true, encoding: .utf8)
    for (name, text) in extra[n] ?? [:] {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
  }
  return folder
}

/// The verdicts of a problem by case id.
func verdicts(_ result: GradeResult, _ problem: Int) -> [String: Verdict] {
  Dictionary(
    uniqueKeysWithValues: result.problems.first { $0.number == problem }!.cases.map {
      ($0.id, $0.verdict)
    })
}

/// Points of a problem.
func points(_ result: GradeResult, _ problem: Int) -> Double {
  result.problems.first { $0.number == problem }?.points ?? 0
}
