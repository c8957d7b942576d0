import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Builds the runtime library once (under a lock, so concurrent graders share it), the
/// trusted judge program of each problem (cached by content), and each submission's program:
/// the student's files under a random module name, with the harness calling them by that
/// qualified name (see ``compileSubmission(folder:files:runtime:scratch:timeout:report:)``).
public struct Builder: Sendable {
  /// The course: its catalog, solutions and cases (Solutions/, Grader/Problems/).
  public let packageRoot: URL
  /// The package whose `GradeRuntime` product student programs link against (the grader's
  /// own package; the course's by default).
  public let runtimePackage: URL
  /// Where the runtime library, the judge programs and the module cache are kept.
  public let buildFolder: URL

  /// The most Swift files compiled for one problem.
  public static let maxFiles = 32
  /// The largest Swift file compiled, in bytes.
  public static let maxFileBytes = 1 << 20

  /// Creates a builder for the course at `packageRoot`, with the runtime of `runtimePackage`
  /// (the course itself by default); `buildFolder` defaults to `.build-grader` inside the
  /// runtime's package.
  public init(packageRoot: URL, runtimePackage: URL? = nil, buildFolder: URL? = nil) {
    self.packageRoot = packageRoot
    self.runtimePackage = runtimePackage ?? packageRoot
    self.buildFolder =
      buildFolder ?? (runtimePackage ?? packageRoot).appendingPathComponent(".build-grader")
  }

  /// The built runtime: its folder and the compiler flags that find its modules.
  public struct Runtime: Sendable {
    /// The folder holding `libGradeRuntime.so` and `Modules/`.
    public let folder: URL
    /// Flags for swiftc: module search paths, C module maps, OpenBLAS's headers.
    public let flags: [String]
  }

