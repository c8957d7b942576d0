import Foundation

#if canImport(Glibc)
  import Glibc
#endif

extension Builder {
  /// Builds (or finds cached) the trusted judge program of a problem: its reference solution
  /// (`Solutions/<folder>`) as a module, and every Swift file of `Grader/Problems/<folder>`
  /// but the student binding and the public checks (the cases, in `Cases.swift` and any
  /// `Cases+<concern>.swift`, the reference binding and the mistakes). Cached by the names
  /// and contents of those files and the runtime.
  public func judgeProgram(folder: String, runtime: Runtime) throws -> URL {
    let solutionFiles = try swiftFiles(
      in: packageRoot.appendingPathComponent("Solutions/\(folder)"))
    let caseFolder = packageRoot.appendingPathComponent("Grader/Problems/\(folder)")
    let caseFiles = try swiftFiles(in: caseFolder).filter {
      !Builder.notInJudge.contains($0.lastPathComponent)
    }
    let names = Set(caseFiles.map(\.lastPathComponent))
    guard !solutionFiles.isEmpty, names.contains("Cases.swift"), names.contains("Reference.swift")
    else {
      throw GraderError.judgeBuildFailed(
        problem: folder,
        output: "expected Solutions/\(folder)/*.swift and Grader/Problems/\(folder)/Cases.swift, "
          + "Reference.swift")
    }
    let key = try cacheKey(runtime: runtime, files: solutionFiles + caseFiles)
    let target = buildFolder.appendingPathComponent("judges/\(folder)-\(key)")
    return try cached(target, complete: "judge") { staging in
      try buildJudge(
        folder: folder, solutionFiles: solutionFiles, caseFiles: caseFiles,
        mistakes: names.contains("Mistakes.swift"), runtime: runtime, staging: staging)
    }.appendingPathComponent("judge")
  }

  /// Compiles a judge program into `staging`: the reference solution as a module, then the
  /// case files and a `main.swift` that serves them.
  private func buildJudge(
    folder: String, solutionFiles: [URL], caseFiles: [URL], mistakes: Bool, runtime: Runtime,
    staging: URL
  ) throws {
    let solutionModule = "\(folder)Solution"
    let first = try compile(
      swiftc(runtime) + [
        "-parse-as-library", "-module-name", solutionModule, "-emit-module",
        "-emit-module-path", staging.appendingPathComponent("\(solutionModule).swiftmodule").path,
        "-emit-library", "-static", "-o",
        staging.appendingPathComponent("lib\(solutionModule).a").path,
      ] + solutionFiles.map(\.path), timeout: 300)
    guard first.ok else {
      throw GraderError.judgeBuildFailed(problem: folder, output: first.output)
    }
    let main = staging.appendingPathComponent("main.swift")
    let known = mistakes ? "Mistakes.all" : "[]"
    try
      "import GradeProtocol\n\nJudgeProgram.main(reference: Cases.all(Reference()), mistakes: \(known))\n"
      .write(to: main, atomically: true, encoding: .utf8)
    let second = try compile(
      swiftc(runtime) + [
        "-module-name", "Judge", "-I", staging.path, "-L", staging.path, "-l\(solutionModule)",
        "-L", runtime.folder.path, "-lGradeRuntime", "-Xlinker", "-rpath", "-Xlinker",
        runtime.folder.path, "-o", staging.appendingPathComponent("judge").path,
      ] + caseFiles.map(\.path) + [main.path], timeout: 300)
    guard second.ok else {
      throw GraderError.judgeBuildFailed(problem: folder, output: second.output)
    }
  }

  /// The result of compiling a submission's problem.
  public struct Compiled: Sendable {
    /// The program, when it built.
    public let executable: URL?
    /// The compiler's diagnostics, with paths relative to the submission.
    public let diagnostics: String
  }

