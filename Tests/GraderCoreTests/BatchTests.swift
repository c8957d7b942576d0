import Foundation
import GradeModel
import GradeReports
import GraderCore
import Testing

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// A batch folder of `count` students holding problem 2: some solved, some stubs, one with
/// a compile error, and an archive that is not one.
private func makeBatch(_ count: Int) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "batch-\(UUID().uuidString)")
  let solution = try String(
    contentsOf: root.appendingPathComponent("Solutions/Problem2/Problem2.swift"), encoding: .utf8)
  let stub = try String(
    contentsOf: root.appendingPathComponent("Exercises/Problem2/Problem2.swift"), encoding: .utf8)
  for i in 0..<count {
    let dir = folder.appendingPathComponent(String(format: "student%02d/Problem2", i))
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let text =
      switch i % 3 {
      case 0: solution
      case 1: stub
      default: solution.replacingOccurrences(of: "let residual =", with: "let residual ==")
      }
    try text.write(
      to: dir.appendingPathComponent("Problem2.swift"), atomically: true, encoding: .utf8)
  }
  try Data("not a zip".utf8).write(to: folder.appendingPathComponent("broken.zip"))
  return folder
}

/// Adds a student whose problem 2 starts a fork bomb, graded alongside the others.
private func addForkBomb(to folder: URL) throws {
  let dir = folder.appendingPathComponent("bomber/Problem2")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  let anchor = "  // BEGIN SOLUTION: task 1, the ridge loss with λ on w only\n"
  let bomb = """
    for _ in 0..<5_000 {
      var pid: pid_t = 0
      let args: [UnsafeMutablePointer<CChar>?] = [strdup("sh"), strdup("-c"), strdup("sleep 60"), nil]
      _ = posix_spawn(&pid, "/bin/sh", nil, nil, args, nil)
    }

    """
  let source = try String(
    contentsOf: root.appendingPathComponent("Solutions/Problem2/Problem2.swift"), encoding: .utf8)
  try
    ("import Foundation\nimport Glibc\n"
    + source.replacingOccurrences(of: anchor, with: anchor + bomb))
    .write(to: dir.appendingPathComponent("Problem2.swift"), atomically: true, encoding: .utf8)
}

private func options(_ folder: URL, out: URL, shard: (Int, Int)? = nil) -> BatchOptions {
  BatchOptions(
    folder: folder.path, out: out, jobs: 2, shard: shard.map { (index: $0.0, count: $0.1) },
    grading: GradeOptions(submission: "", problems: [2], publicOnly: true))
}

private func grade(_ options: BatchOptions) throws -> (entries: [BatchEntry], skipped: [String]) {
  let skipped = Collected()
  let entries = try BatchGrader(grader: Grader(packageRoot: root)).run(
    options,
    report: { result, folder in
      try MarkdownReport.render(result).write(
        to: folder.appendingPathComponent("feedback.md"), atomically: true, encoding: .utf8)
    }, progress: { if $0.skipped { skipped.add($0.student) } })
  return (entries, skipped.values)
}

private final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ s: String) {
    lock.lock()
    items.append(s)
    lock.unlock()
  }
  var values: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}

@Test func aBatchGradesEveryStudentAndSurvivesBrokenOnes() throws {
  let folder = try makeBatch(4)
  try addForkBomb(to: folder)
  let out = folder.appendingPathExtension("out")
  defer {
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.removeItem(at: out)
  }
  let (entries, skipped) = try grade(options(folder, out: out))
  #expect(skipped.isEmpty)
  #expect(
    entries.map(\.student) == [
      "bomber", "broken", "student00", "student01", "student02", "student03",
    ])
  let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.student, $0) })
  // Solved submissions score every point, the one graded beside a fork bomb included.
  #expect(byName["student00"]?.result?.percent == 100)
  #expect(byName["student03"]?.result?.percent == 100)
  #expect(byName["student01"]?.result?.points == 0)
  #expect(byName["student02"]?.result?.problems.first?.status == .compileError)
  #expect(byName["broken"]?.result == nil)
  #expect(byName["broken"]?.error?.contains("not a readable zip archive") == true)
  let csv = Gradebook.csv(entries)
  #expect(csv.hasPrefix("student,entry,problem2,total,max,percent,status,reason\n"))
  #expect(csv.contains("student00,student00,6,6,6,100,graded,\n"))
  #expect(csv.contains("broken,broken.zip,,0,,0,not gradable,"))
  #expect(
    FileManager.default.fileExists(
      atPath: out.appendingPathComponent("students/student00/feedback.md").path))
}

@Test func threeShardsMergeToTheGradebookOfOneRun() throws {
  let folder = try makeBatch(6)
  let outs = (0...3).map { folder.appendingPathExtension("out\($0)") }
  defer {
    try? FileManager.default.removeItem(at: folder)
    for out in outs { try? FileManager.default.removeItem(at: out) }
  }
  let whole = try grade(options(folder, out: outs[0])).entries
  var shardEntries: [[BatchEntry]] = []
  for i in 1...3 {
    shardEntries.append(try grade(options(folder, out: outs[i], shard: (i, 3))).entries)
  }
  // The shards are disjoint and together cover every student.
  let names = shardEntries.flatMap { $0.map(\.student) }
  #expect(Set(names).count == names.count)
  let merged = BatchGrader.entries(in: Array(outs[1...3]))
  #expect(Gradebook.csv(merged) == Gradebook.csv(whole))
}

@Test func aRestartedBatchSkipsWhatIsGradedAndUnchanged() throws {
  let folder = try makeBatch(5)
  let out = folder.appendingPathExtension("out")
  defer {
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.removeItem(at: out)
  }
  // A real interruption: the grade command killed once two students are done.
  let binary = root.appendingPathComponent(".build/debug/grade")
  try #require(
    FileManager.default.isExecutableFile(atPath: binary.path), "build the grade tool first")
  let process = Process()
  process.executableURL = binary
  process.arguments = [
    folder.path, "--out", out.path, "--jobs", "1", "--problems", "2", "--public",
  ]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  try process.run()
  let deadline = Date().addingTimeInterval(300)
  func done() -> Int {
    BatchGrader.entries(in: [out]).count
  }
  while done() < 2 && Date() < deadline && process.isRunning { usleep(100_000) }
  kill(process.processIdentifier, SIGKILL)
  process.waitUntilExit()
  let before = BatchGrader.entries(in: [out])
  #expect(before.count >= 2 && before.count < 6, "\(before.count) students were done when killed")
  let (entries, skipped) = try grade(options(folder, out: out))
  #expect(entries.count == 6)
  #expect(Set(skipped) == Set(before.map(\.student)))
  // A changed submission is graded again; an unchanged one is not.
  let changed = folder.appendingPathComponent("student00/Problem2/Problem2.swift")
  try (String(contentsOf: changed, encoding: .utf8) + "\n// edited\n").write(
    to: changed, atomically: true, encoding: .utf8)
  let again = try grade(options(folder, out: out))
  #expect(!again.skipped.contains("student00"))
  #expect(again.skipped.count == 5)
}
