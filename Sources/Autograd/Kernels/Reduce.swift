// Reduction kernels: sums over any set of dimensions, and max/min along one dimension.

extension Tensor {
  /// The shape after reducing `dims` with keepDim (reduced dimensions become 1).
  static func keptShape(_ shape: [Int], reducing dims: Dims) -> [Int] {
    shape.enumerated().map { dims.contains($0.offset) ? 1 : $0.element }
  }

  /// Sums over `dims`, returning a contiguous tensor of the keepDim shape. Float sums
  /// accumulate in Double so long reductions in float32 keep their accuracy.
  func sumKernel(dims: Dims) -> Tensor {
    let outShape = Tensor.keptShape(shape, reducing: dims)
    switch dtype {
    case .float32: return sumFloat(Float.self, outShape: outShape)
    case .float64: return sumFloat(Double.self, outShape: outShape)
    case .int64: return sumInt(outShape: outShape)
    case .bool: return converted(to: .int64).sumInt(outShape: outShape)
    }
  }

  private func sumFloat<T: FloatElement>(_: T.Type, outShape: [Int]) -> Tensor {
    let outCount = Shape.count(outShape)
    let x = base(T.self)
    let acc = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(outCount, 1))
    defer { acc.deallocate() }
    acc.initialize(repeating: 0, count: Swift.max(outCount, 1))
    if outCount == 1 && isContiguous {
      acc[0] = Tensor.sumContiguous(x, count: count)
    } else {
      let outStrides = Shape.broadcastStrides(
        outShape, Shape.contiguousStrides(outShape), to: shape)
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
    let out = Tensor(uninitializedShape: outShape, dtype: T.dtype)
    let o = out.base(T.self)
    for i in 0..<outCount { o[i] = T(acc[i]) }
    return out
  }

  /// Sum of a contiguous run: blocks of 8 independent lanes in the element type (which the
  /// compiler vectorizes), block totals added in Double.
  @inline(__always)
  static func sumContiguous<T: FloatElement>(_ x: UnsafeMutablePointer<T>, count n: Int) -> Double {
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

  private func sumInt(outShape: [Int]) -> Tensor {
    let out = Tensor.zeros(outShape, dtype: .int64)
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
