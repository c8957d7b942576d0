import Foundation
import Testing
import ZIPFoundation

@testable import GraderCore

/// Archive extraction: bombs, oversized and lying archives are refused with a reason before
/// (or while) anything large is written; escaping paths are refused; links are skipped; an
/// ordinary archive is extracted as it is, without the grader's privileges.

/// A fresh folder under the temporary folder, removed by the caller.
private func scratch(_ tag: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "archive-\(tag)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Writes a zip at `url` holding `entries` (path, contents; a path ending in `/` is a
/// folder), deflated.
private func makeZip(_ url: URL, _ entries: [(String, Data)]) throws {
  let archive = try Archive(url: url, accessMode: .create)
  for (path, data) in entries {
    if path.hasSuffix("/") {
      try archive.addEntry(
        with: path, type: .directory, uncompressedSize: Int64(0), provider: { _, _ in Data() })
    } else {
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(data.count),
        compressionMethod: .deflate,
        provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }
  }
}

/// Small limits, so that the tests stay fast: 4 MiB in all, 2 MiB per file, 20 entries,
/// ratio 50 above 64 KiB, 4 folders deep.
private let small = ArchiveLimits(
  archiveBytes: 1 << 20, totalBytes: 4 << 20, fileBytes: 2 << 20, entries: 20,
  compressionRatio: 50, ratioFloorBytes: 64 << 10, depth: 4)

/// `count` bytes that do not compress (xorshift64, seeded).
private func noise(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
  var state = seed
  var data = Data(count: count)
  for i in 0..<count {
    state ^= state << 13
    state ^= state >> 7
    state ^= state << 17
    data[i] = UInt8(truncatingIfNeeded: state)
  }
  return data
}

/// The bytes written under `folder`, counted file by file.
private func bytesUnder(_ folder: URL) -> Int {
  var total = 0
  let walker = FileManager.default.enumerator(atPath: folder.path)
  while let name = walker?.nextObject() as? String {
    let size =
      (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[
        .size] as? Int) ?? 0
    total += size
  }
  return total
}

@Test func anOrdinaryArchiveIsExtractedAsItIsAndNotAsRoot() throws {
  let dir = try scratch("plain")
  defer { try? FileManager.default.removeItem(at: dir) }
  let zip = dir.appendingPathComponent("alice.zip")
  let source = Data("func f() -> Int { 1 }\n".utf8)
  try makeZip(
    zip, [("alice/", Data()), ("alice/Problem1/", Data()), ("alice/Problem1/P.swift", source)])
  let out = dir.appendingPathComponent("out")
  try ArchiveExtractor.extract(zip, into: out, limits: small)
  let file = out.appendingPathComponent("alice/Problem1/P.swift")
  #expect(try Data(contentsOf: file) == source)
  if getuid() == 0 {
    // Written under the unprivileged file-system uid, not as root.
    let owner = try FileManager.default.attributesOfItem(atPath: file.path)[.ownerAccountID] as? Int
    #expect(owner == Int(ArchiveExtractor.unprivilegedID))
  }
}

@Test func aZipBombIsRefusedBeforeAnythingLargeIsWritten() throws {
  let dir = try scratch("bomb")
  defer { try? FileManager.default.removeItem(at: dir) }
  // 256 MiB of zeros deflate to about 250 KiB: a ratio near 1000.
  let zip = dir.appendingPathComponent("bomb.zip")
  let archive = try Archive(url: zip, accessMode: .create)
  let size = 256 << 20
  try archive.addEntry(
    with: "Problem1/P.swift", type: .file, uncompressedSize: Int64(size),
    compressionMethod: .deflate, provider: { _, chunk in Data(count: chunk) })
  let archiveSize = try FileManager.default.attributesOfItem(atPath: zip.path)[.size] as? Int ?? 0
  #expect(archiveSize < 1 << 20)
  let out = dir.appendingPathComponent("out")
  #expect {
    try ArchiveExtractor.extract(zip, into: out)
  } throws: { error in
    guard case .badArchive(_, let reason) = error as? GraderError else { return false }
    return reason.contains("over the per-file limit") || reason.contains("zip bomb")
  }
  #expect(bytesUnder(out) == 0)
}

