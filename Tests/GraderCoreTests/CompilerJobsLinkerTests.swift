import Foundation
import Testing

@testable import GraderCore

private typealias P = CompilerJobs.Placeholder

/// `clang`'s link job becomes the linker's own command, with the objects and the autolink
/// response file, which exist only when a compile runs, in the places `clang` gave them.
@Test func aClangLinkJobBecomesItsLinkersCommand() throws {
  // The toolchain's own `clang`, beside its `swiftc`.
  let swiftc = try #require(Builder.swiftcOnPath).resolvingSymlinksInPath()
  let clang = swiftc.deletingLastPathComponent().appendingPathComponent("clang").path
  #expect(FileManager.default.isExecutableFile(atPath: clang))
  let job = [
    clang, "-fuse-ld=lld", "-pie", "/tmp/TemporaryDirectory.Q/H-1.o",
    P.scratch + "/\(P.module).o", "@/tmp/TemporaryDirectory.Q/H-2.autolink", "-L",
    P.casesFolder, "-l\(P.casesModule)", "-o", P.scratch + "/program",
  ]
  let linker = try #require(CompilerJobs.linkerCommand(for: job, timeout: 60))
  #expect(linker[0].hasSuffix("ld.lld"))
  let objects = ["/tmp/TemporaryDirectory.Q/H-1.o", P.scratch + "/\(P.module).o"]
  let positions = (objects + ["@/tmp/TemporaryDirectory.Q/H-2.autolink"]).map {
    linker.firstIndex(of: $0)
  }
  #expect(positions.allSatisfy { $0 != nil })
  #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
  #expect(linker.contains("-L" + P.casesFolder))
  #expect(linker.contains("-l\(P.casesModule)"))
  #expect(!linker.contains("-Xlinker"))
  // Jobs that are not a `clang` link stay as they are.
  #expect(CompilerJobs.linkerCommand(for: ["/bin/echo", "-fuse-ld=lld"], timeout: 60) == nil)
  // Without `-fuse-ld`, the linker `clang` picks by default.
  let plain = try #require(
    CompilerJobs.linkerCommand(for: job.filter { $0 != "-fuse-ld=lld" }, timeout: 60))
  #expect(plain[0].hasPrefix("/") && !plain[0].hasSuffix("/clang"))
  #expect(CompilerJobs.linkerCommand(for: [job[0], "-c", "x.c"], timeout: 60) == nil)
}

/// A stand-in that fails hands over to the driver's job, whose outcome and messages count.
@Test func aFailingStandInFallsBackToTheDriversJob() throws {
  let temporary = FileManager.default.temporaryDirectory
    .appendingPathComponent("fallback-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: temporary) }
  let recovered = try CompilerJobs.run(
    [["/bin/sh", "-c", "echo stand-in failed; exit 1"], ["/bin/sh", "-c", "echo next job"]],
    fallbacks: [["/bin/sh", "-c", "echo the driver linked"], nil], temporary: temporary,
    timeout: 30)
  #expect(recovered.ok)
  #expect(recovered.output == "the driver linked\nnext job\n")
  let failed = try CompilerJobs.run(
    [["/bin/sh", "-c", "exit 1"]], fallbacks: [["/bin/sh", "-c", "echo undefined symbol; exit 1"]],
    temporary: temporary, timeout: 30)
  #expect(!failed.ok)
  #expect(failed.output == "undefined symbol\n")
}

/// A kept plan whose linker names a start file that is gone (a system update moved it) is
/// not run; files of the compile's own folders are not looked for.
@Test func aPlanWhoseStartFilesMovedIsNotRunnable() throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("start-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let start = folder.appendingPathComponent("crti.o")
  try Data().write(to: start)
  let own = ["/tmp/TemporaryDirectory.Z/a.o", P.scratch + "/b.o"]
  let plan = CompilerJobs(
    jobs: [["/bin/true", start.path] + own], fallbacks: [["/bin/sh"]])
  #expect(plan.isRunnable)
  try FileManager.default.removeItem(at: start)
  #expect(!plan.isRunnable)
  // Without a stand-in, only the programs are looked for.
  #expect(CompilerJobs(jobs: [["/bin/true", start.path]]).isRunnable)
  #expect(!CompilerJobs(jobs: [["/no/such/linker"]]).isRunnable)
}
