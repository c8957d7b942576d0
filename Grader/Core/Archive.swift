import Foundation
import ZIPFoundation

/// Bounds on what extracting one submission archive may produce. Every bound is checked on
/// the archive's central directory before anything is written, and again on the bytes
/// actually inflated (a header may lie about sizes).
public struct ArchiveLimits: Sendable, Equatable {
  /// The largest archive file read, in bytes.
  public var archiveBytes: Int
  /// The most bytes all extracted files may hold together.
  public var totalBytes: Int
  /// The largest single extracted file, in bytes.
  public var fileBytes: Int
  /// The most entries (files and folders) in the archive.
  public var entries: Int
  /// The highest ratio of an entry's size to its compressed size, for entries larger than
  /// `ratioFloorBytes` (small files of repeated text compress well and are harmless).
  public var compressionRatio: Double
  /// Entries smaller than this are not held to `compressionRatio`.
  public var ratioFloorBytes: Int
  /// The most folders an entry's path may have above it.
  public var depth: Int

  /// Limits sized for a course submission: its Swift files are a few hundred KiB at most,
  /// and a student package with docs is a few MiB, so these leave ample room while keeping
  /// a bomb's cost to the grading disk small.
  public static let submission = ArchiveLimits(
    archiveBytes: 64 << 20, totalBytes: 128 << 20, fileBytes: 32 << 20, entries: 5_000,
    compressionRatio: 200, ratioFloorBytes: 1 << 20, depth: 16)

  /// Creates limits.
  public init(
    archiveBytes: Int, totalBytes: Int, fileBytes: Int, entries: Int, compressionRatio: Double,
    ratioFloorBytes: Int, depth: Int
  ) {
    self.archiveBytes = archiveBytes
    self.totalBytes = totalBytes
    self.fileBytes = fileBytes
    self.entries = entries
    self.compressionRatio = compressionRatio
    self.ratioFloorBytes = ratioFloorBytes
    self.depth = depth
  }
}

/// Extraction of `.zip` submissions with ZIPFoundation, bounded by `ArchiveLimits`.
///
/// Only regular files and folders are written; links (and anything else) are skipped. A
/// path that is absolute, climbs with `..`, holds a NUL or a backslash, or is too deep
/// refuses the whole archive, since no honest archiving tool writes one. Every folder is
/// created one component at a time under the destination and never through a link. When
/// the grader runs as root, the writing is done on a thread whose file-system uid is an
/// unprivileged one, so the kernel itself refuses a write anywhere that uid may not write.
public enum ArchiveExtractor {
  /// The file-system uid and gid extraction runs under when the grader is root.
  static let unprivilegedID: UInt32 = 199_999

  /// What the central directory says, checked against `limits` before anything is written.
  struct Plan {
    /// Entries to write: relative path components, and whether it is a folder.
    var items: [(entry: Entry, components: [String], isFolder: Bool)]
    /// Entries skipped (links), by path.
    var skipped: [String]
  }

  /// Extracts `archive` into `destination` (created if missing) within `limits`. Throws
  /// `GraderError.badArchive` with the reason when the archive is refused.
  public static func extract(
    _ archive: URL, into destination: URL, limits: ArchiveLimits = .submission
  ) throws {
    let path = archive.path
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    guard size <= limits.archiveBytes else {
      throw GraderError.badArchive(
        path: path,
        reason:
          "the archive is \(mebibytes(size)), over the limit of \(mebibytes(limits.archiveBytes))"
      )
    }
    let zip: ZIPFoundation.Archive
    do {
      zip = try ZIPFoundation.Archive(url: archive, accessMode: .read)
    } catch {
      throw GraderError.badArchive(path: path, reason: "not a readable zip archive")
    }
    let plan = try check(Array(zip), limits: limits, path: path)
    try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
    let box = ExtractionJob(zip: zip, plan: plan, destination: destination, limits: limits)
    if getuid() == 0 {
      // The destination belongs to the unprivileged uid, which may write nowhere else.
      chown(destination.path, unprivilegedID, unprivilegedID)
      let thread = Thread { box.runUnprivileged() }
      thread.start()
      box.done.wait()
    } else {
      box.run()
    }
    if let failure = box.failure {
      throw GraderError.badArchive(path: path, reason: failure)
    }
  }

  /// Checks every entry of the central directory against `limits` and the path rules.
  static func check(_ entries: [Entry], limits: ArchiveLimits, path: String) throws -> Plan {
    func refuse(_ reason: String) -> GraderError { .badArchive(path: path, reason: reason) }
    guard entries.count <= limits.entries else {
      throw refuse(
        "it holds \(entries.count) entries, over the limit of \(limits.entries)")
    }
    var plan = Plan(items: [], skipped: [])
    var total: UInt64 = 0
    for entry in entries {
      let name = entry.path
      guard let components = safeComponents(name) else {
        throw refuse("the entry \(quoted(name)) points outside the archive or is not a plain path")
      }
      guard components.count <= limits.depth + 1 else {
        throw refuse(
          "the entry \(quoted(name)) is \(components.count - 1) folders deep, over the limit of \(limits.depth)"
        )
      }
      switch entry.type {
      case .symlink:
        plan.skipped.append(name)
        continue
      case .directory:
        plan.items.append((entry, components, true))
        continue
      case .file:
        break
      }
      let bytes = entry.uncompressedSize
      guard bytes <= UInt64(limits.fileBytes) else {
        throw refuse(
          "the entry \(quoted(name)) would be \(mebibytes(bytes)), over the per-file limit of "
            + "\(mebibytes(limits.fileBytes))")
      }
      total += bytes
      guard total <= UInt64(limits.totalBytes) else {
        throw refuse(
          "its files would take more than \(mebibytes(limits.totalBytes)) once extracted")
      }
      if bytes > UInt64(limits.ratioFloorBytes) {
        let ratio = Double(bytes) / Double(max(entry.compressedSize, 1))
        guard ratio <= limits.compressionRatio else {
          throw refuse(
            "the entry \(quoted(name)) expands \(Int(ratio)) times (a zip bomb?), over the limit "
              + "of \(Int(limits.compressionRatio))")
        }
      }
      plan.items.append((entry, components, false))
    }
    return plan
  }

