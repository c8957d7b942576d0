// Matrix products through BLAS. Transposed views are passed to GEMM as flags; only
// operands whose strides BLAS cannot express are copied.

extension Tensor {
  /// The matrix product, as PyTorch's `@`: matrix × matrix, matrix × vector,
  /// vector × matrix, vector · vector, and batches (leading dimensions broadcast).
  ///
  /// ```swift
  /// let logits = x.matmul(w) + b      // [n, d] · [d, k] → [n, k]
  /// ```
  public func matmul(_ other: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.matmul(self, other, at: SourceLocation(file: file, line: line))
  }

  static func matmul(_ a: Tensor, _ b: Tensor, at location: SourceLocation?) -> Tensor {
    guard a.rank >= 1, b.rank >= 1 else {
      tensorError(
        "matmul",
        "both operands need at least one dimension, got shapes \(describe(a.shape)) and "
          + "\(describe(b.shape))", at: location)
    }
    guard a.dtype.isFloatingPoint, b.dtype.isFloatingPoint, a.dtype == b.dtype else {
      tensorError(
        "matmul",
        "operands must be floating point of the same type, got \(a.dtype) and \(b.dtype); "
          + "convert with .to(.float32) or .to(.float64)", at: location)
    }
    let k1 = a.shape[a.rank - 1]
    let k2 = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
    guard k1 == k2 else {
      tensorError(
        "matmul",
        "shapes \(describe(a.shape)) and \(describe(b.shape)) cannot be multiplied "
          + "(inner dimensions \(k1) ≠ \(k2))", at: location)
    }
    // Vectors become one-row or one-column matrices, and the extra dimension is removed after.
    let a2 = a.rank == 1 ? a.unsqueeze(0) : a
    let b2 = b.rank == 1 ? b.unsqueeze(1) : b
    var out = matmulMatrices(a2, b2, at: location)
    if a.rank == 1 { out = out.squeeze(-2) }
    if b.rank == 1 { out = out.squeeze(-1) }
    return out
  }

  /// Product of operands of rank ≥ 2 (batch dimensions broadcast). Recorded as one node.
  private static func matmulMatrices(_ a: Tensor, _ b: Tensor, at location: SourceLocation?)
    -> Tensor
  {
    if let gram = gramProduct(a, b) { return gram }
    let (n, k, m) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
    let batchA = Array(a.shape.dropLast(2))
    let batchB = Array(b.shape.dropLast(2))
    guard let batch = Shape.broadcast(batchA, batchB) else {
      tensorError(
        "matmul",
        "batch dimensions of \(describe(a.shape)) and \(describe(b.shape)) cannot be broadcast",
        at: location)
    }
    let out = Tensor(uninitializedShape: batch + [n, m], dtype: a.dtype)
    let ae = a.expand(batch + [n, k], at: nil).detach()
    let be = b.expand(batch + [k, m], at: nil).detach()
    for i in 0..<Shape.count(batch) {
      let (sa, sb) = (ae.matrix(i), be.matrix(i))
      let c = out.matrix(i)
      gemmInto(c, sa, sb)
    }
    let (x, y, needA, needB) = (a, b, a._requiresGrad, b._requiresGrad)
    return out.record("MmBackward", inputs: a, b, saved: [a, b]) { g in
      [
        needA ? Tensor.matmulMatrices(g, y.transpose(-1, -2), at: nil) : nil,
        needB ? Tensor.matmulMatrices(x.transpose(-1, -2), g, at: nil) : nil,
      ]
    }
  }

