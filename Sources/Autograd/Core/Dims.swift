/// A set of dimensions of one tensor, as bits of one word.
///
/// Reductions name the dimensions they reduce. A `Set<Int>` hashed every dimension and
/// allocated its table on each call, a few percent of a small training step; a tensor has
/// far fewer than 64 dimensions, so one bit each is enough.
struct Dims: Sequence, Equatable, ExpressibleByArrayLiteral {
  private var bits: UInt64 = 0

  init() {}

  init<S: Sequence<Int>>(_ dims: S) {
    for d in dims { insert(d) }
  }

  init(arrayLiteral dims: Int...) { self.init(dims) }

  /// The lowest dimension in the set.
  var first: Int? { bits == 0 ? nil : bits.trailingZeroBitCount }

  func contains(_ d: Int) -> Bool { bits & (1 << UInt64(d)) != 0 }

  /// Adds `d` (0 ≤ d < 64); `inserted` is false when it was there already.
  @discardableResult
  mutating func insert(_ d: Int) -> (inserted: Bool, memberAfterInsert: Int) {
    precondition((0..<64).contains(d), "a dimension index must be in 0..<64, got \(d)")
    let had = contains(d)
    bits |= 1 << UInt64(d)
    return (!had, d)
  }

  /// The number of dimensions in the set.
  var count: Int { bits.nonzeroBitCount }
  var isEmpty: Bool { bits == 0 }

  /// The dimensions in ascending order.
  func makeIterator() -> Iterator { Iterator(rest: bits) }

  /// Yields the set bits from the lowest.
  struct Iterator: IteratorProtocol {
    var rest: UInt64

    mutating func next() -> Int? {
      guard rest != 0 else { return nil }
      let d = rest.trailingZeroBitCount
      rest &= rest - 1
      return d
    }
  }
}
