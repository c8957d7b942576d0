import CourseCatalog
import Foundation
import GradeModel

/// What a batch run should grade and where it writes.
public struct BatchOptions: Sendable {
  /// The folder holding one sub-folder or `.zip` per student.
  public var folder: String
  /// Where reports, the gradebook and the summary go.
  public var out: URL
  /// Submissions graded at once.
  public var jobs: Int
  /// Grade only slice `index` (1-based) of `count` slices of the students, sorted by name.
  public var shard: (index: Int, count: Int)?
  /// Grade again even what is already graded and unchanged.
  public var force = false
  /// The options every submission is graded with (its `submission` is replaced).
  public var grading: GradeOptions

  /// Creates batch options.
  public init(
    folder: String, out: URL, jobs: Int, shard: (index: Int, count: Int)? = nil,
    force: Bool = false,
    grading: GradeOptions
  ) {
    self.folder = folder
    self.out = out
    self.jobs = jobs
    self.shard = shard
    self.force = force
    self.grading = grading
  }
}

/// One entry of a batch folder: a student's folder or `.zip`, or anything else that is
/// there (listed as not gradable, so that nothing in the folder goes unreported).
public struct BatchInput: Sendable, Equatable {
  /// The entry's distinct, folder-safe id (`BatchGrader.ids`).
  public var id: String
  /// Its name in the batch folder.
  public var name: String
  /// Its path.
  public var url: URL
  /// Why it cannot be graded, when that is known without grading it.
  public var notGradable: String?
}

/// Progress of a batch, reported after each submission.
public struct BatchProgress: Sendable {
  /// Submissions done (graded or skipped) so far.
  public var done: Int
  /// Submissions in this run (this shard).
  public var total: Int
  /// The student just finished.
  public var student: String
  /// Whether it was skipped as already graded and unchanged.
  public var skipped: Bool
  /// Its entry.
  public var entry: BatchEntry
}

/// Grades a folder of submissions: each student's reports in a folder of their own, and the
/// entries that the gradebook and the summary are made from. One broken or hostile
/// submission never stops the batch; an interrupted batch started again skips what was
/// graded and has not changed.
public struct BatchGrader: Sendable {
  /// The grader each submission goes through.
  public let grader: Grader
  /// Grades one submission: `grader.grade`, or a stand-in where a test checks the batch's
  /// bookkeeping without compiling anything.
  private let gradeOne: @Sendable (GradeOptions) throws -> GradeResult

  /// Creates a batch grader.
  public init(grader: Grader) {
    self.grader = grader
    self.gradeOne = { try grader.grade($0) }
  }

  /// Creates a batch grader whose submissions go through `grade` instead of the grader.
  init(grader: Grader, grade: @escaping @Sendable (GradeOptions) throws -> GradeResult) {
    self.grader = grader
    self.gradeOne = grade
  }

  /// The folder under the output folder that holds one folder per student, so that no
  /// student's name can collide with the batch's own files (gradebook.csv, summary.md).
  public static let studentsFolder = "students"

  /// The file a student's entry is stored in.
  public static func entryFile(_ out: URL, student: String) -> URL {
    out.appendingPathComponent(studentsFolder).appendingPathComponent(student)
      .appendingPathComponent("grade-result.json")
  }

  /// Whether `path` is a folder of submissions rather than one submission. A folder that
  /// holds `ProblemN` folders itself, or a `Package.swift` (the student package), is one
  /// submission; otherwise it is a batch when it holds more than one candidate (a `.zip`,
  /// or a folder with `ProblemN` folders at some depth), or only a `.zip`. So a batch of
  /// archives plus one folder is a batch of all of them. `grade --batch` says so outright.
  public static func isBatch(_ path: String) -> Bool {
    let root = URL(fileURLWithPath: path)
    guard Submission.isRealDirectory(root) else { return false }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    if names.contains("Package.swift")
      || names.contains(where: {
        Submission.problemNumber($0) != nil
          && Submission.isRealDirectory(root.appendingPathComponent($0))
      })
    {
      return false
    }
    var zips = 0
    var folders = 0
    for name in names where !ignored(name) {
      let url = root.appendingPathComponent(name)
      if isZip(url) {
        zips += 1
      } else if Submission.isSubmission(url) {
        folders += 1
      }
    }
    return zips + folders > 1 || (zips == 1 && folders == 0)
  }

