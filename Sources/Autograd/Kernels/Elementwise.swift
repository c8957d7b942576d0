// Elementwise kernels: one pass over the operands into a fresh contiguous result.
// Each kernel is generic over the element types and takes the per-element function as a
// closure that is inlined at each call site, so the inner loops are plain typed loops.

extension Tensor {
  /// Applies `f` to every element, producing a contiguous tensor of `outType`.
  @inline(__always)
  func mapElements<T, U: TensorElement>(_: T.Type, to _: U.Type, _ f: (T) -> U) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: U.dtype)
    let o = out.base(U.self)
    let x = base(T.self)
    let n = count
    if isContiguous {
      for i in 0..<n { o[i] = f(x[i]) }
      return out
    }
    // One element seen through zero strides (the expanded gradient of a sum or mean): one
    // call of `f` and a fill, not a strided walk.
    if n > 0 && isExpandedScalar {
      let v = f(x[0])
      for i in 0..<n { o[i] = v }
      return out
    }
    let loop = StridedLoop(shape: shape, strides: [strides])
    let len = loop.runLength
    let s = loop.innerStrides[0]
    loop.forEachRun { run, offsets in
      let xo = x + offsets[0]
      let oo = o + run * len
      for i in 0..<len { oo[i] = f(xo[i * s]) }
    }
    return out
  }

  /// Applies `f` to pairs of elements of `a` and `b` broadcast to `shape`.
  @inline(__always)
  static func zipElements<T, U: TensorElement>(
    _ a: Tensor, _ b: Tensor, shape: [Int], _: T.Type, to _: U.Type, _ f: (T, T) -> U
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: U.dtype)
    let o = out.base(U.self)
    let pa = a.base(T.self)
    let pb = b.base(T.self)
    let n = out.count
    if a.shape == shape && b.shape == shape && a.isContiguous && b.isContiguous {
      for i in 0..<n { o[i] = f(pa[i], pb[i]) }
      return out
    }
    if b.count == 1 && a.shape == shape && a.isContiguous {
      let bv = pb[0]
      for i in 0..<n { o[i] = f(pa[i], bv) }
      return out
    }
    if a.count == 1 && b.shape == shape && b.isContiguous {
      let av = pa[0]
      for i in 0..<n { o[i] = f(av, pb[i]) }
      return out
    }
    // A contiguous operand against one element seen through zero strides (the expanded
    // gradient of a sum) or a row repeated whole (a bias): the common cases, tested first.
    if n > 0 && a.shape == shape && a.isContiguous {
      if b.isExpandedScalar {
        let bv = pb[0]
        for i in 0..<n { o[i] = f(pa[i], bv) }
        return out
      }
      if b.repeatsAsTrailingPart(of: shape) {
        let m = b.count
        for r in 0..<(n / m) {
          let (ar, or) = (pa + r * m, o + r * m)
          for i in 0..<m { or[i] = f(ar[i], pb[i]) }
        }
        return out
      }
    }
    if n > 0 && b.shape == shape && b.isContiguous {
      if a.isExpandedScalar {
        let av = pa[0]
        for i in 0..<n { o[i] = f(av, pb[i]) }
        return out
      }
      if a.repeatsAsTrailingPart(of: shape) {
        let m = a.count
        for r in 0..<(n / m) {
          let (br, or) = (pb + r * m, o + r * m)
          for i in 0..<m { or[i] = f(pa[i], br[i]) }
        }
        return out
      }
    }
    // Other broadcasts of whole rows, columns or one element over a contiguous result (a
    // row maximum, labels compared with every column): plain loops, no strided walk.
    if let split = RowBroadcast(a, b, shape: shape, count: n) {
      let inner = split.inner
      for r in 0..<split.outer {
        let (ar, br, or) = (pa + r * split.a.row, pb + r * split.b.row, o + r * inner)
        switch (split.a.column, split.b.column) {
        case (1, 1):
          for i in 0..<inner { or[i] = f(ar[i], br[i]) }
        case (1, _):
          let bv = br[0]
          for i in 0..<inner { or[i] = f(ar[i], bv) }
        case (_, 1):
          let av = ar[0]
          for i in 0..<inner { or[i] = f(av, br[i]) }
        default:
          let v = f(ar[0], br[0])
          for i in 0..<inner { or[i] = v }
        }
      }
      return out
    }
    let loop = StridedLoop(
      shape: shape,
      strides: [
        Shape.broadcastStrides(a.shape, a.strides, to: shape),
        Shape.broadcastStrides(b.shape, b.strides, to: shape),
      ])
    let len = loop.runLength
    let sa = loop.innerStrides[0]
    let sb = loop.innerStrides[1]
    loop.forEachRun { run, offsets in
      let ao = pa + offsets[0]
      let bo = pb + offsets[1]
      let oo = o + run * len
      if sa == 1 && sb == 1 {
        for i in 0..<len { oo[i] = f(ao[i], bo[i]) }
      } else if sa == 1 && sb == 0 {
        let bv = bo[0]
        for i in 0..<len { oo[i] = f(ao[i], bv) }
      } else if sa == 0 && sb == 1 {
        let av = ao[0]
        for i in 0..<len { oo[i] = f(av, bo[i]) }
      } else {
        for i in 0..<len { oo[i] = f(ao[i * sa], bo[i * sb]) }
      }
    }
    return out
  }

  /// Writes `f(self[i], other[i])` into `self` in place, `other` broadcast to `self.shape`.
  @inline(__always)
  func updateElements<T>(with other: Tensor, _: T.Type, _ f: (T, T) -> T) {
    let px = base(T.self)
    let pb = other.base(T.self)
    let n = count
    if isContiguous && other.isContiguous && other.shape == shape {
      for i in 0..<n { px[i] = f(px[i], pb[i]) }
      return
    }
    if isContiguous && other.count == 1 {
      let v = pb[0]
      for i in 0..<n { px[i] = f(px[i], v) }
      return
    }
    let loop = StridedLoop(
      shape: shape,
      strides: [strides, Shape.broadcastStrides(other.shape, other.strides, to: shape)])
    let len = loop.runLength
    let sx = loop.innerStrides[0]
    let sb = loop.innerStrides[1]
    loop.forEachRun { _, offsets in
      let xo = px + offsets[0]
      let bo = pb + offsets[1]
      for i in 0..<len { xo[i * sx] = f(xo[i * sx], bo[i * sb]) }
    }
  }

  /// Writes `f(self[i])` into `self` in place.
  @inline(__always)
  func updateElements<T>(_: T.Type, _ f: (T) -> T) {
    let px = base(T.self)
    if isContiguous {
      for i in 0..<count { px[i] = f(px[i]) }
      return
    }
    let loop = StridedLoop(shape: shape, strides: [strides])
    let len = loop.runLength
    let s = loop.innerStrides[0]
    loop.forEachRun { _, offsets in
      let xo = px + offsets[0]
      for i in 0..<len { xo[i * s] = f(xo[i * s]) }
    }
  }

  /// Selects `a` where `cond` is true and `b` elsewhere, all broadcast to `shape`.
  static func selectElements<T: TensorElement>(
    _ cond: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int], _: T.Type
  ) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: T.dtype)
    let o = out.base(T.self)
    let pc = cond.base(Bool.self)
    let pa = a.base(T.self)
    let pb = b.base(T.self)
    let loop = StridedLoop(
      shape: shape,
      strides: [
        Shape.broadcastStrides(cond.shape, cond.strides, to: shape),
        Shape.broadcastStrides(a.shape, a.strides, to: shape),
        Shape.broadcastStrides(b.shape, b.strides, to: shape),
      ])
    let len = loop.runLength
    let (sc, sa, sb) = (loop.innerStrides[0], loop.innerStrides[1], loop.innerStrides[2])
    loop.forEachRun { run, offsets in
      let co = pc + offsets[0]
      let ao = pa + offsets[1]
      let bo = pb + offsets[2]
      let oo = o + run * len
      // Unit strides and a broadcast scalar (masked fill) get loops of their own. Both sides
      // are loaded before choosing, so the choice is a blend the compiler vectorizes rather
      // than a branch per element (random conditions mispredict half the time).
      if T.self == Float.self && sc == 1 && sa <= 1 && sb <= 1 {
        VectorMath.select(
          co, UnsafeRawPointer(ao).assumingMemoryBound(to: Float.self), strideA: sa,
          UnsafeRawPointer(bo).assumingMemoryBound(to: Float.self), strideB: sb,
          UnsafeMutableRawPointer(oo).assumingMemoryBound(to: Float.self), count: len)
      } else if sc == 1 && sa == 1 && sb == 1 {
        for i in 0..<len {
          let (x, y) = (ao[i], bo[i])
          oo[i] = co[i] ? x : y
        }
      } else if sc == 1 && sa == 0 && sb == 1 {
        let av = ao[0]
        for i in 0..<len {
          let y = bo[i]
          oo[i] = co[i] ? av : y
        }
      } else if sc == 1 && sa == 1 && sb == 0 {
        let bv = bo[0]
        for i in 0..<len {
          let x = ao[i]
          oo[i] = co[i] ? x : bv
        }
      } else {
        for i in 0..<len { oo[i] = co[i * sc] ? ao[i * sa] : bo[i * sb] }
      }
    }
    return out
  }
}
