import Foundation

/// The jobs `swiftc` runs for one kind of compile (the compiler's frontend, the autolink
/// extractor, the linker), learnt once from the driver itself (`swiftc -###`) with placeholder
/// paths and names, then run directly with each problem's own. The driver is a program of its
/// own that starts, plans and waits: two of them per problem were a tenth of a grading's CPU
/// time. The plan is whatever this toolchain's driver says, so flags, paths and libraries stay
/// the driver's; when its answer is not understood the grader runs `swiftc` as before.
struct CompilerJobs: Codable, Sendable, Equatable {
  /// Each job's command line (the program first), with placeholders.
  var jobs: [[String]]
  /// For a job that stands in for the driver's own (``linkingDirectly(timeout:)``), that job:
  /// it runs when the stand-in fails, and its messages are the ones shown.
  var fallbacks: [[String]?]?

  /// Stand-ins for what differs between compiles of the same kind.
  enum Placeholder {
    /// The problem's scratch folder.
    static let scratch = "/gradwork-plan-scratch"
    /// The student's module name.
    static let module = "GradworkPlanSubmission"
    /// The case library's module name.
    static let casesModule = "GradworkPlanCases"
    /// The case library's folder.
    static let casesFolder = "/gradwork-plan-cases"
    /// The one input that stands for all of the student's files.
    static let inputs = scratch + "/student/GradworkPlanInput.swift"
  }

  /// `word` with the driver's temporary folder (`$TMPDIR/TemporaryDirectory.<random>`, also
  /// inside a word such as `@<folder>/x.autolink`) replaced by `temporary`: each run gets a
  /// folder of its own in its scratch folder.
  static func replacingTemporaryFolder(in word: String, with temporary: String) -> String {
    guard let marker = word.range(of: "/TemporaryDirectory.") else { return word }
    // The folder's path starts after a leading `@` or `…=` and ends at the next `/`.
    let head = word[..<marker.lowerBound]
    let start =
      head.lastIndex { $0 == "@" || $0 == "=" }.map { word.index(after: $0) }
      ?? word.startIndex
    let end = word[marker.upperBound...].firstIndex(of: "/") ?? word.endIndex
    return String(word[..<start]) + temporary + String(word[end...])
  }

  /// Asks `swiftc` (run through `/usr/bin/env` with `arguments`) for its jobs. Nil when the
  /// driver fails or prints something that is not a list of commands of existing programs.
  static func plan(_ arguments: [String], timeout: Double = 60) -> CompilerJobs? {
    guard let result = try? Command.run("/usr/bin/env", arguments + ["-###"], timeout: timeout),
      result.status == 0, !result.timedOut
    else { return nil }
    var jobs: [[String]] = []
    for line in result.output.split(separator: "\n") where !line.isEmpty {
      guard let words = shellWords(String(line)), let program = words.first,
        program.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: program)
      else { return nil }
      jobs.append(words)
    }
    return jobs.isEmpty ? nil : CompilerJobs(jobs: jobs)
  }

  /// The plan's command lines with the placeholders replaced: `values` maps a placeholder to
  /// its text, `inputs` replaces the input placeholder, and the driver's temporary folder
  /// becomes `temporary`.
  func commands(values: [String: String], inputs: [String], temporary: URL) -> [[String]] {
    jobs.map { Self.filled($0, values: values, inputs: inputs, temporary: temporary) }
  }

  /// The fallbacks' command lines, filled as ``commands(values:inputs:temporary:)`` fills the
  /// jobs; nil where a job has none.
  func fallbackCommands(values: [String: String], inputs: [String], temporary: URL)
    -> [[String]?]
  {
    (fallbacks ?? []).map {
      $0.map { Self.filled($0, values: values, inputs: inputs, temporary: temporary) }
    }
  }

  private static func filled(
    _ job: [String], values: [String: String], inputs: [String], temporary: URL
  ) -> [String] {
    job.flatMap { word -> [String] in
      if word == Placeholder.inputs { return inputs }
      var text = CompilerJobs.replacingTemporaryFolder(in: word, with: temporary.path)
      // Longest first: one placeholder may begin another.
      for key in values.keys.sorted(by: { $0.count > $1.count }) {
        text = text.replacingOccurrences(of: key, with: values[key]!)
      }
      return [text]
    }
  }

  /// Runs `commands` in order, stopping at the first that fails; the output is every job's.
  /// The autolink extractor's job is done in the grader where it can be (``AutolinkEntries``).
  /// Where a command fails and `fallbacks` has a command at its index, that one runs instead
  /// and decides.
  static func run(
    _ commands: [[String]], fallbacks: [[String]?] = [], temporary: URL, timeout: Double
  ) throws -> (ok: Bool, output: String) {
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    let deadline = Date().addingTimeInterval(timeout)
    var output = ""
    for (index, command) in commands.enumerated() {
      let left = deadline.timeIntervalSinceNow
      guard left > 0 else {
        return (false, output + "\nThe compiler was stopped after \(Int(timeout)) s.")
      }
      if AutolinkEntries.extract(command) { continue }
      var result = try Command.run(command[0], Array(command.dropFirst()), timeout: left)
      if result.status != 0, !result.timedOut, index < fallbacks.count,
        let fallback = fallbacks[index]
      {
        result = try Command.run(
          fallback[0], Array(fallback.dropFirst()), timeout: max(deadline.timeIntervalSinceNow, 1))
      }
      output += result.output
      if result.timedOut {
        return (false, output + "\nThe compiler was stopped after \(Int(timeout)) s.")
      }
      if result.status != 0 { return (false, output) }
    }
    return (true, output)
  }

  /// `line` split into words as a POSIX shell would (the driver quotes with `'…'`, `"…"` and
  /// backslashes); nil for what a shell would not accept (an open quote).
  static func shellWords(_ line: String) -> [String]? {
    var words: [String] = []
    var word = ""
    var inWord = false
    var iterator = line.makeIterator()
    while let c = iterator.next() {
      switch c {
      case " ", "\t":
        if inWord { words.append(word) }
        word = ""
        inWord = false
      case "'", "\"":
        // Up to the matching quote; inside double quotes a backslash escapes what a shell's
        // does there, and is kept before anything else.
        inWord = true
        var closed = false
        while let d = iterator.next() {
          if d == c {
            closed = true
            break
          }
          if c == "\"", d == "\\" {
            guard let e = iterator.next() else { return nil }
            if !["\"", "\\", "$", "`"].contains(e) { word.append(d) }
            word.append(e)
          } else {
            word.append(d)
          }
        }
        if !closed { return nil }
      case "\\":
        guard let e = iterator.next() else { return nil }
        inWord = true
        word.append(e)
      default:
        inWord = true
        word.append(c)
      }
    }
    if inWord { words.append(word) }
    return words
  }
}