@Test func sizeCountRatioAndDepthLimitsEachRefuseWithTheirReason() throws {
  let dir = try scratch("limits")
  defer { try? FileManager.default.removeItem(at: dir) }
  let random = noise(600 << 10)
  let cases: [(String, [(String, Data)], String)] = [
    ("ratio", [("a.swift", Data(count: 1 << 20))], "zip bomb"),
    ("per-file", [("a.swift", Data(repeating: 1, count: 3 << 20))], "per-file limit"),
    (
      "total", (0..<8).map { ("f\($0).swift", random) },
      "more than 4 MiB once extracted"
    ),
    ("count", (0..<25).map { ("f\($0).swift", Data("x".utf8)) }, "over the limit of 20"),
    ("depth", [("a/b/c/d/e/f.swift", Data("x".utf8))], "folders deep"),
  ]
  for (name, entries, reason) in cases {
    let zip = dir.appendingPathComponent("\(name).zip")
    try makeZip(zip, entries)
    let out = dir.appendingPathComponent("out-\(name)")
    var limits = small
    limits.archiveBytes = 16 << 20
    do {
      try ArchiveExtractor.extract(zip, into: out, limits: limits)
      Issue.record("\(name): extracted")
    } catch let GraderError.badArchive(_, message) {
      #expect(message.contains(reason), "\(name): \(message)")
    }
    #expect(bytesUnder(out) == 0, "\(name): files were written")
  }
}

@Test func anArchiveOverTheFileSizeLimitIsNotOpened() throws {
  let dir = try scratch("big")
  defer { try? FileManager.default.removeItem(at: dir) }
  let zip = dir.appendingPathComponent("big.zip")
  try makeZip(zip, [("a.bin", noise(2 << 20))])
  #expect(throws: GraderError.self) {
    try ArchiveExtractor.extract(zip, into: dir.appendingPathComponent("out"), limits: small)
  }
}

@Test func aHeaderThatUnderstatesTheSizeStopsExtraction() throws {
  let dir = try scratch("liar")
  defer { try? FileManager.default.removeItem(at: dir) }
  let zip = dir.appendingPathComponent("liar.zip")
  // 1 MiB of text that claims (in both headers) to be 100 bytes: within every declared limit.
  try makeZip(zip, [("a.swift", Data(repeating: UInt8(ascii: "a"), count: 1 << 20))])
  var bytes = try Data(contentsOf: zip)
  func patch(signature: [UInt8], sizeOffset: Int) {
    guard let start = bytes.firstRange(of: Data(signature))?.lowerBound else { return }
    let value: UInt32 = 100
    for i in 0..<4 { bytes[start + sizeOffset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
  }
  patch(signature: [0x50, 0x4B, 0x03, 0x04], sizeOffset: 22)
  patch(signature: [0x50, 0x4B, 0x01, 0x02], sizeOffset: 24)
  try bytes.write(to: zip)
  let out = dir.appendingPathComponent("out")
  do {
    try ArchiveExtractor.extract(zip, into: out, limits: small)
    Issue.record("a lying archive was extracted")
  } catch let GraderError.badArchive(_, message) {
    #expect(message.contains("declared size") || message.contains("not a readable"), "\(message)")
  }
  // At most one read chunk past the declared size reached the disk.
  #expect(bytesUnder(out) <= 100)
}

@Test func escapingPathsAreRefusedAndLinksSkipped() throws {
  let dir = try scratch("paths")
  defer { try? FileManager.default.removeItem(at: dir) }
  for path in [
    "../evil.swift", "/tmp/evil.swift", "a/../../evil.swift", "a\\..\\evil.swift", "C:/evil",
  ] {
    let zip = dir.appendingPathComponent("\(UUID().uuidString).zip")
    try makeZip(zip, [(path, Data("x".utf8))])
    do {
      try ArchiveExtractor.extract(zip, into: dir.appendingPathComponent("out"), limits: small)
      Issue.record("\(path) was extracted")
    } catch let GraderError.badArchive(_, message) {
      #expect(message.contains("points outside the archive"), "\(message)")
    }
  }
  #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("evil.swift").path))
  // A link entry (to /etc/passwd) is skipped; the file beside it is extracted.
  let zip = dir.appendingPathComponent("link.zip")
  let archive = try Archive(url: zip, accessMode: .create)
  let target = Data("/etc/passwd".utf8)
  try archive.addEntry(
    with: "Problem1/P.swift", type: .symlink, uncompressedSize: Int64(target.count),
    provider: { _, _ in target })
  try archive.addEntry(
    with: "Problem1/Q.swift", type: .file, uncompressedSize: Int64(1),
    provider: { _, _ in Data("q".utf8) })
  let out = dir.appendingPathComponent("out-link")
  try ArchiveExtractor.extract(zip, into: out, limits: small)
  let link = out.appendingPathComponent("Problem1/P.swift").path
  #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil)
  #expect(!FileManager.default.fileExists(atPath: link))
  #expect(
    FileManager.default.fileExists(atPath: out.appendingPathComponent("Problem1/Q.swift").path))
}

@Test func safeComponentsRules() {
  #expect(ArchiveExtractor.safeComponents("a/./b/c.swift") == ["a", "b", "c.swift"])
  #expect(ArchiveExtractor.safeComponents("dir/") == ["dir"])
  for bad in ["", "/", "..", "a/../..", "/etc/passwd", "a\\b", "x\0y", "D:/x", "./"] {
    #expect(ArchiveExtractor.safeComponents(bad) == nil, "\(bad)")
  }
}
