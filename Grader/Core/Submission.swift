import Foundation

/// A submission laid out like `Exercises/`: a folder (or a `.zip` of one) with `ProblemN`
/// folders. Only regular `.swift` files directly inside each problem folder are taken; links,
/// other files and anything else in the submission are ignored.
public struct Submission: Sendable {
  /// The name shown in reports (the folder's or archive's name).
  public let name: String
  /// The Swift files of each problem present, by problem number.
  public let problemFiles: [Int: [URL]]

  /// Finds the problems of the submission at `path`, extracting it into `scratch` first when
  /// it is a `.zip`.
  public static func open(_ path: String, scratch: URL) throws -> Submission {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw GraderError.submissionNotFound(path: path)
    }
    let name = url.deletingPathExtension().lastPathComponent
    var root = url
    if !isDirectory.boolValue {
      guard url.pathExtension.lowercased() == "zip" else {
        throw GraderError.noProblems(path: path)
      }
      root = try extract(url, into: scratch.appendingPathComponent("submission"))
    }
    let files = try problems(in: root)
    guard !files.isEmpty else { throw GraderError.noProblems(path: path) }
    return Submission(name: name, problemFiles: files)
  }

  /// Whether `url` is a submission folder: it holds `ProblemN` folders, directly or inside
  /// its only subfolder.
  public static func isSubmission(_ url: URL) -> Bool {
    guard isRealDirectory(url) else { return false }
    return !((try? problems(in: url)) ?? [:]).isEmpty
  }

  /// `ProblemN` folders under `root`, or under its only subfolder (archives often wrap one).
  private static func problems(in root: URL) throws -> [Int: [URL]] {
    let manager = FileManager.default
    var found: [Int: [URL]] = [:]
    let entries = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
    for entry in entries {
      guard entry.hasPrefix("Problem"), let n = Int(entry.dropFirst("Problem".count)),
        (1...5).contains(n)
      else { continue }
      let folder = root.appendingPathComponent(entry)
      guard isRealDirectory(folder) else { continue }
      let swiftFiles = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        // main.swift is the probe's; Package.swift is a manifest, not part of the problem.
        .filter { $0.hasSuffix(".swift") && $0 != "main.swift" && $0 != "Package.swift" }
        .map { folder.appendingPathComponent($0) }
        .filter(isRegularFile)
      found[n] = swiftFiles
    }
    if found.isEmpty {
      let folders = entries.filter { isRealDirectory(root.appendingPathComponent($0)) }
      if folders.count == 1 { return try problems(in: root.appendingPathComponent(folders[0])) }
    }
    return found
  }

  private static func isRealDirectory(_ url: URL) -> Bool {
    let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .isSymbolicLinkKey])
    return values?.isDirectory == true && values?.isSymbolicLink != true
  }

  private static func isRegularFile(_ url: URL) -> Bool {
    let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
    return values?.isRegularFile == true && values?.isSymbolicLink != true
  }

  /// Extracts an archive with `unzip`, then drops anything that is not a regular file or
  /// folder (links) and refuses archives whose entries would land outside `destination`.
  private static func extract(_ archiveURL: URL, into destination: URL) throws -> URL {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") else {
      throw GraderError.toolMissing(name: "unzip", hint: "install it (apt-get install unzip)")
    }
    let listing = try Command.run("/usr/bin/unzip", ["-Z1", archiveURL.path], timeout: 60)
    guard listing.status == 0 else {
      throw GraderError.badArchive(path: archiveURL.path, reason: "not a readable zip archive")
    }
    for entry in listing.output.split(separator: "\n")
    where entry.hasPrefix("/") || entry.split(separator: "/").contains("..") {
      throw GraderError.badArchive(
        path: archiveURL.path, reason: "entry \(entry) points outside the archive")
    }
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    let result = try Command.run(
      "/usr/bin/unzip", ["-qq", "-o", archiveURL.path, "-d", destination.path], timeout: 120)
    guard result.status == 0 || result.status == 1 else {
      throw GraderError.badArchive(
        path: archiveURL.path, reason: "unzip failed: \(result.output.prefix(500))")
    }
    return destination
  }
}
