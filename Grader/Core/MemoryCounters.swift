import Foundation

/// What the kernel counted in one run's memory control group, read from the group's own
/// files after the run ended. A run killed for memory dies by SIGKILL like any other killed
/// run; only these counters, which the program cannot write, tell the two apart.
struct MemoryCounters: Equatable, Sendable {
  /// Processes of the group the kernel's OOM killer killed; nil where the kernel does not
  /// count them (cgroup v1 before Linux 4.13 has no `oom_kill` line).
  var oomKills: Int?
  /// The most memory the group held at once, in bytes (v1's `memory.max_usage_in_bytes`).
  var peakBytes: Int?
  /// The group's memory limit, in bytes.
  var limitBytes: Int

  /// Whether the run reached its memory limit and the kernel killed for it: the OOM kill
  /// count where the kernel keeps one, else whether the peak reached the limit (the kernel
  /// lets a group reach its limit only when reclaim cannot keep it below, which without
  /// swap ends in the OOM killer).
  var limitReached: Bool {
    if let oomKills { return oomKills > 0 }
    if let peakBytes { return limitBytes > 0 && peakBytes >= limitBytes }
    return false
  }

  /// The counters of cgroup v2, from the text of `memory.events` (lines `key value`):
  /// `oom_kill` counts the processes killed, `oom_group_kill` the whole-group kills
  /// (`memory.oom.group` is set, so both may appear).
  static func v2(events: String, limitBytes: Int) -> MemoryCounters {
    let fields = keyValues(events)
    let kills = [fields["oom_kill"], fields["oom_group_kill"]].compactMap { $0 }
    return MemoryCounters(
      oomKills: kills.isEmpty ? nil : kills.max(), peakBytes: nil, limitBytes: limitBytes)
  }

  /// The counters of cgroup v1, from the text of `memory.oom_control` (lines `key value`,
  /// `oom_kill` among them since Linux 4.13) and of `memory.max_usage_in_bytes`.
  static func v1(oomControl: String, maxUsage: String, limitBytes: Int) -> MemoryCounters {
    MemoryCounters(
      oomKills: keyValues(oomControl)["oom_kill"],
      peakBytes: Int(maxUsage.trimmingCharacters(in: .whitespacesAndNewlines)),
      limitBytes: limitBytes)
  }

  /// Reads the counters of the memory group at `group` (a v2 group when `v2`).
  static func read(group: String, v2: Bool, limitBytes: Int) -> MemoryCounters {
    func text(_ name: String) -> String {
      (try? String(contentsOfFile: group + "/" + name, encoding: .utf8)) ?? ""
    }
    if v2 { return .v2(events: text("memory.events"), limitBytes: limitBytes) }
    return .v1(
      oomControl: text("memory.oom_control"), maxUsage: text("memory.max_usage_in_bytes"),
      limitBytes: limitBytes)
  }

  /// `key value` lines as a dictionary; lines of another form are skipped.
  private static func keyValues(_ text: String) -> [String: Int] {
    var fields: [String: Int] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
    }
    return fields
  }
}
