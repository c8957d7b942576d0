import Foundation
import GradeModel
import Synchronization

/// How a student's program is started: resource limits always; bubblewrap where it works
/// (only /usr, the Swift runtime and the program's folder visible, private /tmp, no network,
/// no capabilities); an unprivileged uid whenever the grader runs as root.
public struct Sandbox: Sendable {
  /// The limits of each run.
  public let limits: Limits
  /// Whether bubblewrap is used.
  public let usesBubblewrap: Bool
  /// Whether the program drops to an unprivileged uid and gid of its own.
  public let dropsPrivileges: Bool

  /// Chooses the strongest isolation this machine supports.
  public static func detect(limits: Limits) -> Sandbox {
    let root = getuid() == 0
    let hasSetpriv = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    let drops = root && hasSetpriv
    var bwrap = false
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") {
      let probe = Sandbox(limits: limits, usesBubblewrap: true, dropsPrivileges: drops)
      if let result = try? Command.run(
        probe.launcher[0], Array(probe.launcher.dropFirst()) + ["/bin/true"], timeout: 20),
        result.status == 0
      {
        bwrap = true
      }
    }
    return Sandbox(limits: limits, usesBubblewrap: bwrap, dropsPrivileges: drops)
  }

  /// A sentence for the report saying what was in force.
  public var isolation: Isolation {
    var parts: [String] = []
    if usesBubblewrap {
      parts.append(
        "bubblewrap sandbox: only /usr, the Swift runtime and the program's folder visible "
          + "(read-only), a private 64 MiB /tmp, no network, no capabilities")
    } else {
      parts.append(
        "no sandbox (bubblewrap is not available here): resource limits only, and the "
          + "program can read what its user can read")
    }
    parts.append(
      dropsPrivileges ? "an unprivileged uid of its own for each run" : "the grader's own uid")
    return Isolation(
      sandboxed: usesBubblewrap, description: parts.joined(separator: "; "), limits: limits)
  }

  /// The command prefix that starts a program under this sandbox (the program and its
  /// arguments follow). `workFolder` is the one folder the program sees besides the system.
  func launcher(workFolder: String? = nil) -> [String] {
    var command: [String] = []
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
      for folder in Sandbox.runtimeFolders where !folder.hasPrefix("/usr/") {
        command += ["--ro-bind", folder, folder]
      }
      command += [
        "--proc", "/proc", "--dev", "/dev", "--size", "\(64 << 20)", "--tmpfs", "/tmp",
        "--cap-drop", "ALL",
      ]
      if let workFolder { command += ["--ro-bind", workFolder, workFolder] }
      command += ["--chdir", "/tmp", "--"]
    }
    return command
  }

  private var launcher: [String] { launcher(workFolder: nil) }

  /// Uids handed to runs, cycling through a range no system account uses.
  private static let uidCounter = Atomic<Int>(0)

  static func nextUID() -> Int {
    let n = uidCounter.wrappingAdd(1, ordering: .relaxed).oldValue
    return 200_000 + (Int(getpid()) % 1_000) * 1_000 + n % 1_000
  }

  /// The folders holding the Swift runtime libraries, as the toolchain reports them.
  static let runtimeFolders: [String] = {
    guard
      let result = try? Command.run("/usr/bin/env", ["swiftc", "-print-target-info"], timeout: 60),
      result.status == 0, let data = result.output.data(using: .utf8),
      let info = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let paths = (info["paths"] as? [String: Any])?["runtimeLibraryPaths"] as? [String]
    else { return [] }
    return paths.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
  }()
}
