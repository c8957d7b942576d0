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

/// Hands out the two stages of each problem to the grading workers: building (the judge and
/// the student's program), in schedule order, then running and judging, once its build is
/// done. Every build is handed out before any run: a build is one compiler process that
/// nothing else of its problem can overlap, while the runs and judgings left at the end are
/// short and come from several problems, so both cores stay busy until the last one. Handed
/// out a whole problem at a time, the last problem's build and runs ran alone while a core
/// idled.
final class StageQueue<Built>: @unchecked Sendable {
  /// A stage to do.
  enum Stage {
    /// Build the problem at this index.
    case build(Int)
    /// Run and judge the problem at this index, built as given.
    case finish(Int, Built)
  }

  private let lock = NSLock()
  private var order: ArraySlice<Int>
  private var ready: [(Int, Built)] = []

  /// A queue that builds the problems at `order`'s indices in that order.
  init(order: [Int]) { self.order = order[...] }

  /// The next stage: the next build, else the first problem built; nil when neither is left
  /// (a build still under way is run and judged by the worker that built it).
  func next() -> Stage? {
    lock.lock()
    defer { lock.unlock() }
    if let index = order.popFirst() { return .build(index) }
    guard !ready.isEmpty else { return nil }
    let (index, built) = ready.removeFirst()
    return .finish(index, built)
  }

  /// Queues the problem at `index`, built, for running and judging.
  func built(_ index: Int, _ value: Built) {
    lock.lock()
    defer { lock.unlock() }
    ready.append((index, value))
  }
}
