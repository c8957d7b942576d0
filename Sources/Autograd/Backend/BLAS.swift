internal import CBLAS

// The only file that talks to OpenBLAS. It offers one call, a row-major GEMM on raw
// pointers, with transposition passed as a flag so transposed views are never copied.

/// A matrix operand for GEMM: a pointer, whether it is read transposed, and its leading
/// dimension (the distance between consecutive rows of the stored, row-major layout).
struct GEMMOperand<T> {
  let pointer: UnsafePointer<T>
  let transposed: Bool
  let leadingDimension: Int
}

enum BLAS {
  /// `c = a · b` (row-major), with `a` of logical shape m × k and `b` of k × n;
  /// `c` is contiguous with leading dimension `ldc`.
  static func gemm(
    m: Int, n: Int, k: Int, a: GEMMOperand<Float>, b: GEMMOperand<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, a.transposed ? CblasTrans : CblasNoTrans,
      b.transposed ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), blasint(k), 1,
      a.pointer, blasint(a.leadingDimension), b.pointer, blasint(b.leadingDimension), 0, c,
      blasint(ldc))
  }

  /// Double-precision `c = a · b`, as ``gemm(m:n:k:a:b:c:ldc:)-(_,_,_,GEMMOperand<Float>,_,_,_)``.
  static func gemm(
    m: Int, n: Int, k: Int, a: GEMMOperand<Double>, b: GEMMOperand<Double>,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, a.transposed ? CblasTrans : CblasNoTrans,
      b.transposed ? CblasTrans : CblasNoTrans, blasint(m), blasint(n), blasint(k), 1,
      a.pointer, blasint(a.leadingDimension), b.pointer, blasint(b.leadingDimension), 0, c,
      blasint(ldc))
  }
}
