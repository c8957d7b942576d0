import Foundation
import Glibc
import Synchronization

/// Control groups that bound each run of a student's program as a whole: the memory of all
/// its processes together (in-memory files included, since the kernel charges tmpfs pages
/// to the group that writes them) and the number of its processes and threads.
///
/// One parent group is made per grading, below the grader's own group, and one child group
/// per run inside it. cgroup v2 is used where `/sys/fs/cgroup` is one and the memory and
/// pids controllers can be delegated to the grader's groups; otherwise the v1 `memory` and
/// `pids` hierarchies where they are mounted and writable. Where neither works (not root,
/// no delegation) `create` returns nil and the report says that only per-process limits
/// applied. When the last copy is released, every run group is emptied (its processes
/// killed) and removed.
final class ControlGroups: Sendable {
  /// `cgroup v2` or `cgroup v1`.
  let mechanism: String
  /// The grading's parent group folders: one for v2, the memory and pids ones for v1.
  let parents: [String]
  /// Memory of a run, in bytes.
  let memoryBytes: Int
  /// Processes and threads of a run.
  let processes: Int
  private let counter = Atomic<Int>(0)

  private init(mechanism: String, parents: [String], memoryBytes: Int, processes: Int) {
    self.mechanism = mechanism
    self.parents = parents
    self.memoryBytes = memoryBytes
    self.processes = processes
  }

  /// The groups for one grading, or nil when this machine does not let the grader make
  /// bounded ones.
  static func create(memoryMiB: Int, processes: Int, root: String = "/sys/fs/cgroup")
    -> ControlGroups?
  {
    let name = "gradwork-\(getpid())-\(UUID().uuidString.prefix(8))"
    let own = ownGroups()
    if FileManager.default.fileExists(atPath: root + "/cgroup.controllers") {
      // v2: a group whose controllers may be enabled for its children. The grader's own
      // group qualifies only if it holds no process ("no internal processes"), so the
      // hierarchy's root is tried too (it is exempt).
      var bases = [root + (own[""] ?? "")]
      if bases[0] != root { bases.append(root) }
      for base in bases where enable(["memory", "pids"], in: base) {
        let parent = base + "/" + name
        guard mkdir(parent, 0o755) == 0 else { continue }
        if enable(["memory", "pids"], in: parent) {
          return ControlGroups(
            mechanism: "cgroup v2", parents: [parent], memoryBytes: memoryMiB << 20,
            processes: processes)
        }
        rmdir(parent)
      }
      return nil
    }
    let memory = root + "/memory" + (own["memory"] ?? "")
    let pids = root + "/pids" + (own["pids"] ?? "")
    guard FileManager.default.fileExists(atPath: memory + "/cgroup.procs"),
      FileManager.default.fileExists(atPath: pids + "/cgroup.procs")
    else { return nil }
    let parents = [memory + "/" + name, pids + "/" + name]
    guard mkdir(parents[0], 0o755) == 0 else { return nil }
    guard mkdir(parents[1], 0o755) == 0 else {
      rmdir(parents[0])
      return nil
    }
    return ControlGroups(
      mechanism: "cgroup v1", parents: parents, memoryBytes: memoryMiB << 20,
      processes: processes)
  }

  /// Makes the group of a new run, with its limits set and read back; nil when the group
  /// could not be made as asked.
  func newRun() -> RunGroup? {
    // Earlier run groups are not swept here: one made by a concurrent run may still be
    // empty, waiting for its process to join. They are all removed with the grading's group.
    let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
    var files: [String] = []
    for parent in parents {
      let group = "\(parent)/run-\(n)"
      guard mkdir(group, 0o755) == 0 else { return nil }
      files.append(group + "/cgroup.procs")
    }
    let ok: Bool
    if mechanism == "cgroup v2" {
      let group = "\(parents[0])/run-\(n)"
      ok =
        write("\(memoryBytes)", to: group + "/memory.max")
        && write("\(processes)", to: group + "/pids.max")
      // No swap, and the whole run is killed together when it runs out of memory.
      _ = write("0", to: group + "/memory.swap.max")
      _ = write("1", to: group + "/memory.oom.group")
    } else {
      let memory = "\(parents[0])/run-\(n)"
      ok =
        write("\(memoryBytes)", to: memory + "/memory.limit_in_bytes")
        && write("\(processes)", to: "\(parents[1])/run-\(n)/pids.max")
      // Memory plus swap, where the kernel accounts swap (set after the memory limit).
      _ = write("\(memoryBytes)", to: memory + "/memory.memsw.limit_in_bytes")
    }
    guard ok else { return nil }
    return RunGroup(
      procsFiles: files, memoryGroup: "\(parents[0])/run-\(n)", isV2: mechanism == "cgroup v2",
      memoryBytes: memoryBytes)
  }

