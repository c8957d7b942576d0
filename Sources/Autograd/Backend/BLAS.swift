internal import CBLAS
import Foundation

// The only file that talks to OpenBLAS: a row-major GEMM and a SYRK on raw pointers, with
// transposition passed as a flag so transposed views are never copied.
//
// OpenBLAS runs single-threaded here, and large products are split over the cores by the
// library itself. OpenBLAS's own threads wake for products of a few hundred thousand
// multiply-adds and then spin in `sched_yield` between calls; in a training loop of small
// products that cost about 10% of the run. Splitting only products of millions of
// multiply-adds keeps small ones on the calling thread and large ones on every core.

/// A matrix operand: a pointer, whether it is read transposed, and its leading dimension
/// (the distance between consecutive rows of the stored, row-major layout).
struct GEMMOperand<T> {
  let pointer: UnsafePointer<T>
  let transposed: Bool
  let leadingDimension: Int

  /// The operand without its first `row` logical rows.
  func dropRows(_ row: Int) -> GEMMOperand {
    GEMMOperand(
      pointer: pointer + (transposed ? row : row * leadingDimension), transposed: transposed,
      leadingDimension: leadingDimension)
  }

  /// The operand without its first `column` logical columns.
  func dropColumns(_ column: Int) -> GEMMOperand {
    GEMMOperand(
      pointer: pointer + (transposed ? column * leadingDimension : column),
      transposed: transposed, leadingDimension: leadingDimension)
  }
}

/// Float and Double, each with its OpenBLAS routines.
protocol BLASScalar: FloatingPoint {
  /// `c = a · b + β·c` on one thread (with β = 0, `c` is not read).
  static func gemm(
    m: Int, n: Int, k: Int, a: GEMMOperand<Self>, b: GEMMOperand<Self>, beta: Self,
    c: UnsafeMutablePointer<Self>, ldc: Int)
  /// `y = op(a) · x` for the stored `rows × cols` matrix `a`, op transposing it or not.
  static func gemv(
    transposed: Bool, rows: Int, cols: Int, a: UnsafePointer<Self>, lda: Int,
    x: UnsafePointer<Self>, incx: Int, y: UnsafeMutablePointer<Self>, incy: Int)
  /// The upper triangle of `c = a · aᵀ` on one thread (the strict lower triangle untouched).
  static func syrkUpper(
    n: Int, k: Int, a: GEMMOperand<Self>, c: UnsafeMutablePointer<Self>,
    ldc: Int)
  /// `c = a · b` on one thread for the symmetric n × n `a`, of which only the triangle
  /// `upper` names is read, and the row-major n × m `b`.
  static func symm(
    upper: Bool, n: Int, m: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>,
    ldb: Int, c: UnsafeMutablePointer<Self>, ldc: Int)
}

private func flag(_ transposed: Bool) -> CBLAS_TRANSPOSE {
  transposed ? CblasTrans : CblasNoTrans
}

extension Float: BLASScalar {
  static func gemm(
    m: Int, n: Int, k: Int, a: GEMMOperand<Float>, b: GEMMOperand<Float>, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, flag(a.transposed), flag(b.transposed), blasint(m), blasint(n),
      blasint(k), 1, a.pointer, blasint(a.leadingDimension), b.pointer,
      blasint(b.leadingDimension), beta, c, blasint(ldc))
  }

  static func gemv(
    transposed: Bool, rows: Int, cols: Int, a: UnsafePointer<Float>, lda: Int,
    x: UnsafePointer<Float>, incx: Int, y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    cblas_sgemv(
      CblasRowMajor, flag(transposed), blasint(rows), blasint(cols), 1, a, blasint(lda), x,
      blasint(incx), 0, y, blasint(incy))
  }

  static func syrkUpper(
    n: Int, k: Int, a: GEMMOperand<Float>, c: UnsafeMutablePointer<Float>,
    ldc: Int
  ) {
    cblas_ssyrk(
      CblasRowMajor, CblasUpper, flag(a.transposed), blasint(n), blasint(k), 1, a.pointer,
      blasint(a.leadingDimension), 0, c, blasint(ldc))
  }

  static func symm(
    upper: Bool, n: Int, m: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
    ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    cblas_ssymm(
      CblasRowMajor, CblasLeft, upper ? CblasUpper : CblasLower, blasint(n), blasint(m), 1, a,
      blasint(lda), b, blasint(ldb), 0, c, blasint(ldc))
  }
}

