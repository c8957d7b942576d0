import Foundation

/// The driver's link job runs `clang`, which only works out the linker's command line and runs
/// it: a program of its own per problem (about 0.07 s of a problem's build here) that says
/// the same thing every time. The plan keeps the linker's command as `clang -###` gives it,
/// and the `clang` job as the fallback.
extension CompilerJobs {
  /// The plan with each `clang` link job replaced by the linker command it runs, asked of
  /// that `clang` once (`-###`); a job whose answer is not understood stays as it is.
  func linkingDirectly(timeout: Double = 60) -> CompilerJobs {
    var direct = self
    var fallbacks: [[String]?] = Array(repeating: nil, count: jobs.count)
    for (index, job) in jobs.enumerated() {
      guard let linker = Self.linkerCommand(for: job, timeout: timeout) else { continue }
      direct.jobs[index] = linker
      fallbacks[index] = job
    }
    direct.fallbacks = fallbacks.contains { $0 != nil } ? fallbacks : nil
    return direct
  }

  /// Whether every program the plan runs is there, and every object file a stand-in names
  /// outside the compile's own folders (the C runtime's start files, which a system update
  /// can move).
  var isRunnable: Bool {
    let manager = FileManager.default
    let programs = jobs.map(\.first) + (fallbacks ?? []).compactMap { $0?.first }
    guard programs.allSatisfy({ manager.isExecutableFile(atPath: $0 ?? "") }) else {
      return false
    }
    for (job, fallback) in zip(jobs, fallbacks ?? []) where fallback != nil {
      for word in job.dropFirst()
      where word.hasPrefix("/") && word.hasSuffix(".o") && !Self.isRunSpecific(word) {
        guard manager.fileExists(atPath: word) else { return false }
      }
    }
    return true
  }

  /// Whether `word` names something that exists only when a compile runs: the placeholders'
  /// folders or the driver's temporary folder.
  static func isRunSpecific(_ word: String) -> Bool {
    word.contains(Placeholder.scratch) || word.contains(Placeholder.casesFolder)
      || word.contains("/TemporaryDirectory.")
  }

  /// The linker command that the `clang` link job `job` runs, or nil. The job's inputs that
  /// exist only when a compile runs (objects, the autolink response file) are handed to
  /// `clang` as linker arguments, which it passes on unread and in place.
  static func linkerCommand(for job: [String], timeout: Double) -> [String]? {
    guard let program = job.first, URL(fileURLWithPath: program).lastPathComponent == "clang",
      !job.contains("-c")
    else { return nil }
    var arguments: [String] = []
    var handed: [String] = []
    var previous = ""
    for word in job.dropFirst() {
      let isInput =
        (word.hasPrefix("@") || word.hasSuffix(".o")) && isRunSpecific(word)
        && !["-o", "-L", "-Xlinker"].contains(previous)
      if isInput {
        arguments += ["-Xlinker", word]
        handed.append(word)
      } else {
        arguments.append(word)
      }
      previous = word
    }
    guard let result = try? Command.run(program, arguments + ["-###"], timeout: timeout),
      result.status == 0, !result.timedOut
    else { return nil }
    // `clang -###` prints its version lines, then each command it would run on a line that
    // starts with a space and the quoted program.
    let commands = result.output.split(separator: "\n").filter { $0.hasPrefix(" \"") }
    guard commands.count == 1, let words = shellWords(String(commands[0])),
      let linker = words.first, linker.hasPrefix("/"), linker != program,
      URL(fileURLWithPath: linker).lastPathComponent != "clang",
      FileManager.default.isExecutableFile(atPath: linker), !words.contains("-Xlinker")
    else { return nil }
    // Every handed input is there, in the order given.
    var rest = words.dropFirst()[...]
    for word in handed {
      guard let found = rest.firstIndex(of: word) else { return nil }
      rest = rest[(found + 1)...]
    }
    return words
  }
}