  /// Compiles a problem's student files into its program, in `scratch` (never visible to the
  /// program). The student's module gets a name drawn at random, and the harness calls the
  /// student's functions by that qualified name.
  ///
  /// The harness is first compiled as one more file of the student's module: one compiler
  /// frontend for the whole program (see ``HarnessSource``). When that build fails for any
  /// reason (a compile error of the student's, a declaration that clashes with the
  /// harness's), the student's files are compiled as a module of their own and the harness
  /// as another, and that build's messages are the ones shown.
  ///
  /// Without `report`, a file that ends with exactly the exercise's given report section
  /// (``HarnessSource/reportMarker``) is compiled without it first: a grading runs the report
  /// only for `--figures`, and that code was half of a problem's compile.
  public func compileSubmission(
    folder: String, files: [URL], runtime: Runtime, scratch: URL, timeout: Double = 120,
    report: Bool = true
  ) throws -> Compiled {
    let manager = FileManager.default
    if files.count > Builder.maxFiles {
      return Compiled(
        executable: nil,
        diagnostics: "\(folder) holds \(files.count) Swift files; at most \(Builder.maxFiles) "
          + "are compiled. Keep your code in \(folder).swift.")
    }
    for file in files {
      let size = (try? manager.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
      if size > Builder.maxFileBytes {
        return Compiled(
          executable: nil,
          diagnostics: "\(folder)/\(file.lastPathComponent) is \(size / 1024) KiB; files over "
            + "\(Builder.maxFileBytes / 1024) KiB are not compiled.")
      }
    }
    let source = scratch.appendingPathComponent("student")
    try manager.createDirectory(at: source, withIntermediateDirectories: true)
    var inputs: [String] = []
    var names: [String: String] = [:]
    for (i, file) in files.enumerated() {
      // The student's own file name when it is a plain one, so messages name it.
      let name = file.lastPathComponent
      let plain = name.wholeMatch(of: /[A-Za-z0-9_][A-Za-z0-9_+.-]{0,80}\.swift/) != nil
      let copy = source.appendingPathComponent(plain ? name : "file\(i).swift")
      try? manager.removeItem(at: copy)
      try manager.copyItem(at: file, to: copy)
      inputs.append(copy.path)
      names[copy.path] = "\(folder)/\(file.lastPathComponent)"
    }
    let module = "Submission_" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
    // The cases (never the reference or the mistakes) come compiled, from a library shared by
    // every submission of the problem; the harness compiles only the binding and the entry
    // point, whose aliases make the cases' types declarations of the harness's module.
    let cases = try caseLibrary(folder: folder, runtime: runtime)
    let binding = try String(
      contentsOf: packageRoot.appendingPathComponent("Grader/Problems/\(folder)/Student.swift"),
      encoding: .utf8)
    let build = SubmissionBuild(
      module: module, inputs: inputs, scratch: scratch, cases: cases, runtime: runtime,
      timeout: timeout)
    if !report, let slim = try withoutGivenReport(inputs, folder: folder, scratch: scratch),
      let stubbed = HarnessSource.withoutReport(binding: binding)
    {
      var slimBuild = build
      slimBuild.inputs = slim
      if let program = try compileInModule(slimBuild, binding: stubbed) {
        return Compiled(executable: program, diagnostics: "")
      }
    }
    if let program = try compileInModule(build, binding: binding) {
      return Compiled(executable: program, diagnostics: "")
    }
    return try compileSeparately(build, binding: binding, folder: folder, names: names)
  }

  /// Copies of the student's files (in `scratch/student-slim`) where those that end with the
  /// exercise's given report section (in `Exercises/<folder>`) leave it out; nil when none
  /// does.
  private func withoutGivenReport(_ inputs: [String], folder: String, scratch: URL) throws
    -> [String]?
  {
    let exercises = try swiftFiles(in: packageRoot.appendingPathComponent("Exercises/\(folder)"))
    let given = exercises.compactMap {
      (try? String(contentsOf: $0, encoding: .utf8)).flatMap(HarnessSource.givenReport)
    }
    guard !given.isEmpty else { return nil }
    var texts: [(name: String, text: String)] = []
    var left = false
    for input in inputs {
      let url = URL(fileURLWithPath: input)
      // A file that is not UTF-8 text is left to the compiler, which says so.
      guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
      let kept = given.lazy.compactMap { HarnessSource.withoutGivenReport(text, given: $0) }.first
      left = left || kept != nil
      texts.append((url.lastPathComponent, kept ?? text))
    }
    guard left else { return nil }
    let slim = scratch.appendingPathComponent("student-slim")
    try FileManager.default.createDirectory(at: slim, withIntermediateDirectories: true)
    return try texts.map { name, text in
      let copy = slim.appendingPathComponent(name)
      try text.write(to: copy, atomically: true, encoding: .utf8)
      return copy.path
    }
  }

  /// What both layouts of a submission's build share.
  private struct SubmissionBuild {
    let module: String
    /// The student's files, as compiled (copies in the scratch folder).
    var inputs: [String]
    let scratch: URL
    let cases: CaseLibrary
    let runtime: Runtime
    let timeout: Double

    /// The values of the compile placeholders.
    var values: [String: String] {
      typealias P = CompilerJobs.Placeholder
      return [
        P.module: module, P.scratch: scratch.path, P.casesModule: cases.module,
        P.casesFolder: cases.folder.path,
      ]
    }
  }

  /// Flags that link a program with its case library and the runtime (found beside the
  /// program when it runs).
  private func programLinkFlags(_ runtime: Runtime) -> [String] {
    typealias P = CompilerJobs.Placeholder
    return [
      "-I", P.casesFolder, "-L", P.casesFolder, "-l\(P.casesModule)",
      "-L", runtime.folder.path, "-lGradeRuntime", "-Xlinker", "-rpath", "-Xlinker",
      "$ORIGIN/runtime", "-o", P.scratch + "/program",
    ] + Builder.fastLinker
  }

  /// The program built with the harness as a file of the student's module, or nil when that
  /// build fails.
  private func compileInModule(_ build: SubmissionBuild, binding: String) throws -> URL? {
    typealias P = CompilerJobs.Placeholder
    let folder = build.scratch.appendingPathComponent("in-module")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try HarnessSource.inModule(binding: binding, module: build.module, cases: build.cases)
      .write(
        to: folder.appendingPathComponent("GradworkHarness.swift"), atomically: true,
        encoding: .utf8)
    let built = try compilePlanned(
      swiftc(build.runtime) + [
        "-wmo", "-parse-as-library", "-module-name", P.module,
        "-Xfrontend", "-solver-expression-time-threshold=5",
      ] + programLinkFlags(build.runtime) + [
        P.inputs, P.scratch + "/in-module/GradworkHarness.swift",
      ], values: build.values, inputs: build.inputs,
      temporary: build.scratch.appendingPathComponent("jobs-in-module"), timeout: build.timeout)
    return built.ok ? build.scratch.appendingPathComponent("program") : nil
  }

  /// The program built with the student's files as a module of their own and the harness as
  /// another, or the compiler's messages (with the student's paths and names).
  private func compileSeparately(
    _ build: SubmissionBuild, binding: String, folder: String, names: [String: String]
  ) throws -> Compiled {
    typealias P = CompilerJobs.Placeholder
    let module = build.module
    // One whole-module job makes the module and the object: a third less compiler time than
    // a module job beside a compile job, and no archive to make. The driver would otherwise
    // emit the module in a second frontend of its own.
    // Written once with placeholders: the driver's plan is learnt from these, and the
    // problem's own values fill them in (for the plan's jobs, or for `swiftc` without one).
    let student = try compilePlanned(
      swiftc(build.runtime) + [
        "-wmo", "-no-emit-module-separately-wmo", "-parse-as-library", "-module-name", P.module,
        // A student's expression may not keep the type checker busy for long.
        "-Xfrontend", "-solver-expression-time-threshold=5",
        "-emit-module", "-emit-module-path", P.scratch + "/\(P.module).swiftmodule", "-c", "-o",
        P.scratch + "/\(P.module).o", P.inputs,
      ], values: build.values, inputs: build.inputs,
      temporary: build.scratch.appendingPathComponent("jobs-student"), timeout: build.timeout)
    guard student.ok else {
      var diagnostics = student.output.replacingOccurrences(of: module, with: folder)
      for (path, name) in names {
        diagnostics = diagnostics.replacingOccurrences(of: path, with: name)
      }
      return Compiled(executable: nil, diagnostics: diagnostics)
    }
    let harness = build.scratch.appendingPathComponent("harness")
    try FileManager.default.createDirectory(at: harness, withIntermediateDirectories: true)
    try HarnessSource.separateBinding(binding, module: module, cases: build.cases)
      .write(to: harness.appendingPathComponent("Student.swift"), atomically: true, encoding: .utf8)
    try HarnessSource.separateMain(cases: build.cases)
      .write(to: harness.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
    let linked = try compilePlanned(
      swiftc(build.runtime) + [
        "-wmo", "-module-name", "Harness", "-enable-upcoming-feature", "MemberImportVisibility",
        "-I", P.scratch,
      ] + programLinkFlags(build.runtime) + [
        P.scratch + "/harness/Student.swift", P.scratch + "/harness/main.swift",
        P.scratch + "/\(P.module).o",
      ], values: build.values, inputs: [],
      temporary: build.scratch.appendingPathComponent("jobs-harness"), timeout: build.timeout)
    guard linked.ok else {
      // The harness's source stays private: only the compiler's messages are shown.
      let messages = linked.output.split(separator: "\n")
        .filter { $0.contains("error:") }
        .map { line -> String in
          let text = line.range(of: "error:").map { String(line[$0.lowerBound...]) } ?? String(line)
          return text.replacingOccurrences(of: module + ".", with: "")
            .replacingOccurrences(of: module, with: folder)
            .replacingOccurrences(of: build.cases.module + ".", with: "")
        }
      var seen = Set<String>()
      let unique = messages.filter { seen.insert($0).inserted }.prefix(12)
      return Compiled(
        executable: nil,
        diagnostics: "Your code compiled, but the grader could not call it: a function of the "
          + "exercise is missing or its signature differs from the stub's.\n"
          + unique.joined(separator: "\n"))
    }
    return Compiled(executable: build.scratch.appendingPathComponent("program"), diagnostics: "")
  }

  /// Compiles with the jobs the driver plans for `arguments` (written with
  /// ``CompilerJobs/Placeholder``s; see ``CompilerJobs``), filled in with `values` and
  /// `inputs`; runs `swiftc` with the filled-in arguments when no plan is known.
  func compilePlanned(
    _ arguments: [String], values: [String: String], inputs: [String], temporary: URL,
    timeout: Double
  ) throws -> (ok: Bool, output: String) {
    guard let plan = plans.plan(arguments) else {
      let filled = CompilerJobs(jobs: [arguments]).commands(
        values: values, inputs: inputs, temporary: temporary)
      return try compile(filled[0], timeout: timeout)
    }
    return try CompilerJobs.run(
      plan.commands(values: values, inputs: inputs, temporary: temporary),
      fallbacks: plan.fallbackCommands(values: values, inputs: inputs, temporary: temporary),
      temporary: temporary, timeout: timeout)
  }

  /// The driver's plans, kept in the build folder.
  var plans: CompilerPlans { CompilerPlans(folder: buildFolder.appendingPathComponent("plans")) }

  /// The files of a problem's folder that the judge program leaves out: the binding to the
  /// student's module (the harness's) and the checks shipped to students.
  static let notInJudge: Set<String> = ["Student.swift", "PublicChecks.swift"]

  /// The case files among `files`: `Cases.swift` and `Cases+<concern>.swift`, which both the
  /// judge and the student's harness compile.
  static func caseFiles(in files: [URL]) -> [URL] {
    files.filter {
      let name = $0.lastPathComponent
      return name == "Cases.swift" || (name.hasPrefix("Cases+") && name.hasSuffix(".swift"))
    }
  }

  /// The `.swift` files directly in `folder`, sorted.
  func swiftFiles(in folder: URL) throws -> [URL] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
      .filter { $0.hasSuffix(".swift") }
      .map { folder.appendingPathComponent($0) }
  }

  /// FNV-1a, for cache keys.
  static func fnv(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return h
  }
}