  deinit {
    for parent in parents {
      for name in runGroups(parent) {
        let group = "\(parent)/\(name)"
        // A process that outlived its run (possible only without bubblewrap) is killed.
        if !ControlGroups.write("1", to: group + "/cgroup.kill") {
          for _ in 0..<3 {
            let pids = (try? String(contentsOfFile: group + "/cgroup.procs", encoding: .utf8)) ?? ""
            let list = pids.split(separator: "\n").compactMap { pid_t($0) }
            if list.isEmpty { break }
            for pid in list where pid > 1 { kill(pid, SIGKILL) }
            usleep(20_000)
          }
        }
        for _ in 0..<50 where rmdir(group) != 0 && errno == EBUSY { usleep(20_000) }
      }
      rmdir(parent)
    }
  }

  private func runGroups(_ parent: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter {
      $0.hasPrefix("run-")
    }
  }

  private func write(_ value: String, to file: String) -> Bool {
    ControlGroups.write(value, to: file)
  }

  /// Writes `value` to a control file; whether the kernel took it.
  static func write(_ value: String, to file: String) -> Bool {
    let fd = open(file, O_WRONLY)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    let bytes = Array(value.utf8)
    return Glibc.write(fd, bytes, bytes.count) == bytes.count
  }

  /// Enables `controllers` for the children of `group`; whether they are enabled.
  private static func enable(_ controllers: [String], in group: String) -> Bool {
    let available = words(group + "/cgroup.controllers")
    guard controllers.allSatisfy(available.contains) else { return false }
    let missing = controllers.filter { !words(group + "/cgroup.subtree_control").contains($0) }
    if !missing.isEmpty {
      _ = write(
        missing.map { "+" + $0 }.joined(separator: " "), to: group + "/cgroup.subtree_control")
    }
    return controllers.allSatisfy(words(group + "/cgroup.subtree_control").contains)
  }

  private static func words(_ file: String) -> Set<String> {
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    return Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
  }

  /// The grader's own group in each hierarchy, from `/proc/self/cgroup`: by controller
  /// name, and `""` for the v2 hierarchy.
  private static func ownGroups() -> [String: String] {
    let text = (try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)) ?? ""
    var groups: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
      guard fields.count == 3 else { continue }
      let path = fields[2] == "/" ? "" : String(fields[2])
      for controller in fields[1].split(separator: ",") { groups[String(controller)] = path }
      if fields[1].isEmpty { groups[""] = path }
    }
    return groups
  }

  /// The shell command that joins a run's groups, then becomes the command after it. It
  /// runs as the grader (joining needs its rights) before privileges are dropped; a join
  /// that fails stops the run with status 125 rather than run it unbounded.
  static func joinPrefix(_ procsFiles: [String]) -> [String] {
    let script =
      #"for f; do shift; [ "$f" = -- ] && break; echo $$ > "$f" || { echo "grader: cannot "#
      + #"join the run's control group" >&2; exit 125; }; done; exec "$@""#
    return ["/bin/sh", "-c", script, "sh"] + procsFiles + ["--"]
  }
}

/// One run's control groups.
struct RunGroup: Sendable {
  /// The `cgroup.procs` files a process writes its pid to in order to join the run's groups.
  let procsFiles: [String]
  /// The run's memory group folder.
  let memoryGroup: String
  /// Whether the group is a cgroup v2 one.
  let isV2: Bool
  /// The run's memory limit, in bytes.
  let memoryBytes: Int

  /// The kernel's memory counters of the run, read from its group's files (call it once the
  /// run has ended).
  func memoryCounters() -> MemoryCounters {
    MemoryCounters.read(group: memoryGroup, v2: isV2, limitBytes: memoryBytes)
  }
}