  /// The components of an entry's path, or nil when the path is absolute, climbs out with
  /// `..`, or holds a NUL, a backslash or a drive letter.
  static func safeComponents(_ path: String) -> [String]? {
    guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\"), !path.contains("\0") else {
      return nil
    }
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    guard !parts.isEmpty, !parts.contains(".."), !(parts.first?.contains(":") ?? false) else {
      return nil
    }
    let kept = parts.filter { $0 != "." }
    return kept.isEmpty ? nil : kept
  }

  static func mebibytes(_ bytes: some BinaryInteger) -> String {
    let value = Double(bytes) / 1_048_576
    let tenths = Int((value * 10).rounded(.down))
    return tenths % 10 == 0 || value >= 10 ? "\(tenths / 10) MiB" : "\(Double(tenths) / 10) MiB"
  }

  /// A name quoted for a message, cut to 120 characters.
  static func quoted(_ name: String) -> String {
    "\"\(name.count > 120 ? name.prefix(120) + "…" : Substring(name))\""
  }
}

/// One extraction, run on a thread of its own when privileges are dropped.
private final class ExtractionJob: @unchecked Sendable {
  let zip: ZIPFoundation.Archive
  let plan: ArchiveExtractor.Plan
  let destination: URL
  let limits: ArchiveLimits
  let done = DispatchSemaphore(value: 0)
  /// Why extraction stopped, if it did.
  private(set) var failure: String?

  init(
    zip: ZIPFoundation.Archive, plan: ArchiveExtractor.Plan, destination: URL, limits: ArchiveLimits
  ) {
    self.zip = zip
    self.plan = plan
    self.destination = destination
    self.limits = limits
  }

  /// Sets this thread's file-system uid and gid to an unprivileged one (the kernel then
  /// clears its file-system capabilities), extracts, and restores them. `setfsuid` acts on
  /// the calling thread only, so the rest of the grader keeps its privileges.
  func runUnprivileged() {
    // glibc declares these in <sys/fsuid.h>, which the Glibc module does not import.
    typealias SetID = @convention(c) (UInt32) -> Int32
    guard let uidSymbol = dlsym(nil, "setfsuid"), let gidSymbol = dlsym(nil, "setfsgid") else {
      failure = "could not drop privileges for extraction (no setfsuid)"
      done.signal()
      return
    }
    let setfsuid = unsafeBitCast(uidSymbol, to: SetID.self)
    let setfsgid = unsafeBitCast(gidSymbol, to: SetID.self)
    let id = ArchiveExtractor.unprivilegedID
    _ = setfsgid(id)
    _ = setfsuid(id)
    defer {
      _ = setfsuid(0)
      _ = setfsgid(0)
      done.signal()
    }
    // An invalid uid changes nothing and returns the current one.
    guard setfsuid(UInt32.max) == Int32(bitPattern: id) else {
      failure = "could not drop privileges for extraction"
      return
    }
    run()
  }

  /// Writes the planned entries, counting the bytes actually inflated.
  func run() {
    var written = 0
    do {
      for item in plan.items {
        let folder = try makeFolders(item.isFolder ? item.components : item.components.dropLast())
        guard !item.isFolder, let name = item.components.last else { continue }
        let target = folder.appendingPathComponent(name)
        // O_EXCL and O_NOFOLLOW: never through a link, never over something already there.
        let fd = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
          throw Stop("the entry \(ArchiveExtractor.quoted(item.entry.path)) appears twice")
        }
        defer { close(fd) }
        var fileBytes = 0
        _ = try zip.extract(item.entry, skipCRC32: false) { chunk in
          fileBytes += chunk.count
          written += chunk.count
          // The header's sizes were checked already; these catch a header that lied.
          if fileBytes > self.limits.fileBytes || UInt64(fileBytes) > item.entry.uncompressedSize {
            throw Stop(
              "the entry \(ArchiveExtractor.quoted(item.entry.path)) inflates past its declared size"
            )
          }
          if written > self.limits.totalBytes {
            throw Stop(
              "its files would take more than \(ArchiveExtractor.mebibytes(self.limits.totalBytes)) once extracted"
            )
          }
          try chunk.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
              let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
              guard n > 0 else { throw Stop("writing an extracted file failed") }
              offset += n
            }
          }
        }
      }
    } catch let stop as Stop {
      failure = stop.reason
    } catch {
      failure = "not a readable zip archive (\(error))"
    }
  }

  /// Creates `components` below the destination, one folder at a time, refusing to pass
  /// through anything that is not a real folder.
  private func makeFolders(_ components: some Collection<String>) throws -> URL {
    var url = destination
    for component in components {
      url.appendPathComponent(component)
      if mkdir(url.path, 0o755) != 0 && errno != EEXIST {
        throw Stop("cannot create the folder \(ArchiveExtractor.quoted(component))")
      }
      var info = stat()
      guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
        throw Stop("the entry \(ArchiveExtractor.quoted(component)) is both a file and a folder")
      }
    }
    return url
  }

  private struct Stop: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
  }
}
