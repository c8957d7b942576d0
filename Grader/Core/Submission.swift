import Foundation

/// A submission laid out like `Exercises/`: `ProblemN` folders, found at any depth of a
/// folder (or of a `.zip` of one), so that a bare copy of `Exercises/`, a wrapper folder and
/// the whole student package all work. Only regular `.swift` files directly inside each
/// problem folder are taken; links, other files and anything else are ignored.
public struct Submission: Sendable {
  /// The name shown in reports (the folder's or archive's name).
  public let name: String
  /// The Swift files of each problem present, by problem number (any number: the grader
  /// keeps those of its rubric).
  public let problemFiles: [Int: [URL]]

  /// How deep below the submission's root `ProblemN` folders are looked for.
  static let searchDepth = 6
  /// The most folders looked into while searching (a submission of thousands of folders
  /// costs this much, not more).
  static let searchFolders = 2_000

  /// Finds the problems of the submission at `path`, extracting it into `scratch` first when
  /// it is a `.zip` (within `ArchiveLimits.submission`).
  public static func open(_ path: String, scratch: URL) throws -> Submission {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw GraderError.submissionNotFound(path: path)
    }
    let name =
      url.pathExtension.lowercased() == "zip"
      ? url.deletingPathExtension().lastPathComponent : url.lastPathComponent
    var root = url
    if !isDirectory.boolValue {
      guard url.pathExtension.lowercased() == "zip" else {
        throw GraderError.noProblems(path: path)
      }
      root = scratch.appendingPathComponent("submission")
      try ArchiveExtractor.extract(url, into: root)
    }
    let files = problems(in: root)
    guard !files.isEmpty else { throw GraderError.noProblems(path: path) }
    return Submission(name: name, problemFiles: files)
  }

  /// Whether `url` is a submission folder: it holds `ProblemN` folders at some depth.
  public static func isSubmission(_ url: URL) -> Bool {
    isRealDirectory(url) && problemFolder(in: url) != nil
  }

  /// The number of a folder named `Problem<number>`, or nil.
  static func problemNumber(_ name: String) -> Int? {
    guard name.hasPrefix("Problem"), name.count <= 12 else { return nil }
    let digits = name.dropFirst("Problem".count)
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
      return nil
    }
    return Int(digits)
  }

  /// The folder whose `ProblemN` sub-folders are the submission: among the folders holding
  /// any (searched breadth-first, never through links), one named `Exercises` first, then
  /// the shallowest, then the one holding most problems, then the first by path.
  static func problemFolder(in root: URL) -> URL? {
    var candidates: [(url: URL, depth: Int, count: Int)] = []
    var queue: [(URL, Int)] = [(root, 0)]
    var visited = 0
    while !queue.isEmpty, visited < searchFolders {
      let (folder, depth) = queue.removeFirst()
      visited += 1
      let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .sorted()
      var count = 0
      for name in names {
        let child = folder.appendingPathComponent(name)
        guard isRealDirectory(child) else { continue }
        if problemNumber(name) != nil {
          count += 1
        } else if depth < searchDepth {
          queue.append((child, depth + 1))
        }
      }
      if count > 0 { candidates.append((folder, depth, count)) }
    }
    return candidates.min { a, b in
      let aExercises = a.url.lastPathComponent == "Exercises"
      let bExercises = b.url.lastPathComponent == "Exercises"
      if aExercises != bExercises { return aExercises }
      if a.depth != b.depth { return a.depth < b.depth }
      if a.count != b.count { return a.count > b.count }
      return a.url.path < b.url.path
    }?.url
  }

  /// The Swift files of each `ProblemN` folder of the submission under `root`.
  static func problems(in root: URL) -> [Int: [URL]] {
    guard let folder = problemFolder(in: root) else { return [:] }
    let manager = FileManager.default
    var found: [Int: [URL]] = [:]
    for entry in ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() {
      guard let n = problemNumber(entry) else { continue }
      let problem = folder.appendingPathComponent(entry)
      guard isRealDirectory(problem) else { continue }
      let swiftFiles = ((try? manager.contentsOfDirectory(atPath: problem.path)) ?? []).sorted()
        // main.swift is the probe's; Package.swift is a manifest, not part of the problem.
        .filter { $0.hasSuffix(".swift") && $0 != "main.swift" && $0 != "Package.swift" }
        .map { problem.appendingPathComponent($0) }
        .filter(isRegularFile)
      // `Problem1` and `Problem01` both name problem 1: the first by name is kept.
      if found[n] == nil { found[n] = swiftFiles }
    }
    return found
  }

  static func isRealDirectory(_ url: URL) -> Bool {
    var info = stat()
    return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
  }

  private static func isRegularFile(_ url: URL) -> Bool {
    var info = stat()
    return lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
  }
}
