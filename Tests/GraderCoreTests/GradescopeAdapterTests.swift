import Foundation
import Testing

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs `Grader/gradescope/run_autograder` with a fake `/autograder` tree.
private func runAdapter(submission: (URL) throws -> Void) throws -> [String: Any] {
  let fake = FileManager.default.temporaryDirectory.appendingPathComponent(
    "autograder-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: fake) }
  try FileManager.default.createDirectory(
    at: fake.appendingPathComponent("submission"), withIntermediateDirectories: true)
  try FileManager.default.createSymbolicLink(
    at: fake.appendingPathComponent("source"), withDestinationURL: root)
  try submission(fake.appendingPathComponent("submission"))
  let binary = root.appendingPathComponent(".build/debug/grade")
  try #require(
    FileManager.default.isExecutableFile(atPath: binary.path), "build the grade tool first")
  let process = Process()
  process.executableURL = root.appendingPathComponent("Grader/gradescope/run_autograder")
  process.environment = [
    "AUTOGRADER_ROOT": fake.path, "GRADE_BIN": binary.path,
    "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
    "HOME": NSHomeDirectory(),
  ]
  process.standardOutput = FileHandle.nullDevice
  try process.run()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0)
  let data = try Data(contentsOf: fake.appendingPathComponent("results/results.json"))
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Test func runAutograderWritesGradescopeResults() throws {
  let results = try runAdapter { submission in
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("Solutions/Problem2"),
      to: submission.appendingPathComponent("Problem2"))
  }
  let score = try #require(results["score"] as? Double)
  let max = try #require(results["max_score"] as? Double)
  let tests = try #require(results["tests"] as? [[String: Any]])
  #expect(score > 0 && score < max)
  #expect(
    tests.contains {
      ($0["name"] as? String)?.hasPrefix("Problem 2") == true && $0["status"] as? String == "passed"
    })
  #expect(
    tests.allSatisfy {
      ["visible", "hidden", "after_due_date"].contains($0["visibility"] as? String ?? "")
    })
}

@Test func runAutograderReportsAnEmptySubmission() throws {
  let results = try runAdapter { submission in
    try "hello".write(
      to: submission.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
  }
  #expect(results["score"] as? Double == 0)
  #expect((results["output"] as? String)?.contains("No problem folder") == true)
}
