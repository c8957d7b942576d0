import Foundation
import SwiftParser
import SwiftSyntax

#if canImport(Glibc)
  import Glibc
#endif

extension Builder {
  /// A problem's cases compiled once as a module of their own, which every student harness of
  /// that problem links instead of compiling the cases again.
  public struct CaseLibrary: Sendable {
    /// The folder holding `<module>.swiftmodule` and `lib<module>.a`.
    public let folder: URL
    /// The module's name, drawn at random when the library is built.
    public let module: String
    /// The names of the types the case files declare at top level (`API`, `Cases`, and any
    /// type the binding uses), which the harness aliases to its own declarations.
    public let types: [String]
  }

  /// Builds (or finds cached) the cases of a problem (`Cases.swift` and any
  /// `Cases+<concern>.swift`) as a static library and module, cached like the judges by the
  /// names and contents of those files and the runtime, under `.build-grader/cases`. They
  /// depend on the runtime and the problem's own `API` protocol only, never on student code,
  /// so one build serves every submission. Compiled with `-enable-testing`: the harness
  /// imports them `@testable`, so the case files keep their internal declarations.
  public func caseLibrary(folder: String, runtime: Runtime) throws -> CaseLibrary {
    let caseFolder = packageRoot.appendingPathComponent("Grader/Problems/\(folder)")
    let files = try Builder.caseFiles(in: swiftFiles(in: caseFolder))
    guard files.contains(where: { $0.lastPathComponent == "Cases.swift" }) else {
      throw GraderError.judgeBuildFailed(
        problem: folder, output: "expected Grader/Problems/\(folder)/Cases.swift")
    }
    let arguments = ["-wmo", "-enable-testing", "-parse-as-library"]
    let key = try cacheKey(
      runtime: runtime, files: files, salt: "cases " + arguments.joined(separator: " "))
    let target = buildFolder.appendingPathComponent("cases/\(folder)-\(key)")
    let found = try cached(target, complete: "module.txt") { staging in
      let module = "GradeCases_" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
      let built = try compile(
        swiftc(runtime) + arguments + [
          "-module-name", module, "-emit-module", "-emit-module-path",
          staging.appendingPathComponent("\(module).swiftmodule").path,
          "-emit-library", "-static", "-o", staging.appendingPathComponent("lib\(module).a").path,
        ] + files.map(\.path), timeout: 300)
      guard built.ok else {
        throw GraderError.judgeBuildFailed(problem: folder, output: built.output)
      }
      var types: [String] = []
      for file in files {
        types += Builder.topLevelTypes(in: try String(contentsOf: file, encoding: .utf8))
      }
      // Written last: its presence marks a complete library.
      try ([module] + types).joined(separator: "\n")
        .write(
          to: staging.appendingPathComponent("module.txt"), atomically: true, encoding: .utf8)
    }
    let lines = try String(contentsOf: found.appendingPathComponent("module.txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    guard let module = lines.first else {
      throw GraderError.judgeBuildFailed(problem: folder, output: "\(found.path) is incomplete")
    }
    return CaseLibrary(folder: found, module: module, types: Array(lines.dropFirst()))
  }

  /// The names of the types (structs, enums, classes, actors, protocols, type aliases)
  /// declared at the top level of `source`.
  static func topLevelTypes(in source: String) -> [String] {
    Parser.parse(source: source).statements.compactMap { statement -> String? in
      guard case .decl(let decl) = statement.item else { return nil }
      if let d = decl.as(StructDeclSyntax.self) { return d.name.text }
      if let d = decl.as(EnumDeclSyntax.self) { return d.name.text }
      if let d = decl.as(ClassDeclSyntax.self) { return d.name.text }
      if let d = decl.as(ActorDeclSyntax.self) { return d.name.text }
      if let d = decl.as(ProtocolDeclSyntax.self) { return d.name.text }
      if let d = decl.as(TypeAliasDeclSyntax.self) { return d.name.text }
      return nil
    }
  }

  /// A cache key from the runtime (its flags and its library's date), `salt`, and the names
  /// and contents of `files`: a file added, removed, renamed or edited makes a new key.
  func cacheKey(runtime: Runtime, files: [URL], salt: String = "") throws -> String {
    var hashed: [UInt8] = Array(runtime.flags.joined(separator: " ").utf8)
    let library = runtime.folder.appendingPathComponent("libGradeRuntime.so")
    let stamp =
      (try? FileManager.default.attributesOfItem(atPath: library.path)[.modificationDate]
        as? Date)
    hashed += Array("\(stamp?.timeIntervalSince1970 ?? 0)".utf8)
    if !salt.isEmpty { hashed += Array("\u{0}\(salt)".utf8) }
    for file in files {
      hashed += Array("\u{0}\(file.lastPathComponent)\u{0}".utf8)
      hashed += Array((try Data(contentsOf: file)))
    }
    return String(Builder.fnv(hashed), radix: 16)
  }

  /// The cache folder `target`, built by `build` into a staging folder when it does not hold
  /// `complete` yet. Concurrent graders build each entry once: the lock is per entry, and the
  /// staging folder becomes `target` in one move.
  ///
  /// Each use dates the entry's marker, and building an entry removes the other entries of
  /// the same problem unused for `keptUnused` seconds (a week): each edit of a problem or of
  /// the runtime makes new entries, and the old ones would otherwise stay forever.
  func cached(
    _ target: URL, complete: String, keptUnused: TimeInterval = 7 * 24 * 3600,
    build: (URL) throws -> Void
  ) throws -> URL {
    let manager = FileManager.default
    let marker = target.appendingPathComponent(complete).path
    if manager.fileExists(atPath: marker) {
      try? manager.setAttributes([.modificationDate: Date()], ofItemAtPath: marker)
      return target
    }
    try manager.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    let fd = open(target.path + ".lock", O_CREAT | O_RDWR, 0o644)
    defer { if fd >= 0 { close(fd) } }
    if fd >= 0 { flock(fd, LOCK_EX) }
    if manager.fileExists(atPath: marker) { return target }
    let staging = target.appendingPathExtension("tmp-\(getpid())")
    try? manager.removeItem(at: staging)
    try manager.createDirectory(at: staging, withIntermediateDirectories: true)
    do {
      try build(staging)
    } catch {
      try? manager.removeItem(at: staging)
      throw error
    }
    try? manager.removeItem(at: target)
    try manager.moveItem(at: staging, to: target)
    Builder.pruneUnused(besides: target, complete: complete, olderThan: keptUnused)
    return target
  }

  /// Removes the cache entries beside `target` of the same problem (named
  /// `<problem>-<key>`) whose marker `complete` was last used more than `age` seconds ago,
  /// with their lock files. Entries being built (staging folders) and incomplete ones are
  /// left alone.
  static func pruneUnused(besides target: URL, complete: String, olderThan age: TimeInterval) {
    let manager = FileManager.default
    let parent = target.deletingLastPathComponent()
    let name = target.lastPathComponent
    guard let dash = name.lastIndex(of: "-") else { return }
    let prefix = String(name[...dash])
    let cutoff = Date().addingTimeInterval(-age)
    for entry in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
    where entry.hasPrefix(prefix) && entry != name && !entry.contains(".") {
      let folder = parent.appendingPathComponent(entry)
      let marker = folder.appendingPathComponent(complete).path
      guard
        let used = (try? manager.attributesOfItem(atPath: marker))?[.modificationDate] as? Date,
        used < cutoff
      else { continue }
      try? manager.removeItem(at: folder)
      try? manager.removeItem(atPath: folder.path + ".lock")
    }
  }
}
