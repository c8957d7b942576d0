import Foundation
import GradeModel
import Testing

@testable import GraderCore

/// A run that the control group stops for memory is reported as such, from the kernel's
/// counters of the run's group: a program that fills memory is run through the runner, and
/// the counters' texts are parsed as each cgroup version writes them.

/// Limits small enough that a test exceeds them quickly.
private let limits = Limits(
  wallSeconds: 20, cpuSeconds: 10, memoryMiB: 256, processes: 64, fileSizeMiB: 256,
  outputBytes: 1 << 16)

/// Fills 200 MiB of its address space, touched, then 8 × 64 MiB of in-memory files (which
/// count in its control group but not in its address space, so the per-process limit does
/// not stop it first): 712 MiB against the run's 256 MiB. With `kill` it instead writes a
/// line about memory and kills itself with SIGKILL, as a program faking the report would.
private let bombSource = #"""
  #define _GNU_SOURCE
  #include <signal.h>
  #include <stdio.h>
  #include <string.h>
  #include <sys/mman.h>
  #include <unistd.h>
  int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "kill") == 0) {
      fputs("Fatal error: used more than the memory limit\n", stderr);
      fflush(stderr);
      kill(getpid(), SIGKILL);
    }
    size_t size = (size_t)200 << 20;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    memset(p, 1, size);
    static char chunk[1 << 16];
    memset(chunk, 2, sizeof chunk);
    for (int f = 0; f < 8; f++) {
      int fd = memfd_create("fill", 0);
      if (fd < 0) return 2;
      for (int i = 0; i < (64 << 20) / (int)sizeof chunk; i++) {
        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) return 3;
      }
    }
    return p[12345] == 1 ? 0 : 4;
  }
  """#

/// Runs the bomb (with `arguments`) as a student's program for one case; returns the case's
/// verdict, or nil if it answered.
private func verdict(_ sandbox: Sandbox, folder: URL, arguments: [String] = []) throws
  -> Verdict?
{
  let program = folder.appendingPathComponent("bomb")
  // The runner starts the program without arguments: a script passes them on.
  let script = folder.appendingPathComponent("bomb.sh")
  try "#!/bin/sh\nexec \(program.path) \(arguments.joined(separator: " "))\n".write(
    to: script, atomically: true, encoding: .utf8)
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
  let (outcomes, _) = try Runner(sandbox: sandbox).run(
    executable: script, requests: [Runner.Request(id: "case", inputs: [])], folder: folder)
  guard case .died(let verdict) = try #require(outcomes["case"]) else { return nil }
  return verdict
}

@Test func aRunKilledForMemoryIsReportedAsTheMemoryLimit() throws {
  let sandbox = Sandbox.detect(limits: limits)
  try #require(sandbox.boundsWholeRun, "no control group can be made here")
  let folder = try buildC(bombSource, named: "bomb")
  defer { try? FileManager.default.removeItem(at: folder) }
  let got = try verdict(sandbox, folder: folder)
  #expect(got == .memoryLimit(bytes: 256 << 20))
  #expect(
    got?.explanation == "Stopped: the program used more than the memory limit of 256 MiB.")
  #expect(got?.label == "out of memory")
}

@Test func aProgramKillingItselfIsNotReportedAsTheMemoryLimit() throws {
  let sandbox = Sandbox.detect(limits: limits)
  try #require(sandbox.boundsWholeRun, "no control group can be made here")
  let folder = try buildC(bombSource, named: "bomb")
  defer { try? FileManager.default.removeItem(at: folder) }
  // SIGKILL and a line about memory, but the group's counters show no kill for memory.
  let got = try verdict(sandbox, folder: folder, arguments: ["kill"])
  guard case .crashed(let signal, _) = got else {
    Issue.record("expected a crash, got \(got?.explanation ?? "an answer")")
    return
  }
  #expect(signal == "SIGKILL")
}

@Test func withoutAControlGroupTheSameProgramIsNotStoppedForMemory() throws {
  let sandbox = Sandbox.detect(limits: limits, wholeRun: false)
  let folder = try buildC(bombSource, named: "bomb")
  defer { try? FileManager.default.removeItem(at: folder) }
  // Only the per-process limits hold: the in-memory files are outside the address space, so
  // the program fills all 712 MiB and exits normally before answering.
  let got = try verdict(sandbox, folder: folder)
  #expect(
    got == .invalidObservation(reason: "the program exited before returning this case's result"))
}

@Test func cgroupV2EventsAreParsed() {
  // memory.events of a v2 group after a kill for memory (memory.oom.group set), as written
  // by Linux 6.1, and of one that never reached its limit.
  let killed = "low 0\nhigh 0\nmax 731\noom 1\noom_kill 1\noom_group_kill 1\n"
  let counters = MemoryCounters.v2(events: killed, limitBytes: 256 << 20)
  #expect(counters.oomKills == 1)
  #expect(counters.limitReached)
  let calm = "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n"
  #expect(!MemoryCounters.v2(events: calm, limitBytes: 256 << 20).limitReached)
  // Reclaim at the limit ("max") without a kill is not a kill for memory.
  let reclaimed = "low 0\nhigh 0\nmax 12\noom 0\noom_kill 0\n"
  #expect(!MemoryCounters.v2(events: reclaimed, limitBytes: 256 << 20).limitReached)
  // An unreadable file (empty text) says nothing.
  #expect(!MemoryCounters.v2(events: "", limitBytes: 256 << 20).limitReached)
}

@Test func cgroupV1CountersAreParsed() {
  // memory.oom_control and memory.max_usage_in_bytes of a v1 group with a 64 MiB limit,
  // recorded on Linux 6.18 after one process was killed for memory.
  let limit = 64 << 20
  let killed = MemoryCounters.v1(
    oomControl: "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n", maxUsage: "67108864\n",
    limitBytes: limit)
  #expect(killed == MemoryCounters(oomKills: 1, peakBytes: 67_108_864, limitBytes: limit))
  #expect(killed.limitReached)
  // A kernel that counts kills is believed over the peak: at the limit but nothing killed.
  let reclaimed = MemoryCounters.v1(
    oomControl: "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", maxUsage: "67108864\n",
    limitBytes: limit)
  #expect(!reclaimed.limitReached)
  // Before Linux 4.13 there is no oom_kill line: the peak reaching the limit decides.
  let old = "oom_kill_disable 0\nunder_oom 0\n"
  #expect(MemoryCounters.v1(oomControl: old, maxUsage: "67108864", limitBytes: limit).limitReached)
  #expect(!MemoryCounters.v1(oomControl: old, maxUsage: "1048576", limitBytes: limit).limitReached)
}
