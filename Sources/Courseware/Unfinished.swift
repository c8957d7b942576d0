import Foundation

/// A `todo("…")` call left in an exercise's source: a task not implemented yet.
public struct UnfinishedTask: Sendable, Equatable {
  /// The text passed to `todo`, e.g. `Problem 1, task 1: column standardization`.
  public var message: String
  /// The task number read from the message (`task 1`), when it has one.
  public var task: Int?
  /// The file's name.
  public var file: String
  /// The 1-based line of the call.
  public var line: Int

  /// Creates an entry.
  public init(message: String, task: Int?, file: String, line: Int) {
    self.message = message
    self.task = task
    self.file = file
    self.line = line
  }
}

/// The `todo("…")` calls left in the Swift files of `folder`, in task order: by task
/// number, then by file and line. A report stops at whichever `todo` it reaches first, which
/// is not always the first task; this names the tasks in the order a student does them.
public func unfinishedTasks(in folder: URL) -> [UnfinishedTask] {
  let files =
    (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
    .filter { $0.hasSuffix(".swift") }.sorted() ?? []
  var found: [UnfinishedTask] = []
  for file in files {
    let url = folder.appendingPathComponent(file)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
    for (index, line) in text.components(separatedBy: "\n").enumerated() {
      let code = line.trimmingCharacters(in: .whitespaces)
      guard !code.hasPrefix("//"), let start = code.range(of: "todo(\""),
        let end = code.range(of: "\")", range: start.upperBound..<code.endIndex)
      else { continue }
      let message = String(code[start.upperBound..<end.lowerBound])
      found.append(
        UnfinishedTask(message: message, task: taskNumber(message), file: file, line: index + 1))
    }
  }
  return found.sorted {
    ($0.task ?? Int.max, $0.file, $0.line) < ($1.task ?? Int.max, $1.file, $1.line)
  }
}

/// The number after "task " in a `todo` message.
private func taskNumber(_ message: String) -> Int? {
  guard let range = message.range(of: "task ") else { return nil }
  return Int(message[range.upperBound...].prefix { $0.isNumber })
}

/// What `course run` prints when tasks are unfinished: the first one in task order, in the
/// form `todo` itself prints, then the others.
public func unfinishedTasksText(_ tasks: [UnfinishedTask]) -> String {
  guard let first = tasks.first else { return "" }
  var lines = ["\(notImplementedPrefix)\(first.message) (\(first.file):\(first.line))"]
  if tasks.count > 1 {
    lines.append("Also unfinished, in task order:")
    lines += tasks.dropFirst().map { "  \($0.message) (\($0.file):\($0.line))" }
  }
  lines.append("The report needs every task; replace each todo(...) with your code.")
  return lines.joined(separator: "\n") + "\n"
}

extension Report {
  /// Writes every plot of the report into `folder` (created when missing) and returns what
  /// to tell the user: the files written, or that the problem has no plots.
  public func writePlots(to folder: URL) throws -> String {
    let files = svgFiles()
    guard !files.isEmpty else {
      return "Problem \(problem) has no plots; nothing was written to \(folder.path)."
    }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, svg) in files {
      try svg.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return "Wrote \(files.count) plot\(files.count == 1 ? "" : "s") to \(folder.path): "
      + files.map(\.0).joined(separator: ", ")
  }
}
