import Assign
import Foundation
import GradeModel
import GradeReports
import Testing
import ZIPFoundation

@testable import GraderCore

/// What a batch is, which entries it has and how they reach the gradebook, checked without
/// compiling anything: submissions go through a stand-in grader that opens each one (the
/// real submission and archive code) and scores one point per Swift file found.

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

private func folder(_ tag: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "entries-\(tag)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Writes `files` (relative path → text) under `base`.
private func write(_ files: [String: String], under base: URL) throws {
  for (path, text) in files {
    let url = base.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
}

/// Zips the folder `source` (its contents under its own name) into `zip`.
private func zipFolder(_ source: URL, to zip: URL) throws {
  try FileManager.default.zipItem(at: source, to: zip, shouldKeepParent: true)
}

/// One point per Swift file of each problem found, through `Submission.open`.
private let standIn: @Sendable (GradeOptions) throws -> GradeResult = { options in
  let work = FileManager.default.temporaryDirectory.appendingPathComponent(
    "entries-grade-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: work) }
  let submission = try Submission.open(options.submission, scratch: work)
  let problems = submission.problemFiles.keys.sorted().map { n in
    let count = Double(submission.problemFiles[n]?.count ?? 0)
    return ProblemResult(
      number: n, title: "Problem \(n)", status: .graded,
      cases: [
        CaseResult(
          id: "p\(n).files", name: "files", visibility: .visible, points: count,
          maxPoints: count, verdict: .passed)
      ])
  }
  return GradeResult(
    submission: submission.name, problems: problems,
    isolation: Isolation(
      sandboxed: false, description: "stand-in",
      limits: Limits(
        wallSeconds: 1, cpuSeconds: 1, memoryMiB: 1, processes: 1, fileSizeMiB: 1,
        outputBytes: 1)),
    publicOnly: true, seconds: 0)
}

/// A student package as `course release` writes it, with its Exercises.
private func release(into destination: URL) throws {
  try StudentRelease.write(packageRoot: root, to: destination)
}

@Test func theReleasedPackageIsOneSubmissionAsAFolderAndAsAZip() throws {
  let base = try folder("release")
  defer { try? FileManager.default.removeItem(at: base) }
  let package = base.appendingPathComponent("student-package")
  try release(into: package)
  // A decoy as deep as Exercises: the Exercises folder is preferred.
  try write(["backup/Problem1/Old.swift": "// old\n"], under: package)
  #expect(!BatchGrader.isBatch(package.path))
  let opened = try Submission.open(package.path, scratch: base.appendingPathComponent("s1"))
  #expect(opened.name == "student-package")
  #expect(Set(opened.problemFiles.keys) == [1, 2, 3, 4, 5])
  #expect(opened.problemFiles[1]?.allSatisfy { $0.path.contains("/Exercises/Problem1/") } == true)
  let zip = base.appendingPathComponent("student-package.zip")
  try zipFolder(package, to: zip)
  let fromZip = try Submission.open(zip.path, scratch: base.appendingPathComponent("s2"))
  #expect(fromZip.name == "student-package")
  #expect(Set(fromZip.problemFiles.keys) == [1, 2, 3, 4, 5])
  #expect(
    fromZip.problemFiles.mapValues { $0.map(\.lastPathComponent) }
      == opened.problemFiles.mapValues { $0.map(\.lastPathComponent) })
}

@Test func problemFoldersOfAnyNumberAreFoundAtAnyDepth() throws {
  let base = try folder("depth")
  defer { try? FileManager.default.removeItem(at: base) }
  try write(
    [
      "a/b/c/Problem7/P.swift": "", "a/b/c/Problem12/Q.swift": "", "a/b/c/Problem2/notes.txt": "",
      "a/b/c/Problemx/R.swift": "", "a/b/c/Problem3/main.swift": "",
    ], under: base)
  let found = Submission.problems(in: base)
  #expect(Set(found.keys) == [2, 3, 7, 12])
  #expect(found[7]?.map(\.lastPathComponent) == ["P.swift"])
  #expect(found[2] == [] && found[3] == [])
  #expect(Submission.problemNumber("Problem05") == 5)
  for name in ["Problem", "Problem-1", "Problem1a", "Problem１", "problem1"] {
    #expect(Submission.problemNumber(name) == nil, "\(name)")
  }
}

@Test func whatCountsAsABatch() throws {
  let base = try folder("rule")
  defer { try? FileManager.default.removeItem(at: base) }
  let one = base.appendingPathComponent("one")
  try write(["Problem1/P.swift": ""], under: one)
  #expect(!BatchGrader.isBatch(one.path))
  let wrapper = base.appendingPathComponent("wrapper")
  try write(["alice/Exercises/Problem1/P.swift": ""], under: wrapper)
  #expect(!BatchGrader.isBatch(wrapper.path))
  // Zips plus exactly one folder: a batch of all of them.
  let mixed = base.appendingPathComponent("mixed")
  try write(["carol/Problem1/P.swift": ""], under: mixed)
  for name in ["alice", "bob"] {
    let student = base.appendingPathComponent("src-\(name)")
    try write(["Problem1/P.swift": ""], under: student)
    try zipFolder(student, to: mixed.appendingPathComponent("\(name).zip"))
  }
  #expect(BatchGrader.isBatch(mixed.path))
  let lone = base.appendingPathComponent("lone")
  try FileManager.default.createDirectory(at: lone, withIntermediateDirectories: true)
  try FileManager.default.copyItem(
    at: mixed.appendingPathComponent("alice.zip"), to: lone.appendingPathComponent("alice.zip"))
  #expect(BatchGrader.isBatch(lone.path))
  #expect(!BatchGrader.isBatch(mixed.appendingPathComponent("alice.zip").path))
}

@Test func idsAreSafeAndDistinct() {
  #expect(
    BatchGrader.ids(for: ["alice", "alice.zip", "Alice"]) == ["alice", "alice-2", "Alice-3"])
  #expect(BatchGrader.safeID("..zip") == "entry")
  #expect(BatchGrader.safeID("\u{1B}[2Kév\u{202E}il.ZIP") == "__2K_v_il")
  #expect(BatchGrader.safeID(String(repeating: "x", count: 100)).count == 64)
  #expect(BatchGrader.ids(for: ["a b", "a_b", "a?b"]) == ["a_b", "a_b-2", "a_b-3"])
}

@Test func everyEntryOfABatchIsInTheGradebookExactlyOnce() throws {
  let base = try folder("batch")
  defer { try? FileManager.default.removeItem(at: base) }
  let batch = base.appendingPathComponent("batch")
  try write(
    [
      "alice/Problem1/P.swift": "", "alice/Problem2/P.swift": "",
      "Alice/Problem1/P.swift": "",
      // A student folder with the gradebook's name must not break the batch.
      "gradebook.csv/Problem1/P.swift": "",
      "summary.md": "# not a submission\n",
      "empty/readme.txt": "",
      ".DS_Store": "",
    ], under: batch)
  let source = base.appendingPathComponent("alice")
  try write(["Problem1/A.swift": "", "Problem1/B.swift": ""], under: source)
  try zipFolder(source, to: batch.appendingPathComponent("alice.zip"))
  // A name that would rewrite a terminal line and reverse the text after it.
  let evil = "\u{1B}[2K\u{1B}[1Aall passed \u{202E}piz"
  try zipFolder(source, to: batch.appendingPathComponent("\(evil).zip"))
  try release(into: batch.appendingPathComponent("package"))
  let package = base.appendingPathComponent("package2")
  try release(into: package)
  try zipFolder(package, to: batch.appendingPathComponent("package2.zip"))
  // A bomb (16 MiB of zeros in about 16 KiB): refused, and the rest of the batch graded.
  let bomb = try Archive(url: batch.appendingPathComponent("bomb.zip"), accessMode: .create)
  try bomb.addEntry(
    with: "Problem1/P.swift", type: .file, uncompressedSize: Int64(16 << 20),
    compressionMethod: .deflate, provider: { _, size in Data(count: size) })
  try FileManager.default.createSymbolicLink(
    at: batch.appendingPathComponent("link"), withDestinationURL: URL(fileURLWithPath: "/etc"))

  let names = try FileManager.default.contentsOfDirectory(atPath: batch.path)
    .filter { $0 != ".DS_Store" }
  let out = base.appendingPathComponent("out")
  let grader = BatchGrader(grader: try Grader(packageRoot: root), grade: standIn)
  let entries = try grader.run(
    BatchOptions(
      folder: batch.path, out: out, jobs: 2,
      grading: GradeOptions(submission: "", publicOnly: true)),
    report: { result, folder in
      try MarkdownReport.render(result).write(
        to: folder.appendingPathComponent("feedback.md"), atomically: true, encoding: .utf8)
    }, progress: { _ in })
  #expect(entries.count == names.count)
  #expect(Set(entries.compactMap(\.entry)) == Set(names))
  #expect(Set(entries.map(\.student)).count == entries.count)
  let byEntry = Dictionary(uniqueKeysWithValues: entries.map { ($0.entry ?? "", $0) })
  #expect(byEntry["alice"]?.result?.points == 2)
  #expect(byEntry["alice.zip"]?.result?.points == 2)
  // Ids follow the sorted names: Alice, alice, alice.zip.
  #expect(byEntry["Alice"]?.student == "Alice")
  #expect(byEntry["alice"]?.student == "alice-2")
  #expect(byEntry["alice.zip"]?.student == "alice-3")
  #expect(byEntry["gradebook.csv"]?.result?.points == 1)
  #expect(byEntry["package"]?.result?.problems.map(\.number) == [1, 2, 3, 4, 5])
  #expect(byEntry["package2.zip"]?.result?.problems.map(\.number) == [1, 2, 3, 4, 5])
  #expect(byEntry["summary.md"]?.error?.contains("neither a folder nor a .zip") == true)
  #expect(byEntry["link"]?.error?.contains("link") == true)
  #expect(byEntry["empty"]?.error?.contains("no problem folder") == true)
  #expect(byEntry["bomb.zip"]?.result == nil)
  #expect(byEntry["bomb.zip"]?.error?.contains("zip bomb") == true)
  #expect(byEntry["\(evil).zip"]?.result?.points == 2)

  // The gradebook: a header and one row per entry, each entry's name once.
  let csv = Gradebook.csv(entries)
  let rows = csv.split(separator: "\n").dropFirst()
  #expect(rows.count == names.count)
  #expect(csv.hasPrefix("student,entry,problem1,problem2,problem3,problem4,problem5,"))
  #expect(!csv.unicodeScalars.contains("\u{1B}") && !csv.unicodeScalars.contains("\u{202E}"))
  #expect(csv.contains("\\u{001B}[2K"))
  #expect(
    rows.filter { $0.hasPrefix("bomb,bomb.zip,") && $0.contains(",not gradable,") }.count == 1)
  // Students' reports are under students/, so gradebook.csv is the batch's own file.
  #expect(
    FileManager.default.fileExists(
      atPath: out.appendingPathComponent("students/gradebook.csv/feedback.md").path))
  // A second run skips everything, and lists the same entries.
  let again = try grader.run(
    BatchOptions(
      folder: batch.path, out: out, jobs: 1,
      grading: GradeOptions(submission: "", publicOnly: true)),
    report: { _, _ in }, progress: { _ in })
  #expect(Gradebook.csv(again) == csv)
}
