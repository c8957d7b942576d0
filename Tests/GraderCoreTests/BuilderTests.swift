import Foundation
import GraderCore
import Testing

// The compiler flags come from pkg-config and from the build's own manifest, never from a
// path of one distribution or architecture. Recorded outputs of Debian 12's pkg-config.

@Test func openBLASFlagsOnDebianX86_64() {
  let recorded = "-I/usr/include/x86_64-linux-gnu/openblas-pthread/\n"
  #expect(
    Builder.clangFlags(pkgConfigCflags: recorded)
      == ["-Xcc", "-I/usr/include/x86_64-linux-gnu/openblas-pthread/"])
}

@Test func openBLASFlagsOnDebianAarch64() {
  let recorded = "-I/usr/include/aarch64-linux-gnu/openblas-pthread/ \n"
  #expect(
    Builder.clangFlags(pkgConfigCflags: recorded)
      == ["-Xcc", "-I/usr/include/aarch64-linux-gnu/openblas-pthread/"])
}

@Test func openBLASFlagsKeepDefinesAndDropLinkerFlags() {
  let recorded = "-DOPENBLAS_USE64 -I/opt/openblas/include -pthread -L/opt/openblas/lib"
  #expect(
    Builder.clangFlags(pkgConfigCflags: recorded)
      == ["-Xcc", "-DOPENBLAS_USE64", "-Xcc", "-I/opt/openblas/include"])
  #expect(Builder.clangFlags(pkgConfigCflags: "\n").isEmpty)
}

@Test func moduleMapsComeFromTheBuildManifestOnce() {
  let manifest = """
    "-fmodule-map-file=/home/a/.build-grader/checkouts/swift-numerics/Sources/_NumericsShims/include/module.modulemap",
    "-fmodule-map-file=/srv/course/Sources/CBLAS/module.modulemap","-I",
    "-fmodule-map-file=/srv/course/Sources/CBLAS/module.modulemap"
    """
  #expect(
    Builder.moduleMapFlags(buildManifest: manifest) == [
      "-Xcc",
      "-fmodule-map-file=/home/a/.build-grader/checkouts/swift-numerics/Sources/_NumericsShims/include/module.modulemap",
      "-Xcc", "-fmodule-map-file=/srv/course/Sources/CBLAS/module.modulemap",
    ])
}

@Test func concurrentRuntimeBuildsShareOneResult() async throws {
  // Two builders on one build folder at once: the lock serializes them, both succeed and
  // find the same runtime.
  let builder = Builder(packageRoot: packageRoot)
  async let first = Task.detached { try builder.buildRuntime(usingPrebuilt: false) }.value
  async let second = Task.detached { try builder.buildRuntime(usingPrebuilt: false) }.value
  let (a, b) = try await (first, second)
  #expect(a.folder == b.folder)
  #expect(a.flags == b.flags)
  #expect(
    FileManager.default.fileExists(
      atPath: a.folder.appendingPathComponent("libGradeRuntime.so").path))
}
