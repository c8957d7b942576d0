import Foundation

/// The order in which one submission's problems are graded: longest first, by how long each
/// took the last time it was graded with this build folder. Problems run a few at a time (one
/// per core); started in catalog order, the last long problem often ran alone while the other
/// cores idled. Problems never graded here keep their catalog order, ahead of the known ones.
struct ProblemSchedule {
  /// The file of last durations, `<problem folder>: seconds` as JSON.
  let file: URL

  /// The schedule kept in `buildFolder`.
  init(buildFolder: URL) {
    file = buildFolder.appendingPathComponent("problem-seconds.json")
  }

  /// The last duration of each problem graded here; empty when there is none or the file
  /// cannot be read (the order is only an optimization).
  func durations() -> [String: Double] {
    guard let data = try? Data(contentsOf: file),
      let found = try? JSONDecoder().decode([String: Double].self, from: data)
    else { return [:] }
    return found.filter { $0.value.isFinite && $0.value >= 0 }
  }

  /// The indices of `folders` in grading order.
  func order(_ folders: [String]) -> [Int] {
    ProblemSchedule.order(folders, durations: durations())
  }

  /// `folders`' indices with the unknown ones first (in their order), then the known ones,
  /// longest first; ties keep catalog order.
  static func order(_ folders: [String], durations: [String: Double]) -> [Int] {
    folders.indices.sorted { a, b in
      let (x, y) = (durations[folders[a]] ?? .infinity, durations[folders[b]] ?? .infinity)
      return x != y ? x > y : a < b
    }
  }

  /// Keeps `seconds` (problem folder → duration) over the previous durations. Concurrent
  /// graders may overwrite each other's figures; each write is whole.
  func record(_ seconds: [String: Double]) {
    guard !seconds.isEmpty else { return }
    let merged = durations().merging(seconds) { _, new in new }
    guard let data = try? JSONEncoder().encode(merged) else { return }
    try? FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? data.write(to: file, options: .atomic)
  }
}