  /// Names in a batch folder that are not entries: hidden files and folders (`.DS_Store`,
  /// `.git`) and the `__MACOSX` folder that macOS archives leave.
  static func ignored(_ name: String) -> Bool {
    name.hasPrefix(".") || name == "__MACOSX"
  }

  private static func isZip(_ url: URL) -> Bool {
    var info = stat()
    return url.pathExtension.lowercased() == "zip" && lstat(url.path, &info) == 0
      && info.st_mode & S_IFMT == S_IFREG
  }

  /// Every entry of a batch folder, sorted by name, with distinct ids: folders and `.zip`
  /// files are graded; anything else (a stray file, a link) is listed as not gradable with
  /// the reason. `excluding` (the output folder, when it is inside) is left out.
  public static func inputs(in folder: String, excluding: URL? = nil) -> [BatchInput] {
    let root = URL(fileURLWithPath: folder)
    let skip = excluding.map { $0.standardizedFileURL.resolvingSymlinksInPath().path }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { !ignored($0) }
      .filter { root.appendingPathComponent($0).resolvingSymlinksInPath().path != skip }
      .sorted()
    let idList = ids(for: names)
    return zip(names, idList).map { name, id in
      let url = root.appendingPathComponent(name)
      var reason: String?
      if !isZip(url) && !Submission.isRealDirectory(url) {
        var info = stat()
        let isLink = lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
        reason =
          isLink
          ? "a link, not a submission (links are not followed)"
          : "not a submission: neither a folder nor a .zip"
      }
      return BatchInput(id: id, name: name, url: url, notGradable: reason)
    }
  }

  /// A distinct, folder-safe id for each name (in order): the name without `.zip`, with
  /// every character other than ASCII letters, digits, `-`, `_` and `.` replaced by `_`, no
  /// leading dot, at most 64 characters; names that then collide (compared without case,
  /// as some file systems do) get `-2`, `-3`, … in the order given.
  public static func ids(for names: [String]) -> [String] {
    var taken = Set<String>()
    return names.map { name in
      let base = safeID(name)
      var id = base
      var n = 1
      while taken.contains(id.lowercased()) {
        n += 1
        id = "\(base)-\(n)"
      }
      taken.insert(id.lowercased())
      return id
    }
  }

  /// `name` as a safe folder name (see `ids(for:)`), never empty, `.` or `..`.
  public static func safeID(_ name: String) -> String {
    var stem = name
    if stem.lowercased().hasSuffix(".zip") { stem.removeLast(4) }
    var id = String(
      stem.unicodeScalars.map { scalar -> Character in
        let ok =
          scalar.isASCII
          && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
        return ok ? Character(scalar) : "_"
      })
    while id.hasPrefix(".") { id.removeFirst() }
    id = String(id.prefix(64))
    return id.isEmpty ? "entry" : id
  }