  /// Builds (or finds up to date) the release runtime library that judge programs and
  /// student programs link against, unless `swift build` already made one beside the running
  /// grader (see ``prebuiltRuntime()``). An exclusive lock on the build folder makes any number
  /// of concurrent graders wait for one build instead of racing on it.
  public func buildRuntime(usingPrebuilt: Bool = true) throws -> Runtime {
    if usingPrebuilt, let prebuilt = try prebuiltRuntime() { return prebuilt }
    try FileManager.default.createDirectory(at: buildFolder, withIntermediateDirectories: true)
    let lockPath = buildFolder.appendingPathComponent("build.lock").path
    let fd = open(lockPath, O_CREAT | O_RDWR, 0o644)
    guard fd >= 0 else {
      throw GraderError.runtimeBuildFailed(output: "cannot open the lock file \(lockPath)")
    }
    defer { close(fd) }
    guard flock(fd, LOCK_EX) == 0 else {
      throw GraderError.runtimeBuildFailed(output: "cannot lock \(lockPath)")
    }
    defer { flock(fd, LOCK_UN) }
    let manifestFile = buildFolder.appendingPathComponent("release.yaml")
    // A runtime built from exactly the sources there are now needs no `swift build`, whose
    // check alone takes seconds: the stamp holds the runtime's folder and the fingerprint of
    // what it was built from.
    let stampFile = buildFolder.appendingPathComponent("runtime.stamp")
    let fingerprint = runtimeFingerprint()
    if let stamp = try? String(contentsOf: stampFile, encoding: .utf8),
      let newline = stamp.firstIndex(of: "\n"), stamp[stamp.index(after: newline)...] == fingerprint
    {
      let folder = URL(fileURLWithPath: String(stamp[..<newline]))
      if FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("libGradeRuntime.so").path),
        let manifest = try? String(contentsOf: manifestFile, encoding: .utf8)
      {
        return Runtime(folder: folder, flags: try flags(folder: folder, manifest: manifest))
      }
    }
    try? FileManager.default.removeItem(at: stampFile)
    let common = [
      "-c", "release", "--scratch-path", buildFolder.path, "--package-path", runtimePackage.path,
    ]
    let result = try Command.run(
      "/usr/bin/env", ["swift", "build", "--product", "GradeRuntime"] + common, timeout: 900)
    guard result.status == 0 else {
      throw GraderError.runtimeBuildFailed(output: String(result.output.suffix(4000)))
    }
    let binPath = try Command.run(
      "/usr/bin/env", ["swift", "build", "--show-bin-path"] + common, timeout: 120)
    let folder = URL(
      fileURLWithPath: binPath.output.split(separator: "\n").last.map(String.init)
        ?? buildFolder.appendingPathComponent("release").path)
    let manifest = (try? String(contentsOf: manifestFile, encoding: .utf8)) ?? ""
    // The fingerprint taken before the build: a source edited during it fails the next check.
    try? "\(folder.path)\n\(fingerprint)".write(to: stampFile, atomically: true, encoding: .utf8)
    return Runtime(folder: folder, flags: try flags(folder: folder, manifest: manifest))
  }

  /// What the release runtime is built from, as text: the path, size and modification time
  /// of every file of its targets (`Sources/Autograd`, `Sources/CVectorMath`,
  /// `Sources/Courseware`, `Sources/CBLAS`, `Grader/Protocol`), of `Package.swift` and `Package.resolved`, and of the `swift` found
  /// on the `PATH`. Any edit, addition, removal or toolchain change gives another text.
  func runtimeFingerprint() -> String {
    let manager = FileManager.default
    let keys: Set<URLResourceKey> = [.contentModificationDateKey, .fileSizeKey]
    func line(_ file: URL) -> String {
      let values = try? file.resolvingSymlinksInPath().resourceValues(forKeys: keys)
      let time = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
      return "\(file.path) \(values?.fileSize ?? -1) \(time)"
    }
    var lines: [String] = []
    let folders = [
      "Sources/Autograd", "Sources/CVectorMath", "Sources/Courseware", "Sources/CBLAS",
      "Grader/Protocol",
    ]
    for folder in folders {
      let root = runtimePackage.appendingPathComponent(folder)
      var files: [URL] = []
      let walker = manager.enumerator(at: root, includingPropertiesForKeys: Array(keys))
      while let file = walker?.nextObject() as? URL { files.append(file) }
      lines += files.map(line).sorted()
    }
    lines += ["Package.swift", "Package.resolved"].map {
      line(runtimePackage.appendingPathComponent($0))
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    if let swift = path.split(separator: ":").map({
      URL(fileURLWithPath: String($0)).appendingPathComponent("swift")
    }).first(where: { manager.isExecutableFile(atPath: $0.path) }) {
      lines.append(line(swift))
    }
    return lines.joined(separator: "\n")
  }

  /// The runtime `swift build` already made beside the running grader (`.build/debug`), when
  /// it belongs to this package and is newer than every source it is built from: then the
  /// first grading after a build costs no runtime build. `nil` otherwise.
  func prebuiltRuntime() throws -> Runtime? {
    guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
    let folder = executable.deletingLastPathComponent()
    let manager = FileManager.default
    let library = folder.appendingPathComponent("libGradeRuntime.so")
    // SwiftPM writes `<scratch>/debug.yaml`; the products live in `<scratch>/debug`, a link
    // to `<scratch>/<triple>/debug`, so the manifest is one or two folders up.
    let name = "\(folder.lastPathComponent).yaml"
    let parent = folder.deletingLastPathComponent()
    let manifest =
      [
        parent.appendingPathComponent(name),
        parent.deletingLastPathComponent().appendingPathComponent(name),
      ].first { manager.fileExists(atPath: $0.path) } ?? parent.appendingPathComponent(name)
    guard
      let built = (try? manager.attributesOfItem(atPath: library.path))?[.modificationDate]
        as? Date,
      let text = try? String(contentsOf: manifest, encoding: .utf8),
      text.contains(runtimePackage.appendingPathComponent("Sources/CBLAS").path),
      ["Autograd", "Courseware", "GradeProtocol"].allSatisfy({
        manager.fileExists(atPath: folder.appendingPathComponent("Modules/\($0).swiftmodule").path)
      })
    else { return nil }
    let sources = [
      "Sources/Autograd", "Sources/CVectorMath", "Sources/Courseware", "Grader/Protocol",
    ].map {
      runtimePackage.appendingPathComponent($0)
    }
    for root in sources {
      let walker = manager.enumerator(
        at: root, includingPropertiesForKeys: [.contentModificationDateKey])
      while let file = walker?.nextObject() as? URL {
        let changed = try? file.resourceValues(forKeys: [.contentModificationDateKey])
          .contentModificationDate
        if let changed, changed > built { return nil }
      }
    }
    return Runtime(folder: folder, flags: try flags(folder: folder, manifest: text))
  }

  /// The compiler flags for a runtime in `folder` built with SwiftPM manifest `manifest`.
  func flags(folder: URL, manifest: String) throws -> [String] {
    let pkgConfig = try Command.run(
      "/usr/bin/env", ["pkg-config", "--cflags", "openblas"], timeout: 30)
    guard pkgConfig.status == 0 else {
      throw GraderError.toolMissing(
        name: "pkg-config openblas", hint: "install libopenblas-dev and pkg-config (scripts/setup)")
    }
    return ["-I", folder.appendingPathComponent("Modules").path]
      + Builder.moduleMapFlags(buildManifest: manifest)
      + Builder.clangFlags(pkgConfigCflags: pkgConfig.output)
  }

  /// `-Xcc -fmodule-map-file=…` for every C module map the runtime's own build used (read
  /// from SwiftPM's build manifest), so no checkout path is assumed.
  public static func moduleMapFlags(buildManifest: String) -> [String] {
    // A plain split: the manifest runs to megabytes, where a regex took a tenth of a second of
    // every grading's start.
    let found = buildManifest.split(separator: "-fmodule-map-file=").dropFirst().compactMap {
      piece -> String? in
      let path = piece.prefix { $0 != "\"" && !$0.isWhitespace }
      return path.isEmpty ? nil : String(path)
    }
    var seen = Set<String>()
    return found.filter { seen.insert($0).inserted }.flatMap {
      ["-Xcc", "-fmodule-map-file=\($0)"]
    }
  }

  /// Compiler flags for OpenBLAS's headers from `pkg-config --cflags openblas`: each `-I` and
  /// `-D` passed to the C importer.
  public static func clangFlags(pkgConfigCflags: String) -> [String] {
    pkgConfigCflags.split(whereSeparator: \.isWhitespace).map(String.init)
      .filter { $0.hasPrefix("-I") || $0.hasPrefix("-D") }
      .flatMap { ["-Xcc", $0] }
  }

  /// Common swiftc arguments against the runtime.
  func swiftc(_ runtime: Runtime, optimize: Bool = false) -> [String] {
    [
      "swiftc", "-swift-version", "6", optimize ? "-O" : "-Onone",
      "-module-cache-path", buildFolder.appendingPathComponent("ModuleCache").path,
    ] + runtime.flags
  }

  /// `-use-ld=lld` when the toolchain ships LLVM's linker (beside `swiftc` or on the `PATH`):
  /// it links a student's program in about half the time of the system's default linker.
  /// Empty otherwise, which keeps the default.
  static let fastLinker: [String] = {
    let toolchain = swiftcOnPath?.deletingLastPathComponent()
    let found = ([toolchain].compactMap { $0 } + pathFolders).contains {
      FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("ld.lld").path)
    }
    return found ? ["-use-ld=lld"] : []
  }()

  /// The folders of the `PATH`, in order.
  static var pathFolders: [URL] {
    (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
      .map { URL(fileURLWithPath: String($0)) }
  }

  /// The `swiftc` the `PATH` finds, its links resolved (in the toolchain's own folder).
  static let swiftcOnPath: URL? = pathFolders.map { $0.appendingPathComponent("swiftc") }
    .first { FileManager.default.isExecutableFile(atPath: $0.path) }?.resolvingSymlinksInPath()

  /// Runs swiftc; returns its output and whether it succeeded.
  func compile(_ arguments: [String], timeout: Double) throws -> (ok: Bool, output: String) {
    let result = try Command.run("/usr/bin/env", arguments, timeout: timeout)
    var output = result.output
    if result.timedOut { output += "\nThe compiler was stopped after \(Int(timeout)) s." }
    return (result.status == 0 && !result.timedOut, output)
  }
}
