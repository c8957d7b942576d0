import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Keeps freed tensor buffers, by size, for the next tensor of that size.
///
/// Training loops and backward passes allocate the same shapes over and over. Without a
/// cache, every large result is a fresh mapping from the system, and its first write takes
/// one page fault per 4 KiB page (a 64 MB matrix: 16,000 faults, about as long as two
/// passes over it); every small one is an aligned `malloc`, whose bins overflow under the
/// allocation pattern of a training step (in profiles of small steps, `malloc` and `free`
/// took a quarter of the time).
///
/// Sizes up to 32 KiB are rounded up to a multiple of 64 bytes and kept in one list per
/// size, found by index; larger ones are rounded up to whole pages and found by size. The
/// pool holds at most ``capacity`` bytes of free buffers; beyond that, buffers go back to
/// the system. A buffer is reused only for a request of the same rounded size, so the pool
/// never holds more of one size than were alive at once.
final class BufferPool: Sendable {
  /// The pool shared by all tensors of the process.
  static let shared = BufferPool(capacity: 512 << 20)

  /// The largest size kept in the lists by index, in bytes.
  static let smallLimit = 32 << 10

  /// The most bytes of free buffers kept.
  let capacity: Int

  // Addresses are kept as integers: pointers are not `Sendable`, and ownership passes to
  // the pool with the address.
  private struct State {
    var small = [[UInt]](repeating: [], count: smallLimit / 64 + 1)
    var large: [Int: [UInt]] = [:]
    var cachedBytes = 0
  }
  private let state = Mutex(State())

  init(capacity: Int) { self.capacity = capacity }

  /// The size actually allocated for a request: a multiple of 64 bytes up to 32 KiB, of
  /// whole pages above.
  @inline(__always)
  static func roundedSize(_ byteCount: Int) -> Int {
    byteCount <= smallLimit ? Swift.max((byteCount + 63) & ~63, 64) : (byteCount + 4095) & ~4095
  }

  /// A 64-byte-aligned buffer of at least `byteCount` bytes, uninitialized.
  func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    let size = Self.roundedSize(byteCount)
    let reused = state.withLock { state -> UInt? in
      let address =
        size <= Self.smallLimit ? state.small[size / 64].popLast() : state.large[size]?.popLast()
      if address != nil { state.cachedBytes -= size }
      return address
    }
    if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
    if let p = Self.systemAllocate(size) { return p }
    // Out of memory (or at the address-space limit): the cached buffers are the first
    // thing to give back.
    empty()
    if let p = Self.systemAllocate(size) { return p }
    fatalError(
      "tensor allocation: out of memory allocating \(byteCount) bytes "
        + "(\(byteCount / 1_048_576) MiB); the machine or the process's memory limit is exhausted")
  }

  /// A fresh 64-byte-aligned buffer from the system, or `nil` when there is no memory.
  private static func systemAllocate(_ size: Int) -> UnsafeMutableRawPointer? {
    // 64-byte alignment keeps vector loads aligned and whole cache lines per tensor.
    var p: UnsafeMutableRawPointer?
    return posix_memalign(&p, 64, size) == 0 ? p : nil
  }

  /// Returns a buffer that ``allocate(byteCount:)`` gave for the same `byteCount`.
  func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    let size = Self.roundedSize(byteCount)
    let address = UInt(bitPattern: pointer)
    let kept = state.withLock { state -> Bool in
      guard state.cachedBytes + size <= capacity else { return false }
      if size <= Self.smallLimit {
        state.small[size / 64].append(address)
      } else {
        state.large[size, default: []].append(address)
      }
      state.cachedBytes += size
      return true
    }
    if !kept { free(pointer) }
  }

  /// Frees every cached buffer, returning the memory to the system.
  func empty() {
    let addresses = state.withLock { state -> [UInt] in
      let all = state.small.flatMap { $0 } + state.large.values.flatMap { $0 }
      state.small = [[UInt]](repeating: [], count: Self.smallLimit / 64 + 1)
      state.large = [:]
      state.cachedBytes = 0
      return all
    }
    for address in addresses { free(UnsafeMutableRawPointer(bitPattern: address)) }
  }

  /// Bytes of free buffers held.
  var cachedBytes: Int { state.withLock { $0.cachedBytes } }
}

/// Frees the buffers the library keeps for reuse (see ``cachedBufferBytes``), as PyTorch's
/// `empty_cache`. Tensors still alive are not affected.
public func releaseCachedBuffers() {
  BufferPool.shared.empty()
}

/// Bytes of freed tensor buffers the library keeps to reuse for later tensors of the same
/// size (at most 512 MiB).
public var cachedBufferBytes: Int { BufferPool.shared.cachedBytes }
