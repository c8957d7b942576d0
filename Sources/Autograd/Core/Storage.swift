/// A flat, aligned buffer of elements shared by a tensor and its views.
///
/// Views (transposes, slices, expansions, detached tensors) share one `Storage` and differ
/// only in shape, strides and offset. `version` counts in-place writes, so that backward
/// can tell when a tensor it saved has been changed since the forward pass.
final class Storage: @unchecked Sendable {
  let dtype: DType
  let count: Int
  let raw: UnsafeMutableRawPointer
  var version = 0
  /// What the pass that wrote this storage as a triangle of a matrix knows about it (its
  /// sum, its zero triangle), valid while `version` is the one recorded with it.
  var triangle: TriangleFacts?

  /// Allocates uninitialized memory for `count` elements.
  init(dtype: DType, count: Int) {
    self.dtype = dtype
    self.count = count
    raw = BufferPool.shared.allocate(byteCount: count * dtype.byteSize)
  }

  /// Allocates zero-filled memory for `count` elements.
  convenience init(zeroed dtype: DType, count: Int) {
    self.init(dtype: dtype, count: count)
    raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, count) * dtype.byteSize)
  }

  deinit { BufferPool.shared.release(raw, byteCount: count * dtype.byteSize) }

  @inline(__always)
  func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
    raw.assumingMemoryBound(to: T.self)
  }
}
