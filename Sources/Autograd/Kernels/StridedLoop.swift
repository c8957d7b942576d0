/// Walks an n-dimensional index space over several operands with their own strides, in
/// runs along the innermost dimension, so that kernels do their work in plain inner loops.
///
/// Dimensions that are contiguous with respect to every operand are merged first, so a
/// contiguous tensor is a single run and a row-broadcast over a matrix is one run per row.
struct StridedLoop {
  /// Sizes of the outer dimensions (all but the innermost, after merging).
  let outerShape: [Int]
  /// Per operand, its stride along each outer dimension.
  let outerStrides: [[Int]]
  /// Length of each run.
  let runLength: Int
  /// Per operand, its stride along the innermost dimension.
  let innerStrides: [Int]

  init(shape: [Int], strides: [[Int]]) {
    var dims: [Int] = []
    var merged: [[Int]] = strides.map { _ in [] }
    for d in 0..<shape.count where shape[d] != 1 {
      if let last = dims.last,
        (0..<strides.count).allSatisfy({ merged[$0].last! == strides[$0][d] * shape[d] })
      {
        dims[dims.count - 1] = last * shape[d]
        for k in 0..<strides.count { merged[k][merged[k].count - 1] = strides[k][d] }
      } else {
        dims.append(shape[d])
        for k in 0..<strides.count { merged[k].append(strides[k][d]) }
      }
    }
    if dims.isEmpty {
      dims = [Shape.count(shape)]
      merged = strides.map { _ in [0] }
    }
    runLength = dims.removeLast()
    innerStrides = merged.map { $0.last! }
    outerShape = dims
    outerStrides = merged.map { Array($0.dropLast()) }
  }

  /// Number of runs.
  var runCount: Int { Shape.count(outerShape) }

  /// Calls `body(run, offsets)` for each run in row-major order; `offsets[k]` is operand
  /// k's element offset at the start of the run.
  @inline(__always)
  func forEachRun(_ body: (_ run: Int, _ offsets: UnsafeMutableBufferPointer<Int>) -> Void) {
    let operands = innerStrides.count
    let total = runCount
    if total == 0 || runLength == 0 { return }
    withUnsafeTemporaryAllocation(of: Int.self, capacity: operands + outerShape.count) { buf in
      let offsets = UnsafeMutableBufferPointer(rebasing: buf[0..<operands])
      let counters = UnsafeMutableBufferPointer(rebasing: buf[operands...])
      for k in 0..<operands { offsets[k] = 0 }
      for d in 0..<outerShape.count { counters[d] = 0 }
      for run in 0..<total {
        body(run, offsets)
        var d = outerShape.count - 1
        while d >= 0 {
          counters[d] += 1
          for k in 0..<operands { offsets[k] += outerStrides[k][d] }
          if counters[d] < outerShape[d] { break }
          for k in 0..<operands { offsets[k] -= outerStrides[k][d] * outerShape[d] }
          counters[d] = 0
          d -= 1
        }
      }
    }
  }
}