extension Double: BLASScalar {
  static func gemm(
    m: Int, n: Int, k: Int, a: GEMMOperand<Double>, b: GEMMOperand<Double>, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, flag(a.transposed), flag(b.transposed), blasint(m), blasint(n),
      blasint(k), 1, a.pointer, blasint(a.leadingDimension), b.pointer,
      blasint(b.leadingDimension), beta, c, blasint(ldc))
  }

  static func gemv(
    transposed: Bool, rows: Int, cols: Int, a: UnsafePointer<Double>, lda: Int,
    x: UnsafePointer<Double>, incx: Int, y: UnsafeMutablePointer<Double>, incy: Int
  ) {
    cblas_dgemv(
      CblasRowMajor, flag(transposed), blasint(rows), blasint(cols), 1, a, blasint(lda), x,
      blasint(incx), 0, y, blasint(incy))
  }

  static func syrkUpper(
    n: Int, k: Int, a: GEMMOperand<Double>, c: UnsafeMutablePointer<Double>,
    ldc: Int
  ) {
    cblas_dsyrk(
      CblasRowMajor, CblasUpper, flag(a.transposed), blasint(n), blasint(k), 1, a.pointer,
      blasint(a.leadingDimension), 0, c, blasint(ldc))
  }

  static func symm(
    upper: Bool, n: Int, m: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>,
    ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    cblas_dsymm(
      CblasRowMajor, CblasLeft, upper ? CblasUpper : CblasLower, blasint(n), blasint(m), 1, a,
      blasint(lda), b, blasint(ldb), 0, c, blasint(ldc))
  }
}

enum BLAS {
  /// Multiply-adds from which a product is split over the cores (about 50 µs of one core).
  static let parallelThreshold = 1 << 22

  /// Puts OpenBLAS in single-threaded mode with the kernels the CPU supports, once, before
  /// its first call.
  private static let configured: Bool = {
    KernelChoice.upgradeGenericKernels()
    openblas_set_num_threads(1)
    return true
  }()

  /// The OpenBLAS kernel set in use, as OpenBLAS names it (`SkylakeX`, `Haswell`, …).
  static var kernels: String {
    precondition(configured)
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
  }

  /// `c = a · b` (row-major), with `a` of logical shape m × k and `b` of k × n; `c` is
  /// contiguous with leading dimension `ldc`. Large products are split into blocks of rows
  /// (or of columns, when `c` is wide), one per core.
  static func gemm<T: BLASScalar>(
    m: Int, n: Int, k: Int, a: GEMMOperand<T>, b: GEMMOperand<T>, c: UnsafeMutablePointer<T>,
    ldc: Int
  ) {
    precondition(configured)
    // Products with a vector or of vectors: GEMM would pack its operands for a few
    // microseconds first (5–7 µs of 9 for [3000, 2] · [2, 1]).
    // `c` may be a reused buffer holding anything, NaN included; GEMV with β = 0 is meant
    // to ignore it, but OpenBLAS releases have differed on whether 0·NaN is scaled away, so
    // it is zeroed first (m or n elements).
    if n == 1 && T.self == Float.self && narrowProduct(m: m, k: k, a: a, b: b, c: c, ldc: ldc) {
      return
    }
    if n == 1 {
      for i in 0..<m { c[i * ldc] = 0 }
      T.gemv(
        transposed: a.transposed, rows: a.transposed ? k : m, cols: a.transposed ? m : k,
        a: a.pointer, lda: a.leadingDimension, x: b.pointer,
        incx: b.transposed ? 1 : b.leadingDimension, y: c, incy: ldc)
      return
    }
    if m == 1 {
      c.update(repeating: 0, count: n)
      T.gemv(
        transposed: !b.transposed, rows: b.transposed ? n : k, cols: b.transposed ? k : n,
        a: b.pointer, lda: b.leadingDimension, x: a.pointer,
        incx: a.transposed ? a.leadingDimension : 1, y: c, incy: 1)
      return
    }
    if k <= 8 && !b.transposed && m * n * k < parallelThreshold {
      thinProduct(m: m, n: n, k: k, a: a, b: b, c: c, ldc: ldc)
      return
    }
    let chunks = m * n * k >= parallelThreshold ? Swift.min(Parallel.cores, Swift.max(m, n)) : 1
    if chunks == 1 {
      T.gemm(m: m, n: n, k: k, a: a, b: b, beta: 0, c: c, ldc: ldc)
      return
    }
    Parallel.forEach(chunks) { i in
      if m >= n {
        let (r0, r1) = (m * i / chunks, m * (i + 1) / chunks)
        T.gemm(
          m: r1 - r0, n: n, k: k, a: a.dropRows(r0), b: b, beta: 0, c: c + r0 * ldc, ldc: ldc)
      } else {
        let (c0, c1) = (n * i / chunks, n * (i + 1) / chunks)
        T.gemm(
          m: m, n: c1 - c0, k: k, a: a, b: b.dropColumns(c0), beta: 0, c: c + c0, ldc: ldc)
      }
    }
  }

