import Foundation
import Testing

@testable import GraderCore

/// Building a cache entry removes the same problem's entries unused for a week (and their
/// locks); entries used since, other problems' entries, incomplete entries and staging
/// folders stay, and a use dates the marker.
@Test func buildingAnEntryPrunesTheProblemsUnusedOnes() throws {
  let manager = FileManager.default
  let root = manager.temporaryDirectory.appendingPathComponent("prune-\(UUID().uuidString)")
  defer { try? manager.removeItem(at: root) }
  let judges = root.appendingPathComponent("judges")
  try manager.createDirectory(at: judges, withIntermediateDirectories: true)
  func entry(_ name: String, usedDaysAgo days: Double?) throws {
    let folder = judges.appendingPathComponent(name)
    try manager.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data().write(to: URL(fileURLWithPath: folder.path + ".lock"))
    guard let days else { return }
    let marker = folder.appendingPathComponent("judge")
    try Data("x".utf8).write(to: marker)
    try manager.setAttributes(
      [.modificationDate: Date().addingTimeInterval(-days * 24 * 3600)], ofItemAtPath: marker.path)
  }
  try entry("Problem1-old", usedDaysAgo: 10)
  try entry("Problem1-recent", usedDaysAgo: 2)
  try entry("Problem1-incomplete", usedDaysAgo: nil)
  try entry("Problem1-abc.tmp-99", usedDaysAgo: 30)
  try entry("Problem10-old", usedDaysAgo: 10)
  let builder = Builder(packageRoot: root, buildFolder: root)
  let target = judges.appendingPathComponent("Problem1-new")
  _ = try builder.cached(target, complete: "judge") { staging in
    try Data("built".utf8).write(to: staging.appendingPathComponent("judge"))
  }
  let left = Set(try manager.contentsOfDirectory(atPath: judges.path))
  #expect(!left.contains("Problem1-old") && !left.contains("Problem1-old.lock"))
  for kept in [
    "Problem1-new", "Problem1-recent", "Problem1-recent.lock", "Problem1-incomplete",
    "Problem1-abc.tmp-99", "Problem10-old",
  ] {
    #expect(left.contains(kept), "\(kept) was removed")
  }
  // A use dates the entry, so an entry in use is never the oldest.
  let recent = judges.appendingPathComponent("Problem1-recent")
  _ = try builder.cached(recent, complete: "judge") { _ in Issue.record("rebuilt") }
  let used =
    try manager.attributesOfItem(
      atPath: recent.appendingPathComponent("judge").path)[.modificationDate] as? Date
  #expect(used.map { Date().timeIntervalSince($0) < 60 } == true)
}