  /// `a · aᵀ` when `b` is the transpose view of the matrix `a` (cosine similarities, Gram
  /// and covariance matrices), or `nil` for any other product.
  ///
  /// The product is symmetric, so BLAS's SYRK computes its upper triangle (half the
  /// multiply-adds) and the lower one is copied. When the gradient of `b` would only flow
  /// back into `a` through the transpose, backward also takes one product instead of two:
  /// `dA = G·A + Gᵀ·A = (G + Gᵀ)·A`, with the symmetric `G + Gᵀ` read from one triangle
  /// (``symmetrizedProduct(_:_:)``).
  private static func gramProduct(_ a: Tensor, _ b: Tensor) -> Tensor? {
    guard a.rank == 2, b.rank == 2, b.storage === a.storage, b.offset == a.offset,
      b.shape == [a.shape[1], a.shape[0]], b.strides == [a.strides[1], a.strides[0]],
      a.shape[0] >= 32, a.shape[1] >= 1, let layout = a.gemmLayout()
    else { return nil }
    // Through `b`, the gradient must reach `a` by the transpose alone, or not at all.
    if let node = b.gradFn {
      guard node.name == "PermuteBackward", node.edges.count == 1, node.edges[0].leads(to: a)
      else { return nil }
    } else if b._requiresGrad {
      return nil
    }
    let (n, k) = (a.shape[0], a.shape[1])
    let out = Tensor(uninitializedShape: [n, n], dtype: a.dtype)
    func fill<T: BLASScalar & SIMDScalar & BitwiseCopyable>(_: T.Type) {
      let operand = GEMMOperand(
        pointer: UnsafePointer(a.base(T.self)), transposed: layout.transposed,
        leadingDimension: layout.ld)
      BLAS.syrkUpper(n: n, k: k, a: operand, c: out.base(T.self), ldc: n)
      mirrorUpperTriangle(out.base(T.self), n: n)
    }
    if a.dtype == .float32 { fill(Float.self) } else { fill(Double.self) }
    let x = a
    // Whether `b` keeps its own gradient is asked at backward time: `retainGrad()` may be
    // called after the product. Then `b` gets Aᵀ·G, passed on to `a` by its transpose. The
    // graph does not keep `b` alive; once it is gone, nobody can read its gradient.
    let needB = b._requiresGrad
    return out.record("MmBackward", inputs: a, b, saved: [a]) { [weak b] g in
      guard needB else { return [Tensor.matmulMatrices(g, x, at: nil), nil] }
      if let b, b.retainsGrad {
        return [
          Tensor.matmulMatrices(g, x, at: nil),
          Tensor.matmulMatrices(x.transpose(0, 1), g, at: nil),
        ]
      }
      return [Tensor.symmetrizedProduct(g, x), nil]
    }
  }

  /// `(g + gᵀ)·x` for the square gradient `g` of a Gram product and its n × k operand `x`,
  /// without forming the whole of `g + gᵀ`: SYMM reads one triangle of a symmetric matrix.
  ///
  /// When one strict triangle of `g` is all zeros (the gradient of a triangle of the product,
  /// `triu`/`tril`, as in a mean over distinct pairs), `g + gᵀ` is `g`'s other triangle
  /// mirrored, with the diagonal counted twice: SYMM reads `g` itself and the diagonal's
  /// second share, `diag(g)·x`, is added row by row. Otherwise the upper triangle of
  /// `g + gᵀ` is written first, half the pass of the whole sum.
  private static func symmetrizedProduct(_ g: Tensor, _ x: Tensor) -> Tensor {
    let (n, k) = (x.shape[0], x.shape[1])
    let gc = g.isContiguous ? g : g.copy()
    let xc = x.isContiguous ? x : x.copy()
    let out = Tensor(uninitializedShape: [n, k], dtype: x.dtype)
    func compute<T: BLASScalar & FloatElement, U: FixedWidthInteger & UnsignedInteger>(
      _: T.Type, bits: U.Type
    ) {
      let (gp, xp, op) = (
        UnsafePointer(gc.base(T.self)), UnsafePointer(xc.base(T.self)), out.base(T.self)
      )
      let facts = gc.knownTriangle
      // A triangle of one value (the gradient of a triangle's sum or mean): running sums
      // of x's rows give the product without reading g.
      if let facts, let c = facts.constant, c.isFinite {
        let scratch = Tensor(uninitializedShape: [n, k], dtype: .float64)
        if constantTriangleSymmetricProduct(
          c: c, diagonal: facts.upper ? facts.diagonal : -facts.diagonal, x: xp, n: n, k: k,
          into: op, scratch: scratch.base(Double.self))
        {
          return
        }
      }
      // A triangle's pass recorded which strict triangle it zeroed; only other matrices
      // are read to find out.
      let zero = facts?.zeroTriangle ?? zeroTriangle(gp, n: n, bits: U.self)
      guard let zero else {
        // The sum's upper triangle reads only `g`'s element at the same place and its
        // mirror below the diagonal, so a copy made here can take it in place.
        let sum = gc === g ? Tensor(uninitializedShape: [n, n], dtype: x.dtype) : gc
        symmetricSumUpper(gp, into: sum.base(T.self), n: n)
        BLAS.symmetricProduct(
          upper: true, n: n, m: k, a: UnsafePointer(sum.base(T.self)), lda: n, b: xp, ldb: k,
          c: op, ldc: k)
        return
      }
      BLAS.symmetricProduct(
        upper: zero == .lower, n: n, m: k, a: gp, lda: n, b: xp, ldb: k, c: op, ldc: k)
      for i in 0..<n {
        let d = gp[i * n + i]
        if d == 0 { continue }
        let (row, source) = (op + i * k, xp + i * k)
        for j in 0..<k { row[j] += d * source[j] }
      }
    }
    if x.dtype == .float32 {
      compute(Float.self, bits: UInt32.self)
    } else {
      compute(Double.self, bits: UInt64.self)
    }
    return out
  }

