import Foundation

/// Builds the runtime library once, then compiles each problem of a submission on its own
/// with `swiftc` against it: a compile error costs only that problem.
public struct Builder: Sendable {
  /// The package root (holding Package.swift, Sources/, Grader/).
  public let packageRoot: URL
  /// Where the runtime library and module cache are kept between gradings.
  public var buildFolder: URL { packageRoot.appendingPathComponent(".build-grader") }

  /// The most Swift files compiled for one problem.
  public static let maxFiles = 32
  /// The largest Swift file compiled, in bytes.
  public static let maxFileBytes = 1 << 20

  /// Creates a builder for the package at `packageRoot`.
  public init(packageRoot: URL) {
    self.packageRoot = packageRoot
  }

  /// Builds (or finds up to date) the release runtime library student programs link
  /// against, and returns the folder holding it and its modules.
  public func buildRuntime() throws -> URL {
    let result = try Command.run(
      "/usr/bin/env",
      [
        "swift", "build", "-c", "release", "--product", "GradeRuntime",
        "--scratch-path", buildFolder.path, "--package-path", packageRoot.path,
      ], timeout: 900)
    guard result.status == 0 else {
      throw GraderError.runtimeBuildFailed(output: String(result.output.suffix(4000)))
    }
    return buildFolder.appendingPathComponent("release")
  }

  /// The result of compiling one problem.
  public struct Compiled: Sendable {
    /// The program, when it built.
    public let executable: URL?
    /// The compiler's diagnostics, with paths relative to the submission.
    public let diagnostics: String
  }

  /// Compiles a problem's student files with its probe into `folder/probe`.
  ///
  /// Student files are copied in first (as plain files under fixed names), so nothing in
  /// the submission can reach the command line; the probe is the program's `main.swift`.
  public func compile(
    problem: Int, files: [URL], runtime: URL, folder: URL, timeout: Double = 120
  ) throws -> Compiled {
    let manager = FileManager.default
    // Bounds on what reaches the compiler, so a submission cannot stall it with size.
    if files.count > Builder.maxFiles {
      return Compiled(
        executable: nil,
        diagnostics:
          "Problem\(problem) holds \(files.count) Swift files; at most \(Builder.maxFiles) "
          + "are compiled. Keep your code in Problem\(problem).swift.")
    }
    for file in files {
      let size = (try? manager.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
      if size > Builder.maxFileBytes {
        return Compiled(
          executable: nil,
          diagnostics:
            "Problem\(problem)/\(file.lastPathComponent) is \(size / 1024) KiB; files over "
            + "\(Builder.maxFileBytes / 1024) KiB are not compiled.")
      }
    }
    let source = folder.appendingPathComponent("Problem\(problem)")
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
      names[copy.path] = "Problem\(problem)/\(file.lastPathComponent)"
    }
    let probe = source.appendingPathComponent("main.swift")
    try? manager.removeItem(at: probe)
    try manager.copyItem(
      at: packageRoot.appendingPathComponent("Grader/Probes/Probe\(problem).swift"), to: probe)
    let executable = folder.appendingPathComponent("probe\(problem)")
    let arguments =
      [
        "swiftc", "-swift-version", "6", "-module-name", "Submission", "-Onone",
        // A student's expression may not keep the type checker busy for long.
        "-Xfrontend", "-solver-expression-time-threshold=5",
        "-module-cache-path", buildFolder.appendingPathComponent("ModuleCache").path,
        "-I", runtime.appendingPathComponent("Modules").path,
        "-I",
        buildFolder.appendingPathComponent(
          "checkouts/swift-numerics/Sources/_NumericsShims/include"
        ).path,
        "-I", packageRoot.appendingPathComponent("Sources/CBLAS").path,
        "-Xcc", "-I/usr/include/x86_64-linux-gnu/openblas-pthread",
        "-L", runtime.path, "-lGradeRuntime", "-Xlinker", "-rpath", "-Xlinker", "$ORIGIN/runtime",
        "-o", executable.path,
      ] + inputs + [probe.path]
    let result = try Command.run("/usr/bin/env", arguments, timeout: timeout)
    var diagnostics = result.output
    for (path, name) in names {
      diagnostics = diagnostics.replacingOccurrences(of: path, with: name)
    }
    diagnostics = diagnostics.replacingOccurrences(of: probe.path, with: "(grader probe)")
    if result.timedOut {
      diagnostics += "\nThe compiler was stopped after \(Int(timeout)) s."
    }
    let built = result.status == 0 && !result.timedOut
    return Compiled(executable: built ? executable : nil, diagnostics: built ? "" : diagnostics)
  }
}
