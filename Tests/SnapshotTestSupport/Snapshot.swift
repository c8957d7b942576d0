import Foundation
import Testing

/// Compares `text` with the file `Snapshots/<name>` next to the calling test's file. Where
/// the file is missing, or when the environment has `RECORD_SNAPSHOTS=1`, writes `text`
/// there instead; a snapshot recorded because it was missing also fails the test, so that
/// it is read before it is committed.
///
/// Snapshots are text (SVG, Markdown, HTML, terminal charts), so a change shows as a
/// readable diff in review; the first line that differs is named in the failure.
public func expectSnapshot(
  _ text: String, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots").appendingPathComponent(name)
  let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
  guard record || FileManager.default.fileExists(atPath: url.path) else {
    try write(text, to: url)
    Issue.record(
      "Recorded missing snapshot \(url.path); read it, then run again",
      sourceLocation: sourceLocation)
    return
  }
  if record {
    try write(text, to: url)
    return
  }
  let expected = try String(contentsOf: url, encoding: .utf8)
  guard text != expected else { return }
  let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
  let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
  let line =
    zip(actualLines, expectedLines).enumerated().first { $1.0 != $1.1 }?.offset
    ?? min(actualLines.count, expectedLines.count)
  let actualLine = line < actualLines.count ? String(actualLines[line]) : "<end>"
  let expectedLine = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
  Issue.record(
    """
    Snapshot \(name) differs at line \(line + 1) (rerun with RECORD_SNAPSHOTS=1 to accept):
      expected: \(expectedLine)
      actual:   \(actualLine)
    """,
    sourceLocation: sourceLocation)
}

/// Writes `text` to `url`, creating its folder.
private func write(_ text: String, to url: URL) throws {
  try FileManager.default.createDirectory(
    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try Data(text.utf8).write(to: url)
}
