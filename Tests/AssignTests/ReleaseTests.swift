import Assign
import CourseCatalog
import Foundation
import Testing

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs a command in `folder`, returning its exit status and combined output.
private func run(_ arguments: [String], in folder: URL) throws -> (Int32, String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = arguments
  process.currentDirectoryURL = folder
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Every regular file under `folder`.
private func files(under folder: URL) -> [URL] {
  let walker = FileManager.default.enumerator(
    at: folder, includingPropertiesForKeys: [.isRegularFileKey])
  return (walker?.allObjects as? [URL] ?? []).filter {
    (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
  }
}

@Test func theStudentReleaseHoldsNoSolutionNoHiddenCaseAndWorks() throws {
  let release = FileManager.default.temporaryDirectory.appendingPathComponent(
    "release-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: release) }
  try StudentRelease.write(packageRoot: root, to: release)

  // Small, and free of anything the students must not have.
  let all = files(under: release)
  let bytes = all.reduce(0) {
    $0 + ((try? $1.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
  }
  #expect(bytes < 5 << 20, "the release holds \(bytes) bytes")
  var forbidden: [String] = []
  let folders = try Catalog.load(packageRoot: root).problems.map(\.folder)
  for folder in folders {
    let source = try String(
      contentsOf: root.appendingPathComponent("Solutions/\(folder)/\(folder).swift"),
      encoding: .utf8)
    var inRegion = false
    for line in source.split(separator: "\n") {
      let text = line.trimmingCharacters(in: .whitespaces)
      if text.hasPrefix("// BEGIN SOLUTION") {
        inRegion = true
      } else if text.hasPrefix("// END SOLUTION") {
        inRegion = false
      } else if inRegion && text.count > 12 {
        forbidden.append(text)
      }
    }
  }
  // Lines a solution shares with the library, the guides or the given code (`loss.backward()`,
  // `var total = 0.0`) say nothing about it: only the others must stay out of the release.
  let shared =
    ([root.appendingPathComponent("Sources"), root.appendingPathComponent("docs")]
    .flatMap(files(under:)) + files(under: root.appendingPathComponent("Exercises"))
    + folders.map { root.appendingPathComponent("Solutions/\($0)/guide.md") })
    .map { String(decoding: (try? Data(contentsOf: $0)) ?? Data(), as: UTF8.self) }
  forbidden = forbidden.filter { line in !shared.contains { $0.contains(line) } }
  let rubric = try folders.map {
    try String(
      contentsOf: root.appendingPathComponent("Grader/Problems/\($0)/rubric.yaml"), encoding: .utf8)
  }.joined(separator: "\n")
  let blocks = rubric.components(separatedBy: "- id: ").dropFirst()
  for block in blocks where block.contains("visibility: hidden") || block.contains("after_due_date")
  {
    let id = String(block.prefix { !$0.isNewline })
    forbidden.append(id)
    if let name = block.split(separator: "\n").first(where: { $0.contains("name: ") }) {
      forbidden.append(
        String(name.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces))
    }
  }
  forbidden += ["BEGIN SOLUTION", "rubric.yaml", "JudgeProgram", "Mistakes.all"]
  #expect(forbidden.count > 30)
  for file in all {
    let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
    for line in forbidden where text.contains(line) {
      Issue.record("\(file.path.dropFirst(release.path.count)) holds \(line)")
    }
  }
  #expect(!FileManager.default.fileExists(atPath: release.appendingPathComponent("Solutions").path))
  #expect(!FileManager.default.fileExists(atPath: release.appendingPathComponent("Grader").path))
  let manifest = try String(
    contentsOf: release.appendingPathComponent("Package.swift"), encoding: .utf8)
  #expect(!manifest.contains("path: \"..") && !manifest.contains(root.path))

  // It builds on its own; the untouched stubs fail every public check as not implemented.
  let (built, buildOutput) = try run(["swift", "build", "--build-tests"], in: release)
  try #require(built == 0, "\(buildOutput.suffix(2000))")
  let (status, output) = try run(
    ["swift", "test", "--skip-build", "--filter", "PublicChecks"], in: release)
  #expect(status != 0)
  // Every check of every problem stops at a todo, and says which task in its own words:
  // never the exit-test plumbing.
  let notImplemented = output.components(separatedBy: "not implemented: Problem ").count - 1
  #expect(notImplemented >= 14, "\(output.suffix(3000))")
  #expect(!output.contains("exitCode(86)"), "\(output.suffix(3000))")
  #expect(!output.contains("→ .signal"), "\(output.suffix(3000))")

  // A failing check prints its own message.
  let problem2 = release.appendingPathComponent("Exercises/Problem2/Problem2.swift")
  let stub = try String(contentsOf: problem2, encoding: .utf8)
  try stub.replacingOccurrences(
    of: #"todo("Problem 2, task 1: the ridge loss with λ on w only")"#,
    with: "(x.matmul(w) + b - y).pow(2).mean()"
  ).write(to: problem2, atomically: true, encoding: .utf8)
  let (_, wrong) = try run(
    ["swift", "test", "--filter", "PublicChecks.Problem2Checks/ridgeLossOfAHandMadeCase"],
    in: release)
  #expect(wrong.contains("check failed: got 0.0, expected 2"), "\(wrong.suffix(3000))")
  try stub.write(to: problem2, atomically: true, encoding: .utf8)

  // Every command the README and the guides show exists in the package.
  for command in [
    ["swift", "run", "course", "run", "1", "--json"], ["swift", "run", "course", "--help"],
  ] {
    let (code, text) = try run(command, in: release)
    #expect(text.contains("not implemented") || code == 0, "\(command): \(text.suffix(1000))")
  }
  let guides =
    files(under: release.appendingPathComponent("docs")) + [
      release.appendingPathComponent("README.md")
    ]
  for guide in guides {
    let text = String(decoding: (try? Data(contentsOf: guide)) ?? Data(), as: UTF8.self)
    for match in text.matches(of: /swift run (-c release )?([a-z]+)/) {
      #expect(match.2 == "course", "\(guide.lastPathComponent) names `swift run \(match.2)`")
    }
    for match in text.matches(of: /scripts\/([a-z]+)/) {
      #expect(
        FileManager.default.fileExists(
          atPath: release.appendingPathComponent("scripts/\(match.1)").path),
        "\(guide.lastPathComponent) names scripts/\(match.1)")
    }
    #expect(!text.contains("--solution"), "\(guide.lastPathComponent) names --solution")
  }
  let (libraryStatus, libraryOutput) = try run(
    ["swift", "test", "--skip-build", "--filter", "LibraryTests"], in: release)
  #expect(libraryStatus == 0, "\(libraryOutput.suffix(2000))")

  // With the reference solutions copied in, every public check passes.
  for folder in folders {
    let target = release.appendingPathComponent("Exercises/\(folder)/\(folder).swift")
    try FileManager.default.removeItem(at: target)
    try FileManager.default.copyItem(
      at: root.appendingPathComponent("Solutions/\(folder)/\(folder).swift"), to: target)
  }
  let (solved, solvedOutput) = try run(["swift", "test", "--filter", "PublicChecks"], in: release)
  #expect(solved == 0, "\(solvedOutput.suffix(3000))")
}
