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

  /// Creates a batch grader.
  public init(grader: Grader) {
    self.grader = grader
  }

  /// The file a student's entry is stored in.
  public static func entryFile(_ out: URL, student: String) -> URL {
    out.appendingPathComponent(student).appendingPathComponent("grade-result.json")
  }

  /// Whether `path` holds submissions (rather than being one).
  public static func isBatch(_ path: String) -> Bool {
    !Submission.isSubmission(URL(fileURLWithPath: path)) && !students(in: path).isEmpty
  }

  /// The students' submissions in a batch folder: sub-folders that are submissions and
  /// `.zip` files, sorted by name.
  public static func students(in folder: String) -> [(name: String, url: URL)] {
    let root = URL(fileURLWithPath: folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.sorted().compactMap { name in
      guard !name.hasPrefix(".") else { return nil }
      let url = root.appendingPathComponent(name)
      if url.pathExtension.lowercased() == "zip" {
        return (url.deletingPathExtension().lastPathComponent, url)
      }
      return Submission.isSubmission(url) ? (name, url) : nil
    }
  }

  /// Grades the batch, calling `report` to write each newly graded student's reports into
  /// their folder and `progress` after each student. Returns every entry of the output
  /// folder, this run's and earlier ones'.
  public func run(
    _ options: BatchOptions, report: @escaping @Sendable (GradeResult, URL) throws -> Void,
    progress: @escaping @Sendable (BatchProgress) -> Void
  ) throws -> [BatchEntry] {
    let all = BatchGrader.students(in: options.folder)
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
        let (name, url) = students[i]
        let hash = ContentHash.of(url, settings: settings)
        let file = BatchGrader.entryFile(options.out, student: name)
        var skipped = false
        var entry: BatchEntry
        if !options.force, let previous = BatchGrader.load(file), previous.contentHash == hash {
          entry = previous
          skipped = true
        } else {
          var grading = options.grading
          grading.submission = url.path
          do {
            var result = try grader.grade(grading)
            result.submission = name
            let folder = file.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try report(result, folder)
            entry = BatchEntry(student: name, contentHash: hash, result: result)
          } catch let error as GraderError {
            entry = BatchEntry(
              student: name, contentHash: hash, result: nil, error: error.description)
          } catch {
            entry = BatchEntry(student: name, contentHash: hash, result: nil, error: "\(error)")
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
      for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
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
    let rubricText =
      (try? String(
        contentsOf: grader.packageRoot.appendingPathComponent("Grader/rubric.yaml"), encoding: .utf8
      ))
      ?? ""
    return [
      rubricText, "\(options.seed ?? grader.rubric.seed)", "\(options.publicOnly)",
      "\(options.problems.map { $0.sorted() } ?? [])", "\(options.figures)",
    ].joined(separator: "\u{1}")
  }
}

/// Hands out indices to worker threads.
private final class WorkQueue: @unchecked Sendable {
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
