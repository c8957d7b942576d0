import Autograd
import AutogradTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// Freed tensor buffers are kept by size and handed to the next tensor of that size. The
// pool is shared by the whole process, so its byte counts are checked in a process of
// their own (tests of one process run concurrently and allocate too).

@Suite struct BufferPoolTests {
  @Test("a freed buffer is kept, reused for the same size, and released on request")
  func keepsReusesAndReleases() async {
    await #expect(processExitsWith: .success) {
      func fail(_ message: String) -> Never {
        print(message)
        exit(1)
      }
      releaseCachedBuffers()
      if cachedBufferBytes != 0 { fail("pool not empty after release: \(cachedBufferBytes)") }
      // 100,000 float32 = 400,000 bytes, kept rounded up to whole pages: 401,408.
      do { _ = Tensor.ones([100_000]) }
      if cachedBufferBytes != 401_408 { fail("kept \(cachedBufferBytes) bytes, not 401408") }
      let again = Tensor.zeros([100_000])
      if cachedBufferBytes != 0 { fail("same size not reused: \(cachedBufferBytes) kept") }
      // A small buffer (64 float64 = 512 bytes) is kept at its exact multiple of 64.
      do { _ = Tensor.ones([64], dtype: .float64) }
      if cachedBufferBytes != 512 { fail("kept \(cachedBufferBytes) bytes, not 512") }
      releaseCachedBuffers()
      if cachedBufferBytes != 0 { fail("release left \(cachedBufferBytes) bytes") }
      if again.sum().item() != 0 { fail("a live tensor changed") }
    }
  }

  @Test("a reused buffer holds what its new tensor says, never the old values")
  func reusedBuffersAreInitialized() {
    for shape in [[3], [257], [300, 300]] {
      do { _ = Tensor.full(shape, 7) }
      let zeros = Tensor.zeros(shape)
      #expect(zeros.toArray().allSatisfy { $0 == 0 })
      do { _ = Tensor.full(shape, 7) }
      let ones = Tensor.ones(shape)
      #expect(ones.toArray().allSatisfy { $0 == 1 })
    }
  }
}
