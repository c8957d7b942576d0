/// Walks an n-dimensional index space over several operands with their own strides, in
/// runs along the innermost dimension, so that kernels do their work in plain inner loops.
///
/// Dimensions that are contiguous with respect to every operand are merged first, so a
/// contiguous tensor is a single run and a row-broadcast over a matrix is one run per row.
struct StridedLoop {
  /// Sizes of the outer dimensions (all but the innermost, after merging).
  let outerShape: [Int]
  /// Operand k's stride along outer dimension d, at `k * outerShape.count + d`.
  let outerStrides: [Int]
  /// Length of each run.
  let runLength: Int
  /// Per operand, its stride along the innermost dimension.
  let innerStrides: [Int]

  // Built in one pass into flat arrays: arrays of arrays cost an allocation per operand and
  // per append, about 3,500 instructions per loop, a tenth of a small training step.
  init(shape: [Int], strides: [[Int]]) {
    let operands = strides.count
    var dims: [Int] = []
    dims.reserveCapacity(shape.count)
    // merged[d * operands + k]: operand k's stride along merged dimension d.
    var merged: [Int] = []
    merged.reserveCapacity(shape.count * operands)
    for d in 0..<shape.count where shape[d] != 1 {
      var fuses = !dims.isEmpty
      if fuses {
        let last = (dims.count - 1) * operands
        for k in 0..<operands where merged[last + k] != strides[k][d] * shape[d] {
          fuses = false
          break
        }
      }
      if fuses {
        dims[dims.count - 1] *= shape[d]
        let last = (dims.count - 1) * operands
        for k in 0..<operands { merged[last + k] = strides[k][d] }
      } else {
        dims.append(shape[d])
        for k in 0..<operands { merged.append(strides[k][d]) }
      }
    }
    if dims.isEmpty {
      dims = [Shape.count(shape)]
      merged = strides.map { _ in 0 }
    }
    let outer = dims.count - 1
    runLength = dims.removeLast()
    innerStrides = (0..<operands).map { merged[outer * operands + $0] }
    outerShape = dims
    outerStrides = (0..<operands * outer).map { merged[($0 % outer) * operands + $0 / outer] }
  }

  /// Number of runs.
  var runCount: Int { Shape.count(outerShape) }

  /// Calls `body(run, offsets)` for each run in row-major order; `offsets[k]` is operand
  /// k's element offset at the start of the run.
  @inline(__always)
  func forEachRun(_ body: (_ run: Int, _ offsets: UnsafeMutableBufferPointer<Int>) -> Void) {
    let operands = innerStrides.count
    let outer = outerShape.count
    let total = runCount
    if total == 0 || runLength == 0 { return }
    withUnsafeTemporaryAllocation(of: Int.self, capacity: operands + outer) { buf in
      let offsets = UnsafeMutableBufferPointer(rebasing: buf[0..<operands])
      let counters = UnsafeMutableBufferPointer(rebasing: buf[operands...])
      for k in 0..<operands { offsets[k] = 0 }
      for d in 0..<outer { counters[d] = 0 }
      for run in 0..<total {
        body(run, offsets)
        var d = outer - 1
        while d >= 0 {
          counters[d] += 1
          for k in 0..<operands { offsets[k] += outerStrides[k * outer + d] }
          if counters[d] < outerShape[d] { break }
          for k in 0..<operands { offsets[k] -= outerStrides[k * outer + d] * outerShape[d] }
          counters[d] = 0
          d -= 1
        }
      }
    }
  }
}
