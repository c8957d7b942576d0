import Foundation
import GradeModel
import Testing

@testable import GraderCore

/// The sandbox's bounds, measured from inside a run: the memory that all the processes of
/// one run hold together, and what the in-memory file systems take. A small C program
/// (compiled with the toolchain's clang) forks children that each fill a block of memory,
/// keep it for two seconds and then say so: a child killed for memory says nothing.

/// Limits small enough that a test exceeds them quickly.
private let limits = Limits(
  wallSeconds: 20, cpuSeconds: 10, memoryMiB: 256, processes: 64, fileSizeMiB: 256,
  outputBytes: 1 << 16)

private let hogSource = #"""
  #include <stdio.h>
  #include <stdlib.h>
  #include <string.h>
  #include <sys/mman.h>
  #include <sys/wait.h>
  #include <unistd.h>
  int main(int argc, char **argv) {
    int children = atoi(argv[1]);
    size_t size = (size_t)atol(argv[2]) << 20;
    for (int i = 0; i < children; i++) {
      if (fork() == 0) {
        char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) _exit(1);
        memset(p, 1, size);
        sleep(2);
        /* Still alive with the block: it was held together with every other survivor's
           (all blocks are filled within milliseconds of the start). */
        printf("held\n");
        fflush(stdout);
        _exit(0);
      }
    }
    while (wait(NULL) > 0) {}
    return 0;
  }
  """#

/// Compiles the hog into a fresh folder readable by the sandbox's unprivileged uid.
private func buildHog() throws -> URL {
  try buildC(hogSource, named: "hog")
}

/// Compiles C `source` into the program `name` in a fresh folder readable by the sandbox's
/// unprivileged uid; returns the folder.
func buildC(_ source: String, named name: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "sandbox-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
  let file = folder.appendingPathComponent(name + ".c")
  try source.write(to: file, atomically: true, encoding: .utf8)
  let result = try Command.run(
    "/usr/bin/env", ["clang", "-O1", "-o", folder.appendingPathComponent(name).path, file.path],
    timeout: 120)
  #expect(result.status == 0, "\(result.output)")
  return folder
}

/// Runs `arguments` under `sandbox` with `folder` visible; returns its standard output.
private func run(_ sandbox: Sandbox, _ arguments: [String], folder: URL) throws -> String {
  let command = sandbox.launcher(workFolder: folder.path) + arguments
  let result = try Command.run(command[0], Array(command.dropFirst()), timeout: 60)
  return result.output
}

@Test func memoryIsBoundedForTheWholeRunAcrossProcesses() throws {
  let folder = try buildHog()
  defer { try? FileManager.default.removeItem(at: folder) }
  let hog = folder.appendingPathComponent("hog").path
  // Five children of 100 MiB each: 500 MiB in all, each under the 256 MiB per-process limit.
  let bounded = Sandbox.detect(limits: limits)
  let output = try run(bounded, [hog, "5", "100"], folder: folder)
  let held = output.split(separator: "\n").filter { $0 == "held" }.count
  let isolation = bounded.isolation
  if let whole = isolation.wholeRun {
    #expect(whole.memoryMiB == 256)
    // What was held at once stays within the stated bound (the parent needs a little too).
    #expect(held * 100 <= whole.memoryMiB, "\(held) children held 100 MiB each")
    #expect(isolation.description.contains("as a whole"))
  } else {
    // Where no control group can be made, the report must not claim a whole-run bound.
    #expect(isolation.description.contains("per process only"))
  }
  // The same program with per-process limits only: all five hold their block, so the bound
  // above is the control group's doing.
  let perProcess = Sandbox.detect(limits: limits, wholeRun: false)
  #expect(perProcess.isolation.wholeRun == nil)
  let unbounded = try run(perProcess, [hog, "5", "100"], folder: folder)
  let heldUnbounded = unbounded.split(separator: "\n").filter { $0 == "held" }.count
  #expect(heldUnbounded == 5)
  print(
    "children holding 100 MiB: \(held) of 5 under \(isolation.wholeRun?.mechanism ?? "no group"), "
      + "\(heldUnbounded) of 5 with per-process limits only")
}

@Test func inMemoryFileSystemsAreSmallAndTheRootIsReadOnly() throws {
  let sandbox = Sandbox.detect(limits: limits)
  try #require(sandbox.usesBubblewrap, "bubblewrap is not usable here")
  let folder = try buildHog()
  defer { try? FileManager.default.removeItem(at: folder) }
  // Writes 200 MiB to each writable-looking place and prints the bytes that landed.
  let script = """
    for place in /tmp /dev/shm / /dev /usr \(folder.path); do
      head -c 209715200 /dev/zero > "$place/fill" 2>/dev/null
      echo "$place $(wc -c < "$place/fill" 2>/dev/null || echo 0)"
    done
    """
  let output = try run(sandbox, ["/bin/sh", "-c", script], folder: folder)
  var written: [String: Int] = [:]
  for line in output.split(separator: "\n") {
    let parts = line.split(separator: " ")
    if parts.count == 2, let bytes = Int(parts[1]) { written[String(parts[0])] = bytes }
  }
  #expect(written.count == 6, "\(output)")
  #expect(written["/tmp"] ?? .max <= Sandbox.tmpMiB << 20)
  #expect(written["/dev/shm"] ?? .max <= Sandbox.shmMiB << 20)
  for place in ["/", "/dev", "/usr", folder.path] {
    #expect(written[place] == 0, "\(place) took \(written[place] ?? -1) bytes")
  }
  let stated = sandbox.isolation.memoryFileSystems ?? []
  #expect(stated.contains(MemoryFileSystem(path: "/tmp", sizeMiB: Sandbox.tmpMiB)))
  #expect(stated.contains(MemoryFileSystem(path: "/dev/shm", sizeMiB: Sandbox.shmMiB)))
}

@Test func processesAreBoundedForTheWholeRun() throws {
  let sandbox = Sandbox.detect(limits: limits)
  let folder = try buildHog()
  defer { try? FileManager.default.removeItem(at: folder) }
  // 100 children of 1 MiB each against a bound of 64 processes for the run.
  let output = try run(
    sandbox, [folder.appendingPathComponent("hog").path, "100", "1"], folder: folder)
  let started = output.split(separator: "\n").filter { $0 == "held" }.count
  #expect(started > 0 && started < limits.processes, "\(started) children started")
}

@Test func controlGroupsAreRemovedWithTheSandbox() throws {
  guard let groups = ControlGroups.create(memoryMiB: 64, processes: 8) else { return }
  let parents = groups.parents
  _ = groups.newRun()
  #expect(parents.allSatisfy { FileManager.default.fileExists(atPath: $0) })
  _ = consume groups
  #expect(!parents.contains { FileManager.default.fileExists(atPath: $0) })
}
