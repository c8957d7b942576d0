import Foundation
import Testing

@testable import GraderCore

private typealias P = CompilerJobs.Placeholder

@Test func shellWordsSplitAsAPOSIXShellDoes() {
  #expect(CompilerJobs.shellWords("/bin/a -c x.swift") == ["/bin/a", "-c", "x.swift"])
  // The driver quotes words with `$` or spaces in single quotes.
  #expect(
    CompilerJobs.shellWords("clang -Xlinker '$ORIGIN/runtime' '/a b/c'")
      == ["clang", "-Xlinker", "$ORIGIN/runtime", "/a b/c"])
  #expect(
    CompilerJobs.shellWords(#"x "a \"q\" \$ \n" y\ z ''"#) == ["x", #"a "q" $ \n"#, "y z", ""])
  #expect(CompilerJobs.shellWords("  spaced   out  ") == ["spaced", "out"])
  // An open quote is not a command line.
  #expect(CompilerJobs.shellWords("a 'open") == nil)
  #expect(CompilerJobs.shellWords(#"a "open"#) == nil)
  #expect(CompilerJobs.shellWords(#"a \"#) == nil)
}

@Test func theDriversTemporaryFolderBecomesTheRunsOwn() {
  let t = "/scratch/jobs"
  #expect(
    CompilerJobs.replacingTemporaryFolder(
      in: "/tmp/TemporaryDirectory.AbC12/Harness-1.o", with: t) == "/scratch/jobs/Harness-1.o")
  // A response file keeps its `@`; a flag keeps its `name=`.
  #expect(
    CompilerJobs.replacingTemporaryFolder(
      in: "@/var/tmp/TemporaryDirectory.x_9/H-2.autolink", with: t) == "@/scratch/jobs/H-2.autolink"
  )
  #expect(
    CompilerJobs.replacingTemporaryFolder(in: "-out=/tmp/TemporaryDirectory.q", with: t)
      == "-out=/scratch/jobs")
  #expect(CompilerJobs.replacingTemporaryFolder(in: "/tmp/other/x.o", with: t) == "/tmp/other/x.o")
}

@Test func commandsFillInPlaceholdersAndExpandTheInputs() {
  let plan = CompilerJobs(jobs: [
    ["/bin/front", "-c", P.inputs, "-module-name", P.module, "-o", P.scratch + "/\(P.module).o"],
    [
      "/bin/link", "/tmp/TemporaryDirectory.Z/a.o", "-L", P.casesFolder, "-l\(P.casesModule)",
      "@/tmp/TemporaryDirectory.Z/a.autolink",
    ],
  ])
  let commands = plan.commands(
    values: [
      P.module: "Submission_x", P.scratch: "/w/P1/build", P.casesModule: "Cases_y",
      P.casesFolder: "/b/cases/P1",
    ], inputs: ["/w/P1/build/student/A.swift", "/w/P1/build/student/B.swift"],
    temporary: URL(fileURLWithPath: "/w/P1/build/jobs"))
  #expect(
    commands == [
      [
        "/bin/front", "-c", "/w/P1/build/student/A.swift", "/w/P1/build/student/B.swift",
        "-module-name", "Submission_x", "-o", "/w/P1/build/Submission_x.o",
      ],
      [
        "/bin/link", "/w/P1/build/jobs/a.o", "-L", "/b/cases/P1", "-lCases_y",
        "@/w/P1/build/jobs/a.autolink",
      ],
    ])
}

/// A module and a program compiled with the driver's planned jobs, run directly, against the
/// same compile through `swiftc`: the program prints the same line, and a compile error gives
/// the same diagnostic.
@Test func plannedJobsBuildWhatTheDriverBuilds() throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("jobs-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  try FileManager.default.createDirectory(
    at: folder.appendingPathComponent("student"), withIntermediateDirectories: true)
  func arguments(module: String, scratch: String, inputs: [String]) -> [String] {
    ["swiftc", "-Onone", "-module-name", module, "-o", scratch + "/program"] + inputs
  }
  let plans = CompilerPlans(folder: folder.appendingPathComponent("plans"))
  let placeholders = arguments(module: P.module, scratch: P.scratch, inputs: [P.inputs])
  let plan = try #require(plans.plan(placeholders))
  #expect(plan.jobs.first?.first?.hasSuffix("swift-frontend") == true)
  // The link runs the linker that `clang` would run, with `clang`'s job as its fallback.
  let link = try #require(plan.jobs.last?.first)
  #expect(!link.hasSuffix("/clang"))
  #expect(plan.fallbacks?.last??.first?.hasSuffix("/clang") == true)
  // Kept on disk and read back.
  #expect(plans.plan(placeholders) == plan)

  let source = folder.appendingPathComponent("student/main.swift")
  try "print(\"planned\", 6 * 7)\n".write(to: source, atomically: true, encoding: .utf8)
  let values = [P.module: "Planned", P.scratch: folder.path]
  let built = try CompilerJobs.run(
    plan.commands(
      values: values, inputs: [source.path], temporary: folder.appendingPathComponent("jobs")),
    temporary: folder.appendingPathComponent("jobs"), timeout: 120)
  #expect(built.ok, "\(built.output)")
  let ran = try Command.run(folder.appendingPathComponent("program").path, [], timeout: 30)
  #expect(ran.output == "planned 42\n")

  try "let x: Int = \"no\"\n".write(to: source, atomically: true, encoding: .utf8)
  let planned = try CompilerJobs.run(
    plan.commands(
      values: values, inputs: [source.path], temporary: folder.appendingPathComponent("jobs")),
    temporary: folder.appendingPathComponent("jobs"), timeout: 120)
  let driven = try Command.run(
    "/usr/bin/env", arguments(module: "Planned", scratch: folder.path, inputs: [source.path]),
    timeout: 120)
  #expect(!planned.ok)
  #expect(driven.status != 0)
  let message = "cannot convert value of type 'String' to specified type 'Int'"
  #expect(planned.output.contains(message))
  #expect(driven.output.contains(message))
}

@Test func aDriverThatRefusesTheArgumentsGivesNoPlan() {
  #expect(CompilerJobs.plan(["swiftc", "-no-such-flag-anywhere", "x.swift"]) == nil)
  #expect(CompilerJobs.plan(["gradwork-no-such-driver"]) == nil)
}

@Test func theRuntimeFoldersAreAskedOnceAndKept() throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("plans-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let plans = CompilerPlans(folder: folder)
  let asked = try #require(Sandbox.askedRuntimeFolders())
  #expect(!asked.isEmpty)
  #expect(plans.runtimeFolders() == asked)
  // Kept: a later call reads the file instead of asking (shown by editing what it holds).
  let kept = try #require(
    try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .first { $0.hasPrefix("runtime-folders-") })
  let file = folder.appendingPathComponent(kept)
  try JSONEncoder().encode(["/tmp"]).write(to: file)
  #expect(plans.runtimeFolders() == ["/tmp"])
  // A kept folder that no longer exists is asked again.
  try JSONEncoder().encode(["/no/such/folder"]).write(to: file)
  #expect(plans.runtimeFolders() == asked)
}