  /// `c = a · b` for a float32 vector `b` and a narrow `a`, by the loops of `VectorMath`:
  /// [m, k] · [k, 1] with 1 ≤ k ≤ 4, and [m, k] · [k, 1] with `a` a transposed view of m ≤ 4
  /// columns (the weight gradient of a linear model of few features). For [3000, 2] · [2, 1]
  /// GEMV cost 12,000 instructions and the zeroing of `c` before it 10,000 (valgrind); these
  /// loops need no zeroing and no call into OpenBLAS. Returns false, doing nothing, for
  /// other shapes.
  private static func narrowProduct<T: BLASScalar>(
    m: Int, k: Int, a: GEMMOperand<T>, b: GEMMOperand<T>, c: UnsafeMutablePointer<T>, ldc: Int
  ) -> Bool {
    func floats(_ p: UnsafePointer<T>) -> UnsafePointer<Float> {
      UnsafeRawPointer(p).assumingMemoryBound(to: Float.self)
    }
    let y = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
    let incx = b.transposed ? 1 : b.leadingDimension
    if !a.transposed && k >= 1 && k <= 4 {
      VectorMath.narrowProduct(
        floats(a.pointer), lda: a.leadingDimension, m: m, k: k, floats(b.pointer), incx: incx,
        y, incy: ldc)
      return true
    }
    if a.transposed && m <= 4 {
      VectorMath.narrowTransposedProduct(
        floats(a.pointer), lda: a.leadingDimension, m: m, k: k, floats(b.pointer), incx: incx,
        y, incy: ldc)
      return true
    }
    return false
  }

  /// `c = a · b` for a thin inner dimension (k ≤ 8: the first layer of a small network, and
  /// outer products at k = 1):
  /// each row of `c` is a combination of the rows of `b`, in vectorized passes. GEMM would
  /// zero `c` and pack both operands first, twice the time at [64, 2] · [2, 64].
  private static func thinProduct<T: BLASScalar>(
    m: Int, n: Int, k: Int, a: GEMMOperand<T>, b: GEMMOperand<T>, c: UnsafeMutablePointer<T>,
    ldc: Int
  ) {
    let (rowStride, columnStride) = a.transposed ? (1, a.leadingDimension) : (a.leadingDimension, 1)
    let ldb = b.leadingDimension
    for i in 0..<m {
      let row = c + i * ldc
      let ai = a.pointer + i * rowStride
      let a0 = ai[0]
      for j in 0..<n { row[j] = a0 * b.pointer[j] }
      for p in 1..<k {
        let ap = ai[p * columnStride]
        let bp = b.pointer + p * ldb
        for j in 0..<n { row[j] += ap * bp[j] }
      }
    }
  }

  /// The upper triangle (diagonal included) of `c = a · aᵀ`, `a` of logical shape n × k:
  /// half the multiply-adds of the GEMM. Large products are split in two halves of equal
  /// work: the off-diagonal block as a GEMM on one core, the two diagonal blocks on the other.
  static func syrkUpper<T: BLASScalar>(
    n: Int, k: Int, a: GEMMOperand<T>, c: UnsafeMutablePointer<T>, ldc: Int
  ) {
    precondition(configured)
    if Parallel.cores == 1 || n * n * k / 2 < parallelThreshold || n < 2 {
      T.syrkUpper(n: n, k: k, a: a, c: c, ldc: ldc)
      return
    }
    let h = n / 2
    Parallel.forEach(2) { i in
      if i == 0 {
        let lower = a.dropRows(h)
        let transposedLower = GEMMOperand(
          pointer: lower.pointer, transposed: !lower.transposed,
          leadingDimension: lower.leadingDimension)
        T.gemm(m: h, n: n - h, k: k, a: a, b: transposedLower, beta: 0, c: c + h, ldc: ldc)
      } else {
        T.syrkUpper(n: h, k: k, a: a, c: c, ldc: ldc)
        T.syrkUpper(n: n - h, k: k, a: a.dropRows(h), c: c + h * ldc + h, ldc: ldc)
      }
    }
  }

