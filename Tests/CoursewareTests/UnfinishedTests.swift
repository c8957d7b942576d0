import Foundation
import Testing

@testable import Courseware

/// `course run N` on a stub names the first unfinished task in task order, and `--plots`
/// writes every plot it announces or says there are none.
@Suite struct UnfinishedTests {
  /// A fresh empty folder under the system's temporary folder.
  private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("courseware-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func tasksComeInTaskOrderNotInFileOrder() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Task 3 comes first in the file, as in problem 1's stub where the report reaches it first.
    let source = """
      // Replace each `todo(...)` with your code.
      /// todo("Problem 9, task 0: in a doc comment, not code")
      func check() { todo("Problem 9, task 3: the checks") }
      func first() -> Int {
        todo("Problem 9, task 1: the first")
      }
      func second() { todo("Problem 9, task 2: the second") }
      """
    try source.write(
      to: folder.appendingPathComponent("Problem9.swift"), atomically: true, encoding: .utf8)
    let tasks = unfinishedTasks(in: folder)
    #expect(tasks.map(\.task) == [1, 2, 3])
    #expect(tasks.map(\.line) == [5, 7, 3])
    let text = unfinishedTasksText(tasks)
    #expect(text.hasPrefix("not implemented: Problem 9, task 1: the first (Problem9.swift:5)\n"))
    #expect(text.contains("  Problem 9, task 3: the checks (Problem9.swift:3)"))
  }

  @Test func aFinishedExerciseHasNoTasksLeft() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "func f() -> Int { 1 }\n".write(
      to: folder.appendingPathComponent("Problem9.swift"), atomically: true, encoding: .utf8)
    #expect(unfinishedTasks(in: folder).isEmpty)
    #expect(unfinishedTasksText([]).isEmpty)
  }

  @Test func plotsAreWrittenAsAnnouncedOrDeclaredAbsent() throws {
    let folder = try temporaryFolder().appendingPathComponent("plots")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let none = Report(problem: 1, title: "no charts")
    #expect(
      try none.writePlots(to: folder)
        == "Problem 1 has no plots; nothing was written to \(folder.path).")
    let report = Report(
      problem: 7, title: "t",
      charts: [
        Chart(
          name: "loss", title: "", xLabel: "epoch", yLabel: "",
          series: [Series(label: "a", values: [1, 2])])
      ])
    let message = try report.writePlots(to: folder)
    #expect(message == "Wrote 1 plot to \(folder.path): problem7-loss.svg")
    let written = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(written == ["problem7-loss.svg"])
  }
}
