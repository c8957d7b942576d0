// Reduction kernels: sums over any set of dimensions, and max/min along one dimension.

extension Tensor {
  /// The shape after reducing `dims` with keepDim (reduced dimensions become 1).
  static func keptShape(_ shape: [Int], reducing dims: Dims) -> [Int] {
    shape.enumerated().map { dims.contains($0.offset) ? 1 : $0.element }
  }

  /// Sums over `dims` into a contiguous tensor of `resultShape`, which has the elements of
  /// `keptShape` (the keepDim shape) in the same order, with or without its size-1
  /// dimensions: the result needs no second view to drop them. Float sums accumulate in
  /// Double so long reductions in float32 keep their accuracy.
  func sumKernel(dims: Dims, keptShape: [Int], resultShape: [Int]) -> Tensor {
    switch dtype {
    case .float32: return sumFloat(Float.self, dims, keptShape, resultShape)
    case .float64: return sumFloat(Double.self, dims, keptShape, resultShape)
    case .int64: return sumInt(keptShape, resultShape)
    case .bool: return converted(to: .int64).sumInt(keptShape, resultShape)
    }
  }

  /// For a contiguous tensor whose reduced dimensions are all leading (`columns`) or all
  /// trailing (rows), the tensor as an `outer` × `inner` matrix; `nil` otherwise.
  private func matrixSplit(_ dims: Dims) -> (outer: Int, inner: Int, columns: Bool)? {
    guard isContiguous, let first = dims.first else { return nil }
    let k = first == 0 ? dims.count : first
    // Leading: dims are 0..<k; trailing: dims are first..<rank.
    guard first == 0 ? dims == Dims(0..<k) : dims == Dims(first..<rank) else { return nil }
    var outer = 1
    for d in 0..<k { outer &*= shape[d] }
    var inner = 1
    for d in k..<rank { inner &*= shape[d] }
    return (outer, inner, first == 0)
  }

