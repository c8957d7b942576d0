import Foundation
import GraderCore
import Testing

// A problem's cases are compiled once into a library that every submission's harness links:
// one cache entry serves different submissions, and any change to the case files makes a
// new one.

/// A fresh folder under the temporary directory.
private func temporaryFolder(_ name: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// The complete entries of a cache folder (not its locks).
private func entries(_ folder: URL) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    .filter { !$0.hasSuffix(".lock") }.sorted()
}

@Test func twoSubmissionsShareOneCaseLibrary() throws {
  let runtime = try Builder(packageRoot: packageRoot).buildRuntime()
  let build = try temporaryFolder("grader-build")
  defer { try? FileManager.default.removeItem(at: build) }
  let builder = Builder(packageRoot: packageRoot, buildFolder: build)
  // The reference solution and the generated stub: two different student modules.
  for stubs in [false, true] {
    let submission = try makeSubmission([1], stubs: stubs)
    defer { try? FileManager.default.removeItem(at: submission) }
    let compiled = try builder.compileSubmission(
      folder: "Problem1",
      files: [submission.appendingPathComponent("Problem1/Problem1.swift")], runtime: runtime,
      scratch: build.appendingPathComponent("scratch-\(stubs)"))
    #expect(compiled.executable != nil, "\(compiled.diagnostics)")
  }
  let found = entries(build.appendingPathComponent("cases"))
  #expect(found.count == 1, "\(found)")
  #expect(found.allSatisfy { $0.hasPrefix("Problem1-") }, "\(found)")
}

@Test func changingACaseFileMakesANewCaseLibrary() throws {
  let runtime = try Builder(packageRoot: packageRoot).buildRuntime()
  let course = try temporaryFolder("course")
  let build = try temporaryFolder("grader-build")
  defer {
    try? FileManager.default.removeItem(at: course)
    try? FileManager.default.removeItem(at: build)
  }
  let problem = course.appendingPathComponent("Grader/Problems/Problem1")
  try FileManager.default.createDirectory(at: problem, withIntermediateDirectories: true)
  for name in ["Cases.swift", "Student.swift"] {
    try FileManager.default.copyItem(
      at: packageRoot.appendingPathComponent("Grader/Problems/Problem1/\(name)"),
      to: problem.appendingPathComponent(name))
  }
  let builder = Builder(packageRoot: course, runtimePackage: packageRoot, buildFolder: build)
  let first = try builder.caseLibrary(folder: "Problem1", runtime: runtime)
  #expect(first.types.contains("API") && first.types.contains("Cases"), "\(first.types)")
  let again = try builder.caseLibrary(folder: "Problem1", runtime: runtime)
  #expect(again.folder.path == first.folder.path && again.module == first.module)

  // An edit to a case file.
  let cases = problem.appendingPathComponent("Cases.swift")
  try (String(contentsOf: cases, encoding: .utf8) + "\n// One more line.\n")
    .write(to: cases, atomically: true, encoding: .utf8)
  let edited = try builder.caseLibrary(folder: "Problem1", runtime: runtime)
  #expect(edited.folder.path != first.folder.path)

  // A new `Cases+<concern>.swift` beside it, with a type of its own.
  try "enum Extra {}\n".write(
    to: problem.appendingPathComponent("Cases+Extra.swift"), atomically: true, encoding: .utf8)
  let added = try builder.caseLibrary(folder: "Problem1", runtime: runtime)
  #expect(added.folder.path != edited.folder.path && added.folder.path != first.folder.path)
  #expect(added.types.contains("Extra"), "\(added.types)")
  #expect(entries(build.appendingPathComponent("cases")).count == 3)
}
