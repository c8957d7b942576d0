import Foundation
import GradeModel
import Synchronization

/// How a student's program is started: per-process resource limits always; a control group
/// bounding the memory and processes of each run as a whole where the grader can make one;
/// bubblewrap where it works (only /usr, the Swift runtime and the program's folder visible,
/// a read-only root, small sized in-memory /tmp and /dev/shm, no network, no capabilities);
/// an unprivileged uid whenever the grader runs as root.
public struct Sandbox: Sendable {
  /// The limits of each run.
  public let limits: Limits
  /// Whether bubblewrap is used.
  public let usesBubblewrap: Bool
  /// Whether the program drops to an unprivileged uid and gid of its own.
  public let dropsPrivileges: Bool
  /// The control groups bounding each run as a whole, when the grader could make them.
  let groups: ControlGroups?
  /// The toolchain's runtime library folders, visible (read-only) inside the sandbox.
  let runtimeFolders: [String]

  /// The size of the sandbox's private `/tmp`, in MiB.
  public static let tmpMiB = 64
  /// The size of the sandbox's `/dev/shm` (POSIX shared memory), in MiB.
  public static let shmMiB = 4

  /// Whether memory and processes are bounded for each run as a whole (not only per
  /// process).
  public var boundsWholeRun: Bool { groups != nil }

  init(
    limits: Limits, usesBubblewrap: Bool, dropsPrivileges: Bool, groups: ControlGroups?,
    runtimeFolders: [String]
  ) {
    self.limits = limits
    self.runtimeFolders = runtimeFolders
    self.usesBubblewrap = usesBubblewrap
    self.dropsPrivileges = dropsPrivileges
    self.groups = groups
  }

