import Foundation
import Testing

@testable import GraderCore

@Test func problemsNeverGradedKeepCatalogOrderAheadOfKnownOnesLongestFirst() {
  let folders = ["Problem1", "Problem2", "Problem3", "Problem4", "Problem5"]
  // No history: the catalog's order.
  #expect(ProblemSchedule.order(folders, durations: [:]) == [0, 1, 2, 3, 4])
  // Problem 3 unknown goes first; the rest longest first, the tie (1.0 s) in catalog order.
  let durations = ["Problem1": 2.5, "Problem2": 1.0, "Problem4": 1.0, "Problem5": 3.1]
  #expect(ProblemSchedule.order(folders, durations: durations) == [2, 4, 0, 1, 3])
}

@Test func scheduleRecordsMergeAndSurviveAnUnreadableFile() throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("schedule-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let schedule = ProblemSchedule(buildFolder: folder)
  #expect(schedule.durations().isEmpty)
  schedule.record(["Problem1": 2.0, "Problem2": 0.5])
  schedule.record(["Problem2": 0.75])
  #expect(schedule.durations() == ["Problem1": 2.0, "Problem2": 0.75])
  #expect(schedule.order(["Problem2", "Problem1"]) == [1, 0])
  // A damaged file is ignored (catalog order), and the next record replaces it.
  try Data("not json".utf8).write(to: schedule.file)
  #expect(schedule.order(["Problem2", "Problem1"]) == [0, 1])
  schedule.record(["Problem1": 1.0])
  #expect(schedule.durations() == ["Problem1": 1.0])
}

/// The next stage, as `build <index>` or `finish <index> <built>`.
private func take(_ queue: StageQueue<String>) -> String? {
  switch queue.next() {
  case .build(let i)?: "build \(i)"
  case .finish(let i, let built)?: "finish \(i) \(built)"
  case nil: nil
  }
}

@Test func everyBuildIsHandedOutBeforeAnyRunInScheduleThenBuildOrder() {
  let queue = StageQueue<String>(order: [2, 0, 1])
  #expect(take(queue) == "build 2")
  #expect(take(queue) == "build 0")
  queue.built(0, "b0")
  // A build is still left: it comes before the built problem's run.
  #expect(take(queue) == "build 1")
  queue.built(2, "b2")
  #expect(take(queue) == "finish 0 b0")
  #expect(take(queue) == "finish 2 b2")
  // Nothing ready and no build left while problem 1 is being built: its builder runs it.
  #expect(take(queue) == nil)
  queue.built(1, "b1")
  #expect(take(queue) == "finish 1 b1")
  #expect(take(queue) == nil)
}
