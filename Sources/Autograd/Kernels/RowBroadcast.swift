/// How a binary kernel reads its two operands when it walks its contiguous result, of
/// `outer · inner` elements, as `outer` rows of `inner`: operand `a`'s element for row r,
/// position i is at `r · a.row + i · a.column` from its first element (strides 0 or 1 along
/// a row), likewise `b`'s.
///
/// It covers the broadcasts of small training steps: a bias row added to every row, a row
/// maximum or a column of labels compared with every column, an expanded 0-d gradient. The
/// general strided walk builds its loop description (five arrays) for each of them.
struct RowBroadcast {
  let outer: Int
  let inner: Int
  let a: (row: Int, column: Int)
  let b: (row: Int, column: Int)

  /// How one operand repeats over the result.
  private enum Kind {
    /// The result's shape, contiguous.
    case full
    /// One element, repeated everywhere.
    case scalar
    /// A contiguous block of this many elements repeated for every row (a row vector).
    case rows(Int)
    /// One element per row, this many rows, each repeated along its row (a column).
    case columns(Int)
    /// Anything else: the strided walk handles it.
    case other

    init(_ t: Tensor, _ shape: [Int]) {
      if t.isExpandedScalar {
        self = .scalar
      } else if !t.isContiguous {
        self = .other
      } else if t.shape == shape {
        self = .full
      } else if t.repeatsAsTrailingPart(of: shape) {
        self = .rows(t.count)
      } else if t.isLeadingPart(of: shape) {
        self = .columns(t.count)
      } else {
        self = .other
      }
    }
  }

  /// The split for `a` and `b` broadcast to `shape` (of `n` elements), or `nil` when an
  /// operand repeats in another way.
  init?(_ a: Tensor, _ b: Tensor, shape: [Int], count n: Int) {
    guard n > 0 else { return nil }
    let (ka, kb) = (Kind(a, shape), Kind(b, shape))
    var inner: Int?
    var outer: Int?
    // Whether `kind` agrees with the row length and count fixed so far.
    func fits(_ kind: Kind) -> Bool {
      switch kind {
      case .rows(let c):
        if inner != nil && inner != c { return false }
        inner = c
      case .columns(let c):
        if outer != nil && outer != c { return false }
        outer = c
      case .other:
        return false
      case .full, .scalar:
        break
      }
      return true
    }
    guard fits(ka), fits(kb) else { return nil }
    let rowLength = inner ?? (outer.map { n / $0 } ?? n)
    let rowCount = n / rowLength
    // A row block and a column of another length cannot be walked as one grid.
    if let outer, outer != rowCount { return nil }
    func strides(_ kind: Kind) -> (row: Int, column: Int) {
      switch kind {
      case .full: (rowLength, 1)
      case .rows: (0, 1)
      case .columns: (1, 0)
      case .scalar, .other: (0, 0)
      }
    }
    self.outer = rowCount
    self.inner = rowLength
    self.a = strides(ka)
    self.b = strides(kb)
  }
}

extension Tensor {
  /// Whether every element is the first one seen again through zero strides (an expanded
  /// 0-d or one-element tensor).
  var isExpandedScalar: Bool {
    if createdContiguous { return count == 1 }
    for (size, stride) in zip(shape, strides) where size != 1 && stride != 0 { return false }
    return true
  }

  /// Whether this tensor, broadcast to `target`, is itself repeated whole: it is contiguous
  /// and its shape, leading 1s aside, is the end of `target` (a row added to each row).
  func repeatsAsTrailingPart(of target: [Int]) -> Bool {
    let lead = target.count - rank
    guard lead >= 0, isContiguous else { return false }
    var leadingOnes = true
    for i in 0..<rank {
      if leadingOnes && shape[i] == 1 { continue }
      leadingOnes = false
      if shape[i] != target[lead + i] { return false }
    }
    return true
  }

  /// Whether this tensor has `target`'s rank and its shape, trailing 1s aside, is the start
  /// of `target`: broadcast to it, each element repeats along a row (a column vector).
  func isLeadingPart(of target: [Int]) -> Bool {
    guard rank == target.count, isContiguous else { return false }
    var trailingOnes = true
    for i in stride(from: rank - 1, through: 0, by: -1) {
      if trailingOnes && shape[i] == 1 { continue }
      trailingOnes = false
      if shape[i] != target[i] { return false }
    }
    return true
  }
}