/// The plans of one build folder, made once per toolchain and runtime and kept on disk: a warm
/// grading runs no driver at all.
struct CompilerPlans: Sendable {
  /// Where the plans are kept.
  let folder: URL

  /// The plan for `arguments` (with placeholders), from disk or made now and kept. The key
  /// covers the arguments and the `swiftc` that the `PATH` finds (its path, size and date).
  func plan(_ arguments: [String]) -> CompilerJobs? {
    var hashed = Array(arguments.joined(separator: "\u{0}").utf8)
    hashed += Array(CompilerPlans.driverIdentity.utf8)
    hashed += Array(CompilerPlans.format.utf8)
    let file = folder.appendingPathComponent(
      "plan-\(String(Builder.fnv(hashed), radix: 16)).json")
    if let data = try? Data(contentsOf: file),
      let found = try? JSONDecoder().decode(CompilerJobs.self, from: data), found.isRunnable
    {
      return found
    }
    guard let made = CompilerJobs.plan(arguments)?.linkingDirectly() else { return nil }
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let data = try? JSONEncoder().encode(made) { try? data.write(to: file, options: .atomic) }
    return made
  }

  /// The toolchain's runtime library folders (``Sandbox/askedRuntimeFolders()``), asked once
  /// per toolchain and kept beside the plans: asking runs the driver and a frontend.
  func runtimeFolders() -> [String]? {
    let key = String(Builder.fnv(Array(CompilerPlans.driverIdentity.utf8)), radix: 16)
    let file = folder.appendingPathComponent("runtime-folders-\(key).json")
    if let data = try? Data(contentsOf: file),
      let found = try? JSONDecoder().decode([String].self, from: data),
      found.allSatisfy({ FileManager.default.fileExists(atPath: $0) })
    {
      return found
    }
    guard let asked = Sandbox.askedRuntimeFolders() else { return nil }
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let data = try? JSONEncoder().encode(asked) { try? data.write(to: file, options: .atomic) }
    return asked
  }

  /// The kept plans' format: a plan kept in another is made again.
  static let format = "linker-direct-1"

  /// The `swiftc` on the `PATH`: its resolved path, size and modification time.
  static let driverIdentity: String = {
    guard let swiftc = Builder.swiftcOnPath else { return "no swiftc" }
    let attributes = try? FileManager.default.attributesOfItem(atPath: swiftc.path)
    let size = attributes?[.size] as? Int ?? -1
    let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    return "\(swiftc.path) \(size) \(date)"
  }()
}