  /// Chooses the strongest isolation this machine supports. `wholeRun: false` leaves out
  /// the control groups (to compare, or where they are not wanted). `runtimeFolders` are the
  /// toolchain's runtime library folders (by default asked of `swiftc` once per process).
  public static func detect(
    limits: Limits, wholeRun: Bool = true, runtimeFolders: [String]? = nil
  ) -> Sandbox {
    let runtimeFolders = runtimeFolders ?? Sandbox.runtimeFolders
    let root = getuid() == 0
    let hasSetpriv = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    let drops = root && hasSetpriv
    let groups =
      wholeRun
      ? ControlGroups.create(memoryMiB: limits.memoryMiB, processes: limits.processes) : nil
    // Each combination is tried on /bin/true, strongest first, and kept only if it works.
    func works(_ sandbox: Sandbox) -> Bool {
      let command = sandbox.launcher(workFolder: nil) + ["/bin/true"]
      let result = try? Command.run(command[0], Array(command.dropFirst()), timeout: 20)
      return result?.status == 0
    }
    var choices: [(bwrap: Bool, groups: ControlGroups?)] = []
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") {
      if groups != nil { choices.append((true, groups)) }
      choices.append((true, nil))
    }
    if groups != nil { choices.append((false, groups)) }
    for choice in choices {
      let sandbox = Sandbox(
        limits: limits, usesBubblewrap: choice.bwrap, dropsPrivileges: drops,
        groups: choice.groups, runtimeFolders: runtimeFolders)
      if works(sandbox) { return sandbox }
    }
    return Sandbox(
      limits: limits, usesBubblewrap: false, dropsPrivileges: drops, groups: nil,
      runtimeFolders: runtimeFolders)
  }

  /// A sentence for the report saying what was in force.
  public var isolation: Isolation {
    var parts: [String] = []
    if usesBubblewrap {
      parts.append(
        "bubblewrap sandbox: only /usr, the Swift runtime and the program's folder visible, "
          + "all read-only under a read-only root; writable only a private \(Sandbox.tmpMiB) MiB "
          + "/tmp and a \(Sandbox.shmMiB) MiB /dev/shm, both in memory; no network, "
          + "no capabilities")
    } else {
      parts.append(
        "no sandbox (bubblewrap is not available here): resource limits only, and the "
          + "program can read what its user can read")
    }
    parts.append(
      dropsPrivileges ? "an unprivileged uid of its own for each run" : "the grader's own uid")
    if let groups {
      parts.append(
        "memory and processes bounded for each run as a whole (all its processes and "
          + "in-memory files together) by a \(groups.mechanism) control group")
    } else {
      parts.append(
        "memory and processes limited per process only (no control group could be made "
          + "here), so a run's processes together may use more")
    }
    return Isolation(
      sandboxed: usesBubblewrap, description: parts.joined(separator: "; "), limits: limits,
      wholeRun: groups.map {
        WholeRunLimits(
          mechanism: $0.mechanism, memoryMiB: $0.memoryBytes >> 20, processes: $0.processes)
      },
      memoryFileSystems: usesBubblewrap
        ? [
          MemoryFileSystem(path: "/tmp", sizeMiB: Sandbox.tmpMiB),
          MemoryFileSystem(path: "/dev/shm", sizeMiB: Sandbox.shmMiB),
        ] : [])
  }

  /// The command prefix that starts a program under this sandbox (the program and its
  /// arguments follow). `workFolder` is the one folder the program sees besides the system
  /// (read-only); nothing else of the grader is bound in. Each call makes the control group
  /// of one run, so call it once per run.
  public func launcher(workFolder: String? = nil) -> [String] {
    prepareRun(workFolder: workFolder).command
  }

  /// One run's command prefix (as ``launcher(workFolder:)``) and the control group that
  /// bounds it, nil where none does, whose counters say afterwards how the run ended.
  func prepareRun(workFolder: String?) -> (command: [String], group: RunGroup?) {
    var command: [String] = []
    var group: RunGroup?
    if let groups {
      // Joined first, as the grader: every process of the run is then counted together.
      group = groups.newRun()
      if let group {
        command += ControlGroups.joinPrefix(group.procsFiles)
      } else {
        command += [
          "/bin/sh", "-c", "echo 'grader: cannot make the run'\''s control group' >&2; exit 125",
          "sh",
        ]
      }
    }
    if dropsPrivileges {
      // A uid of its own for each run: the process limit counts per uid, so runs sharing one
      // (a fork bomb in one submission) would starve each other of processes.
      let uid = Sandbox.nextUID()
      command += ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"]
    }
    command += [
      // CPU: SIGXCPU at the limit, SIGKILL a second later for a program that ignores it.
      "/usr/bin/prlimit", "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)",
      "--as=\(limits.memoryMiB << 20)", "--nproc=\(limits.processes)",
      "--fsize=\(limits.fileSizeMiB << 20)", "--nofile=256", "--core=0", "--",
    ]
    if usesBubblewrap {
      // Only what a Swift program needs is visible: /usr, the loader's cache, the Swift
      // runtime and the program's own folder, all read-only, plus a small private /tmp.
      // Everything else on the machine (other copies of the course, home folders, /work)
      // does not exist inside.
      command += [
        "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session",
        "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64",
        "/lib64", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
      ]
      for file in ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives"]
      where FileManager.default.fileExists(atPath: file) {
        command += ["--ro-bind", file, file]
      }
      for folder in runtimeFolders where !folder.hasPrefix("/usr/") {
        command += ["--ro-bind", folder, folder]
      }
      // The only writable places are two small in-memory file systems of fixed size (their
      // pages count in the run's control group). /dev's own file system and the root are
      // made read-only last, once everything is mounted on them.
      command += [
        "--proc", "/proc", "--dev", "/dev",
        "--size", "\(Sandbox.shmMiB << 20)", "--tmpfs", "/dev/shm",
        "--size", "\(Sandbox.tmpMiB << 20)", "--tmpfs", "/tmp",
        "--cap-drop", "ALL",
      ]
      if let workFolder { command += ["--ro-bind", workFolder, workFolder] }
      command += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/tmp", "--"]
    }
    return (command, group)
  }

  /// Uids handed to runs, cycling through a range no system account uses.
  private static let uidCounter = Atomic<Int>(0)

  static func nextUID() -> Int {
    let n = uidCounter.wrappingAdd(1, ordering: .relaxed).oldValue
    return 200_000 + (Int(getpid()) % 1_000) * 1_000 + n % 1_000
  }

  /// The folders holding the Swift runtime libraries, as the toolchain reports them.
  static let runtimeFolders: [String] = askedRuntimeFolders() ?? []

  /// The runtime library folders `swiftc -print-target-info` reports; nil when it fails.
  static func askedRuntimeFolders() -> [String]? {
    guard
      let result = try? Command.run("/usr/bin/env", ["swiftc", "-print-target-info"], timeout: 60),
      result.status == 0, let data = result.output.data(using: .utf8),
      let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let paths = (info["paths"] as? [String: Any])?["runtimeLibraryPaths"] as? [String]
    else { return nil }
    return paths.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
  }
}
