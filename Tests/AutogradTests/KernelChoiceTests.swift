import Foundation
import Testing

@testable import Autograd

// OpenBLAS 0.3 falls back to its generic kernels on CPUs whose model it does not know; the
// library then chooses the kernels again from the CPU's feature flags. These tests check the
// choice on recorded `/proc/cpuinfo` lines and, on this machine, that the kernels in use are
// not the generic ones when the CPU has better.

@Suite struct KernelChoiceTests {
  /// A `flags` line of an AVX-512 Xeon that OpenBLAS 0.3.21 reports as "Prescott".
  static let xeonCpuinfo = """
    processor\t: 0
    vendor_id\t: GenuineIntel
    model name\t: Intel(R) Xeon(R) Processor
    flags\t\t: fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq \
    avx512cd avx512bw avx512vl avx512_vnni

    processor\t: 1
    flags\t\t: fpu sse sse2
    """

  @Test func flagsAreReadFromTheFirstProcessor() {
    let flags = KernelChoice.flags(cpuinfo: Self.xeonCpuinfo)
    #expect(flags.contains("avx512f"))
    #expect(flags.contains("avx2"))
    #expect(flags.count == 17)
  }

  @Test func theBestKernelsTheFlagsAllow() {
    let avx512: Set<Substring> = [
      "avx", "avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl",
    ]
    #expect(KernelChoice.kernels(forFlags: avx512) == "SkylakeX")
    // AVX-512 Foundation alone (Knights Landing) lacks the byte/word and vector-length
    // extensions the SkylakeX kernels use.
    #expect(KernelChoice.kernels(forFlags: ["avx", "avx2", "fma", "avx512f"]) == "Haswell")
    #expect(KernelChoice.kernels(forFlags: ["avx", "avx2"]) == "SandyBridge")
    #expect(KernelChoice.kernels(forFlags: ["sse2", "sse3"]) == nil)
    #expect(KernelChoice.kernels(forFlags: KernelChoice.flags(cpuinfo: "no flags here")) == nil)
  }

  @Test func theKernelsInUseAreNotGenericWhenTheCPUHasBetter() throws {
    #if os(Linux) && arch(x86_64)
      let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
      let best = KernelChoice.kernels(forFlags: KernelChoice.flags(cpuinfo: cpuinfo))
      let chosenByUser = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil
      let inUse = try #require(Device.cpu.blasKernels)
      if best != nil && !chosenByUser {
        #expect(inUse.lowercased() != KernelChoice.genericName)
      }
      // The choice is made for OpenBLAS only: the environment is left as it was.
      #expect((ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil) == chosenByUser)
    #endif
  }
}