  /// `c = s · b` for the symmetric n × n matrix `s` stored in one triangle of `a` (the upper
  /// when `upper`, the other never read) and the row-major n × m `b`: SYMM, at GEMM's rate.
  /// Large products are split into blocks of rows of `c`, one per core; a block's rows of
  /// `s` are its diagonal block (SYMM) and the blocks left and right of it, read from the
  /// stored triangle, transposed where they lie on the other side (GEMMs that accumulate).
  static func symmetricProduct<T: BLASScalar>(
    upper: Bool, n: Int, m: Int, a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    c: UnsafeMutablePointer<T>, ldc: Int
  ) {
    precondition(configured)
    let chunks = n * n * m >= parallelThreshold ? Swift.min(Parallel.cores, n) : 1
    Parallel.forEach(chunks) { i in
      let (r0, r1) = (n * i / chunks, n * (i + 1) / chunks)
      let rows = c + r0 * ldc
      T.symm(
        upper: upper, n: r1 - r0, m: m, a: a + r0 * lda + r0, lda: lda, b: b + r0 * ldb,
        ldb: ldb, c: rows, ldc: ldc)
      if r0 > 0 {
        // s[r0..<r1, 0..<r0]: stored as a[0..<r0, r0..<r1] (upper) or as itself (lower).
        let left = GEMMOperand(
          pointer: upper ? a + r0 : a + r0 * lda, transposed: upper, leadingDimension: lda)
        T.gemm(
          m: r1 - r0, n: m, k: r0, a: left,
          b: GEMMOperand(pointer: b, transposed: false, leadingDimension: ldb), beta: 1,
          c: rows, ldc: ldc)
      }
      if r1 < n {
        // s[r0..<r1, r1..<n]: stored as itself (upper) or as a[r1..<n, r0..<r1] (lower).
        let right = GEMMOperand(
          pointer: upper ? a + r0 * lda + r1 : a + r1 * lda + r0, transposed: !upper,
          leadingDimension: lda)
        T.gemm(
          m: r1 - r0, n: m, k: n - r1, a: right,
          b: GEMMOperand(pointer: b + r1 * ldb, transposed: false, leadingDimension: ldb),
          beta: 1, c: rows, ldc: ldc)
      }
    }
  }
}

/// OpenBLAS chooses its kernels when it loads, from the CPU's model number. A model it does not
/// know (OpenBLAS 0.3.21 on recent Xeons, which report only "Intel(R) Xeon(R) Processor") gets
/// the generic SSE3 kernels, "Prescott": SGEMM at 20–23 GFLOP/s a core where the AVX-512
/// kernels reach 112. When OpenBLAS fell back to those and the user did not choose kernels
/// with `OPENBLAS_CORETYPE`, the kernels are chosen again from the CPU's feature flags, which
/// the kernel reports in `/proc/cpuinfo` only when the operating system saves their
/// registers. OpenBLAS's dynamic builds re-run their choice through
/// `gotoblas_dynamic_quit`/`gotoblas_dynamic_init`, which read `OPENBLAS_CORETYPE`; the
/// variable is set for that call only and removed again, so child processes see the
/// environment they were given. Builds without those entry points are left as they are.
enum KernelChoice {
  /// OpenBLAS's name for its generic x86-64 kernels.
  static let genericName = "prescott"

  /// The best kernel set OpenBLAS 0.3 has for a CPU with these `/proc/cpuinfo` flags, or
  /// `nil` when the generic kernels are as good as any.
  static func kernels(forFlags flags: Set<Substring>) -> String? {
    let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
    if avx512.allSatisfy({ flags.contains(Substring($0)) }) { return "SkylakeX" }
    if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
    if flags.contains("avx") { return "SandyBridge" }
    return nil
  }

  /// The flags of the first processor in a `/proc/cpuinfo` text.
  static func flags(cpuinfo: String) -> Set<Substring> {
    for line in cpuinfo.split(separator: "\n") where line.hasPrefix("flags") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return Set(line[line.index(after: colon)...].split(separator: " "))
    }
    return []
  }

  static func upgradeGenericKernels() {
    #if os(Linux) && arch(x86_64)
      guard getenv("OPENBLAS_CORETYPE") == nil,
        let current = openblas_get_corename(),
        String(cString: current).lowercased() == genericName,
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let choice = kernels(forFlags: flags(cpuinfo: cpuinfo)),
        let quit = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_quit"),
        let initialize = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_init")
      else { return }
      typealias Entry = @convention(c) () -> Void
      setenv("OPENBLAS_CORETYPE", choice, 1)
      unsafeBitCast(quit, to: Entry.self)()
      unsafeBitCast(initialize, to: Entry.self)()
      unsetenv("OPENBLAS_CORETYPE")
    #endif
  }
}
