import Synchronization

/// Keeps freed tensor buffers of 32 KiB and more, by size, for the next tensor of that size.
///
/// Training loops and backward passes allocate the same shapes over and over. Without a
/// cache, every large result is a fresh mapping from the system, and its first write takes
/// one page fault per 4 KiB page (a 64 MB matrix: 16,000 faults, about as long as two
/// passes over it). Small buffers are left to `malloc`, whose bins already reuse them.
///
/// The pool holds at most ``capacity`` bytes of free buffers; beyond that, buffers go back
/// to the system. A buffer is reused only for a request of the same rounded size, so the
/// pool never holds more of one size than were alive at once.
final class BufferPool: Sendable {
  /// The pool shared by all tensors of the process.
  static let shared = BufferPool(capacity: 512 << 20)

  /// Requests below this many bytes bypass the pool.
  static let smallest = 32 << 10

  /// The most bytes of free buffers kept.
  let capacity: Int

  // Addresses are kept as integers: pointers are not `Sendable`, and ownership passes to
  // the pool with the address.
  private struct State {
    var free: [Int: [UInt]] = [:]
    var cachedBytes = 0
  }
  private let state = Mutex(State())

  init(capacity: Int) { self.capacity = capacity }

  /// The size actually allocated for a request: whole pages for pooled sizes.
  @inline(__always)
  static func roundedSize(_ byteCount: Int) -> Int {
    byteCount < smallest ? Swift.max(byteCount, 1) : (byteCount + 4095) & ~4095
  }

  /// A 64-byte-aligned buffer of at least `byteCount` bytes, uninitialized.
  func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    let size = Self.roundedSize(byteCount)
    if size >= Self.smallest {
      let reused = state.withLock { state -> UInt? in
        guard let address = state.free[size]?.popLast() else { return nil }
        state.cachedBytes -= size
        return address
      }
      if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
    }
    // 64-byte alignment keeps vector loads aligned and whole cache lines per tensor.
    return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
  }

  /// Returns a buffer that ``allocate(byteCount:)`` gave for the same `byteCount`.
  func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    let size = Self.roundedSize(byteCount)
    if size >= Self.smallest {
      let address = UInt(bitPattern: pointer)
      let kept = state.withLock { state -> Bool in
        guard state.cachedBytes + size <= capacity else { return false }
        state.free[size, default: []].append(address)
        state.cachedBytes += size
        return true
      }
      if kept { return }
    }
    pointer.deallocate()
  }

  /// Frees every cached buffer, returning the memory to the system.
  func empty() {
    let addresses = state.withLock { state -> [UInt] in
      let all = state.free.values.flatMap { $0 }
      state.free = [:]
      state.cachedBytes = 0
      return all
    }
    for address in addresses { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
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