  /// The `i`-th matrix of a tensor of rank ≥ 2, in row-major batch order (a view).
  private func matrix(_ i: Int) -> Tensor {
    if rank == 2 { return self }
    var rest = i
    var off = offset
    let batchShape = shape.dropLast(2)
    let batchStrides = Shape.contiguousStrides(Array(batchShape))
    for (d, s) in batchStrides.enumerated() {
      off += (rest / s) * strides[d]
      rest %= s
    }
    return view(shape: Array(shape.suffix(2)), strides: Array(strides.suffix(2)), offset: off)
  }

  /// How BLAS can read this matrix in place, or `nil` when it must be copied first.
  private func gemmLayout() -> (transposed: Bool, ld: Int)? {
    let (rows, cols) = (shape[0], shape[1])
    if strides[1] == 1 || cols == 1, strides[0] >= Swift.max(cols, 1) || rows == 1 {
      return (false, Swift.max(rows == 1 ? cols : strides[0], 1))
    }
    if strides[0] == 1 || rows == 1, strides[1] >= Swift.max(rows, 1) || cols == 1 {
      return (true, Swift.max(cols == 1 ? rows : strides[1], 1))
    }
    return nil
  }

  /// Writes `a · b` into the contiguous matrix `c`.
  private static func gemmInto(_ c: Tensor, _ a: Tensor, _ b: Tensor) {
    let (n, k, m) = (a.shape[0], a.shape[1], b.shape[1])
    if n == 0 || m == 0 { return }
    if k == 0 {
      c.fill(0)
      return
    }
    let aa = a.gemmLayout() == nil ? a.copy() : a
    let bb = b.gemmLayout() == nil ? b.copy() : b
    let (la, lb) = (aa.gemmLayout()!, bb.gemmLayout()!)
    func operand<T>(_ t: Tensor, _ layout: (transposed: Bool, ld: Int), _: T.Type) -> GEMMOperand<T>
    {
      GEMMOperand(
        pointer: UnsafePointer(t.base(T.self)), transposed: layout.transposed,
        leadingDimension: layout.ld)
    }
    if c.dtype == .float32 {
      BLAS.gemm(
        m: n, n: m, k: k, a: operand(aa, la, Float.self), b: operand(bb, lb, Float.self),
        c: c.base(Float.self), ldc: m)
    } else {
      BLAS.gemm(
        m: n, n: m, k: k, a: operand(aa, la, Double.self), b: operand(bb, lb, Double.self),
        c: c.base(Double.self), ldc: m)
    }
  }
}

/// The matrix product of two tensors (PyTorch's `torch.matmul` / `@`).
public func matmul(_ a: Tensor, _ b: Tensor, file: StaticString = #fileID, line: UInt = #line)
  -> Tensor
{
  Tensor.matmul(a, b, at: SourceLocation(file: file, line: line))
}
