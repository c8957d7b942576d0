/// Shape arithmetic shared by every operation: element counts, contiguous strides,
/// broadcasting and dimension normalisation.
enum Shape {
  /// Number of elements of a shape (1 for a 0-d tensor).
  @inline(__always)
  static func count(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n &*= d }
    return n
  }

  /// Row-major strides of a contiguous tensor of this shape.
  // Arrays here are built with `map`: `Array(repeating:count:)` goes through a non-inlined
  // allocation that looks up the array's type metadata in a hashed table every time, about
  // twice the cost of the whole array in profiles of small training steps.
  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    // Each stride is the product of the sizes after it: the total, divided down.
    var rest = shape.reduce(1) { $0 &* max($1, 1) }
    return shape.map { size -> Int in
      rest /= max(size, 1)
      return rest
    }
  }

  /// The shape two operands broadcast to under NumPy's rules, or `nil` when they do not.
  static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }
    let n = max(a.count, b.count)
    var compatible = true
    let out = (0..<n).map { i -> Int in
      let da = i < n - a.count ? 1 : a[i - (n - a.count)]
      let db = i < n - b.count ? 1 : b[i - (n - b.count)]
      if da == db || db == 1 { return da }
      if da != 1 { compatible = false }
      return db
    }
    return compatible ? out : nil
  }

  /// Strides that read a tensor of `shape`/`strides` as if it had the (broadcast) shape
  /// `target`: missing leading dims and size-1 dims get stride 0.
  static func broadcastStrides(_ shape: [Int], _ strides: [Int], to target: [Int]) -> [Int] {
    let lead = target.count - shape.count
    return (0..<target.count).map { j -> Int in
      let i = j - lead
      return i < 0 || (shape[i] == 1 && target[j] != 1) ? 0 : strides[i]
    }
  }

  /// Wraps a possibly negative dimension into `0..<rank`, or returns `nil` when out of range.
  static func normalize(dim: Int, rank: Int) -> Int? {
    let r = max(rank, 1)
    let d = dim < 0 ? dim + r : dim
    return (0..<r).contains(d) ? d : nil
  }
}