  /// Grades the batch, calling `report` to write each newly graded student's reports into
  /// their folder and `progress` after each student. Returns every entry of the output
  /// folder, this run's and earlier ones'.
  public func run(
    _ options: BatchOptions, report: @escaping @Sendable (GradeResult, URL) throws -> Void,
    progress: @escaping @Sendable (BatchProgress) -> Void
  ) throws -> [BatchEntry] {
    guard Submission.isRealDirectory(URL(fileURLWithPath: options.folder)) else {
      throw GraderError.submissionNotFound(path: options.folder)
    }
    let all = BatchGrader.inputs(in: options.folder, excluding: options.out)
    guard !all.isEmpty else { throw GraderError.noProblems(path: options.folder) }
    let students =
      options.shard.map { shard in
        all.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
      } ?? all
    try FileManager.default.createDirectory(at: options.out, withIntermediateDirectories: true)
    let settings = settingsText(options.grading)
    let queue = WorkQueue(count: students.count)
    let workers = max(1, min(options.jobs, students.count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while let i = queue.next() {
        let input = students[i]
        let name = input.id
        let hash = ContentHash.of(input.url, settings: settings)
        let file = BatchGrader.entryFile(options.out, student: name)
        var skipped = false
        var entry: BatchEntry
        if !options.force, let previous = BatchGrader.load(file), previous.contentHash == hash,
          previous.graderFault != true, previous.entry == input.name
        {
          entry = previous
          skipped = true
        } else if let reason = input.notGradable {
          entry = BatchEntry(
            student: name, contentHash: hash, result: nil, error: reason, entry: input.name)
          BatchGrader.store(entry, file)
        } else {
          var grading = options.grading
          grading.submission = input.url.path
          do {
            var result = try gradeOne(grading)
            result.submission =
              input.url.pathExtension.lowercased() == "zip"
              ? input.url.deletingPathExtension().lastPathComponent : input.name
            let folder = file.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try report(result, folder)
            entry = BatchEntry(student: name, contentHash: hash, result: result, entry: input.name)
          } catch let error as GraderError {
            entry = BatchEntry(
              student: name, contentHash: hash, result: nil, error: error.description,
              entry: input.name, graderFault: error.isGraderFault ? true : nil)
          } catch {
            // Writing the reports failed: the grader's fault, graded again next time.
            entry = BatchEntry(
              student: name, contentHash: hash, result: nil, error: "\(error)", entry: input.name,
              graderFault: true)
          }
          // Written last, so an interrupted run never leaves a half-graded student marked done.
          BatchGrader.store(entry, file)
        }
        progress(
          BatchProgress(
            done: queue.finish(), total: students.count, student: name, skipped: skipped,
            entry: entry))
      }
    }
    return BatchGrader.entries(in: [options.out])
  }

  /// Every stored entry under the given output folders (later folders win for a student).
  public static func entries(in folders: [URL]) -> [BatchEntry] {
    var byStudent: [String: BatchEntry] = [:]
    for folder in folders {
      let students = folder.appendingPathComponent(studentsFolder).path
      for name in (try? FileManager.default.contentsOfDirectory(atPath: students)) ?? [] {
        if let entry = load(entryFile(folder, student: name)) { byStudent[entry.student] = entry }
      }
    }
    return byStudent.values.sorted { $0.student < $1.student }
  }

  static func load(_ file: URL) -> BatchEntry? {
    guard let data = try? Data(contentsOf: file) else { return nil }
    return try? JSONDecoder().decode(BatchEntry.self, from: data)
  }

  static func store(_ entry: BatchEntry, _ file: URL) {
    try? FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    try? encoder.encode(entry).write(to: file, options: .atomic)
  }

  private func settingsText(_ options: GradeOptions) -> String {
    // The rubric and every problem's cases and solution: a change to any regrades.
    let root = grader.packageRoot
    var files = [
      root.appendingPathComponent("Grader/rubric.yaml"), Catalog.path(packageRoot: root),
    ]
    for problem in grader.rubric.problems {
      for folder in ["Grader/Problems/\(problem.folder)", "Solutions/\(problem.folder)"] {
        let url = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        files += names.sorted().map { url.appendingPathComponent($0) }
      }
    }
    let rubricText = files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
      .joined(separator: "\u{2}")
    return [
      rubricText, "\(options.seed.map(String.init) ?? "fresh")", "\(options.publicOnly)",
      "\(options.problems.map { $0.sorted() } ?? [])", "\(options.figures)",
    ].joined(separator: "\u{1}")
  }
}

/// Hands out indices to worker threads.
final class WorkQueue: @unchecked Sendable {
  private let lock = NSLock()
  private var index = 0
  private var finished = 0
  private let count: Int

  init(count: Int) { self.count = count }

  /// Counts one more item done and returns the count.
  func finish() -> Int {
    lock.lock()
    defer { lock.unlock() }
    finished += 1
    return finished
  }

  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard index < count else { return nil }
    index += 1
    return index - 1
  }
}

/// A 64-bit FNV-1a hash of a submission's files (paths and contents, in a fixed order) and
/// the grading settings. It only has to notice change, not resist an adversary: a student
/// who forges a collision gains a stale grade of their own earlier submission.
enum ContentHash {
  static func of(_ url: URL, settings: String) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    func mix(_ bytes: some Sequence<UInt8>) {
      for byte in bytes {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01B3
      }
    }
    mix(settings.utf8)
    var files: [URL] = []
    if let walker = FileManager.default.enumerator(
      at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [])
    {
      for case let file as URL in walker
      where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
        files.append(file)
      }
    } else {
      files = [url]
    }
    if files.isEmpty { files = [url] }
    for file in files.sorted(by: { $0.path < $1.path }) {
      mix(file.path.dropFirst(url.path.count).utf8)
      mix([0])
      mix((try? Data(contentsOf: file)) ?? Data())
    }
    return String(hash, radix: 16)
  }
}
