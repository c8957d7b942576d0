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
  static func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[i] = acc
      acc &*= max(shape[i], 1)
    }
    return strides
  }

  /// The shape two operands broadcast to under NumPy's rules, or `nil` when they do not.
  static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    if a == b { return a }
    let n = max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for i in 0..<n {
      let da = i < n - a.count ? 1 : a[i - (n - a.count)]
      let db = i < n - b.count ? 1 : b[i - (n - b.count)]
      if da == db || db == 1 {
        out[i] = da
      } else if da == 1 {
        out[i] = db
      } else {
        return nil
      }
    }
    return out
  }

  /// Strides that read a tensor of `shape`/`strides` as if it had the (broadcast) shape
  /// `target`: missing leading dims and size-1 dims get stride 0.
  static func broadcastStrides(_ shape: [Int], _ strides: [Int], to target: [Int]) -> [Int] {
    let lead = target.count - shape.count
    var out = [Int](repeating: 0, count: target.count)
    for i in 0..<shape.count where !(shape[i] == 1 && target[lead + i] != 1) {
      out[lead + i] = strides[i]
    }
    return out
  }

  /// Wraps a possibly negative dimension into `0..<rank`, or returns `nil` when out of range.
  static func normalize(dim: Int, rank: Int) -> Int? {
    let r = max(rank, 1)
    let d = dim < 0 ? dim + r : dim
    return (0..<r).contains(d) ? d : nil
  }
}
