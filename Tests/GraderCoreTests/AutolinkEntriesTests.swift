import Foundation
import Testing

@testable import GraderCore

// The autolink entries read in the grader must be the ones the toolchain's own
// `swift-autolink-extract` writes for the same object (the link does not depend on their
// order), and anything not read with certainty is left to the tool.

/// A folder with `Lib.o`, compiled from a file that imports Foundation (so its object asks
/// for many libraries), and the toolchain's extractor.
private func compiledObject() throws -> (folder: URL, object: URL, tool: String) {
  let swiftc = try #require(Builder.swiftcOnPath)
  let tool = swiftc.deletingLastPathComponent().appendingPathComponent("swift-autolink-extract")
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("autolink-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let source = folder.appendingPathComponent("Lib.swift")
  try "import Foundation\npublic func now() -> Double { Date().timeIntervalSince1970 }\n"
    .write(to: source, atomically: true, encoding: .utf8)
  let object = folder.appendingPathComponent("Lib.o")
  let built = try Command.run(
    "/usr/bin/env", ["swiftc", "-parse-as-library", "-c", source.path, "-o", object.path],
    timeout: 120)
  #expect(built.status == 0, "\(built.output)")
  return (folder, object, tool.path)
}

@Test func theEntriesReadHereAreTheExtractorsOwn() throws {
  let (folder, object, tool) = try compiledObject()
  defer { try? FileManager.default.removeItem(at: folder) }
  let byTool = folder.appendingPathComponent("tool.autolink")
  let ran = try Command.run(tool, [object.path, "-o", byTool.path], timeout: 60)
  #expect(ran.status == 0, "\(ran.output)")
  let expected = try String(contentsOf: byTool, encoding: .utf8).split(separator: "\n")
    .map(String.init)
  #expect(expected.contains("-lswiftCore") && expected.contains("-lFoundation"), "\(expected)")

  let entries = try #require(
    AutolinkEntries.entriesOfELF(Array(try Data(contentsOf: object))))
  #expect(Set(entries) == Set(expected))
  // The job done here writes each of them once; twice the same object changes nothing.
  let here = folder.appendingPathComponent("here.autolink")
  #expect(AutolinkEntries.extract([tool, object.path, object.path, "-o", here.path]))
  let written = try String(contentsOf: here, encoding: .utf8).split(separator: "\n")
    .map(String.init)
  #expect(Set(written) == Set(expected))
  #expect(written.count == Set(written).count)
}

@Test func whatIsNotReadWithCertaintyIsLeftToTheTool() throws {
  let (folder, object, tool) = try compiledObject()
  defer { try? FileManager.default.removeItem(at: folder) }
  let out = folder.appendingPathComponent("out.autolink").path
  var bytes = Array(try Data(contentsOf: object))

  // Not an object file, a truncated one, another tool, an unknown flag.
  #expect(AutolinkEntries.entriesOfELF(Array("!<arch>\n".utf8)) == nil)
  #expect(AutolinkEntries.entriesOfELF(Array(bytes.prefix(100))) == nil)
  #expect(!AutolinkEntries.extract(["/usr/bin/ld.lld", object.path, "-o", out]))
  #expect(!AutolinkEntries.extract([tool, "-static", object.path, "-o", out]))
  #expect(
    !AutolinkEntries.extract([tool, folder.appendingPathComponent("none.o").path, "-o", out]))

  // An entry that is not an `-l` flag: `-lswiftCore` made `-XswiftCore` in the section.
  let needle = Array("-lswiftCore\u{0}".utf8)
  let at = try #require(bytes.firstRange(of: needle)?.lowerBound)
  bytes[at + 1] = UInt8(ascii: "X")
  let patched = folder.appendingPathComponent("patched.o")
  try Data(bytes).write(to: patched)
  #expect(AutolinkEntries.entriesOfELF(bytes)?.contains("-XswiftCore") == true)
  #expect(!AutolinkEntries.extract([tool, patched.path, "-o", out]))
  #expect(!FileManager.default.fileExists(atPath: out))
}