  private func sumFloat<T: FloatElement>(
    _: T.Type, _ dims: Dims, _ outShape: [Int], _ resultShape: [Int]
  ) -> Tensor {
    let outCount = Shape.count(outShape)
    let x = base(T.self)
    let out = Tensor(uninitializedShape: resultShape, dtype: T.dtype)
    let o = out.base(T.self)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(outCount, 1)) { buffer in
      let acc = buffer.baseAddress!
      acc.initialize(repeating: 0, count: Swift.max(outCount, 1))
      if outCount == 1 && isContiguous {
        // A triangle's sum was taken when the triangle was written.
        acc[0] = knownTriangle?.sum ?? Tensor.sumContiguous(x, count: count)
      } else if count > 0, let (outer, inner, columns) = matrixSplit(dims) {
        // The two reductions of training steps (bias gradients' column sums, per-row
        // sums), in the order the strided loop below adds, without building it.
        if columns && T.self == Float.self {
          let floats = UnsafeRawPointer(x).assumingMemoryBound(to: Float.self)
          VectorMath.addRows(floats, rows: outer, count: inner, into: acc)
        } else {
          for r in 0..<outer {
            let row = x + r * inner
            if columns {
              for i in 0..<inner { acc[i] += Double(row[i]) }
            } else {
              acc[r] += Tensor.sumContiguous(row, count: inner)
            }
          }
        }
      } else {
        sumStrided(x, acc, outShape)
      }
      for i in 0..<outCount { o[i] = T(acc[i]) }
    }
    return out
  }

  /// Adds the elements into `acc`, laid out as `outShape` (the keepDim shape), in any layout.
  private func sumStrided<T: FloatElement>(
    _ x: UnsafeMutablePointer<T>, _ acc: UnsafeMutablePointer<Double>, _ outShape: [Int]
  ) {
    let outStrides = Shape.broadcastStrides(outShape, Shape.contiguousStrides(outShape), to: shape)
    let loop = StridedLoop(shape: shape, strides: [strides, outStrides])
    let len = loop.runLength
    let (sx, so) = (loop.innerStrides[0], loop.innerStrides[1])
    loop.forEachRun { _, offsets in
      let xo = x + offsets[0]
      if so == 0 {
        var s = 0.0
        if sx == 1 {
          s = Tensor.sumContiguous(xo, count: len)
        } else {
          for i in 0..<len { s += Double(xo[i * sx]) }
        }
        acc[offsets[1]] += s
      } else if so == 1 && sx == 1 {
        // Summing rows into a row (a bias gradient): unit strides let the loop vectorize.
        let ao = acc + offsets[1]
        for i in 0..<len { ao[i] += Double(xo[i]) }
      } else {
        let ao = acc + offsets[1]
        for i in 0..<len { ao[i * so] += Double(xo[i * sx]) }
      }
    }
  }

  /// Sum of a contiguous run: blocks of 8 independent lanes in the element type (which the
  /// compiler vectorizes), block totals added in Double.
  @inline(__always)
  static func sumContiguous<T: FloatElement>(_ x: UnsafeMutablePointer<T>, count n: Int) -> Double {
    // Float32 sums run as the same loop in C, vectorized for the running CPU.
    if T.self == Float.self {
      return VectorMath.sum(UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), count: n)
    }
    var total = 0.0
    var start = 0
    let block = 1024
    while start < n {
      let end = Swift.min(start + block, n)
      var lanes = SIMD8<Double>()
      var i = start
      while i + 8 <= end {
        lanes += SIMD8<Double>(
          Double(x[i]), Double(x[i + 1]), Double(x[i + 2]), Double(x[i + 3]), Double(x[i + 4]),
          Double(x[i + 5]), Double(x[i + 6]), Double(x[i + 7]))
        i += 8
      }
      var s = lanes.sum()
      while i < end {
        s += Double(x[i])
        i += 1
      }
      total += s
      start = end
    }
    return total
  }

  private func sumInt(_ outShape: [Int], _ resultShape: [Int]) -> Tensor {
    let out = Tensor.zeros(resultShape, dtype: .int64)
    let o = out.base(Int.self)
    let x = base(Int.self)
    let outStrides = Shape.broadcastStrides(outShape, Shape.contiguousStrides(outShape), to: shape)
    let loop = StridedLoop(shape: shape, strides: [strides, outStrides])
    let len = loop.runLength
    let (sx, so) = (loop.innerStrides[0], loop.innerStrides[1])
    loop.forEachRun { _, offsets in
      for i in 0..<len { o[offsets[1] + i * so] &+= x[offsets[0] + i * sx] }
    }
    return out
  }

  /// Max (or min) along `dim`: values and the index of the first extreme element, both of
  /// the keepDim shape. NaN counts as the extreme, as in PyTorch.
  func extremeKernel(dim: Int, largest: Bool) -> (values: Tensor, indices: Tensor) {
    let outShape = Tensor.keptShape(shape, reducing: [dim])
    let values = Tensor(uninitializedShape: outShape, dtype: dtype)
    let indices = Tensor(uninitializedShape: outShape, dtype: .int64)
    // NaN wins, as in PyTorch; `value != value` is true for NaN only (never for integers).
    // `largest` picks one of two loops, so the comparison is not re-decided per element.
    func scan<T: Comparable>(_: T.Type, _ better: (T, T) -> Bool) {
      let x = base(T.self)
      let v = values.base(T.self)
      let ix = indices.base(Int.self)
      let n = shape[dim]
      let sd = strides[dim]
      var outerStrides = strides
      outerStrides[dim] = 0
      let loop = StridedLoop(shape: outShape, strides: [outerStrides])
      let len = loop.runLength
      let si = loop.innerStrides[0]
      loop.forEachRun { run, offsets in
        for i in 0..<len {
          let p = x + offsets[0] + i * si
          var best = p[0]
          var bestIndex = 0
          if best == best {
            for k in 1..<Swift.max(n, 1) {
              let value = p[k * sd]
              if value != value {
                best = value
                bestIndex = k
                break
              }
              // Selects rather than branches: with random data the branch mispredicts.
              let wins = better(value, best)
              best = wins ? value : best
              bestIndex = wins ? k : bestIndex
            }
          }
          v[run * len + i] = best
          ix[run * len + i] = bestIndex
        }
      }
    }
    switch (dtype, largest) {
    case (.float32, true): scan(Float.self, >)
    case (.float32, false): scan(Float.self, <)
    case (.float64, true): scan(Double.self, >)
    case (.float64, false): scan(Double.self, <)
    case (.int64, true): scan(Int.self, >)
    case (.int64, false): scan(Int.self, <)
    case (.bool, _): return converted(to: .int64).extremeKernel(dim: dim, largest: largest)
    }
    return (values, indices)
  }
}
