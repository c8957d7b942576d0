internal import CVectorMath

// Float32 exp, log and log1p over contiguous arrays, in C (`CVectorMath`). libm's scalar
// functions were nearly half of a full-batch logistic-regression step (the stable BCE
// evaluates exp and log1p on both sides of its `where` for every element). The C loops keep
// within 1.5 ulp of the exact value on every float (checked against Float64 in
// VectorMathTests), with C's special values, and the C compiler vectorizes them for the
// widest instruction set of the running CPU, which this module, compiled for baseline x86-64,
// cannot: 3000 log1p took about 12 µs as eight-lane Swift (two SSE registers), 8 µs in C.
// The C loops give bitwise the results of the eight-lane Swift they replaced, on all 2³²
// floats.

/// Float32 `exp`, `log` and `log1p` over contiguous arrays, for contiguous float32 passes,
/// and the other loops of `CVectorMath`.
enum VectorMath {
  /// A function applied to `count` floats from `source` into `destination`.
  typealias ArrayFunction = (
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) -> Void

  /// eˣ within 2 ulp on every float.
  static func exp(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    cvm_exp_f32(source, destination, count)
  }

  /// ln x within 1.5 ulp, with the special values of C's `logf`.
  static func log(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    cvm_log_f32(source, destination, count)
  }

  /// ln(1 + x) within 1.5 ulp, with the special values of C's `log1pf`.
  static func log1p(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    cvm_log1p_f32(source, destination, count)
  }
}

extension VectorMath {
  /// `o[i] = c[i] ? a[i·strideA] : b[i·strideB]` for `count` float32 elements, strides 0 (one
  /// value broadcast) or 1, as a blend (both sides read, no branch per element).
  static func select(
    _ c: UnsafePointer<Bool>, _ a: UnsafePointer<Float>, strideA: Int, _ b: UnsafePointer<Float>,
    strideB: Int, _ o: UnsafeMutablePointer<Float>, count: Int
  ) {
    // Swift stores a Bool as one byte, 0 or 1.
    UnsafeRawPointer(c).withMemoryRebound(to: UInt8.self, capacity: count) {
      cvm_select_f32($0, a, strideA, b, strideB, o, count)
    }
  }

  /// `o[i] = c[i] ? 1 : 0` for `count` elements.
  static func floats(_ c: UnsafePointer<Bool>, _ o: UnsafeMutablePointer<Float>, count: Int) {
    UnsafeRawPointer(c).withMemoryRebound(to: UInt8.self, capacity: count) {
      cvm_bool_to_f32($0, o, count)
    }
  }

  /// `y[i·incy] = Σₚ a[i·lda + p]·x[p·incx]` for i < m: a float32 matrix of k ≤ 8 columns
  /// times a vector, each sum in order of p.
  static func narrowProduct(
    _ a: UnsafePointer<Float>, lda: Int, m: Int, k: Int, _ x: UnsafePointer<Float>, incx: Int,
    _ y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    precondition(k >= 1 && k <= 8)
    cvm_gemv_narrow_f32(a, lda, m, k, x, incx, y, incy)
  }

  /// `y[j·incy] = Σₚ a[p·lda + j]·x[p·incx]` for j < m: the transpose of a float32 k × m
  /// matrix of few columns times a vector, each sum as eight partial sums added pairwise.
  static func narrowTransposedProduct(
    _ a: UnsafePointer<Float>, lda: Int, m: Int, k: Int, _ x: UnsafePointer<Float>, incx: Int,
    _ y: UnsafeMutablePointer<Float>, incy: Int
  ) {
    cvm_gemv_narrow_transposed_f32(a, lda, m, k, x, incx, y, incy)
  }
}

extension VectorMath {
  /// The arithmetic with a loop of its own.
  enum Arithmetic { case add, subtract, multiply, divide }
  /// The comparisons with a loop of their own.
  enum Comparison { case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual }

  /// `o[i] = a[i·strideA] op b[i·strideB]` for `count` float32 elements, strides 0 or 1.
  static func arithmetic(
    _ op: Arithmetic, _ a: UnsafePointer<Float>, strideA: Int, _ b: UnsafePointer<Float>,
    strideB: Int, _ o: UnsafeMutablePointer<Float>, count: Int
  ) {
    let code: Int32 =
      switch op {
      case .add: Int32(CVM_ADD)
      case .subtract: Int32(CVM_SUB)
      case .multiply: Int32(CVM_MUL)
      case .divide: Int32(CVM_DIV)
      }
    cvm_arith_f32(code, a, strideA, b, strideB, o, count)
  }

  /// `o[i] = a[i·strideA] op b[i·strideB]` as a Bool for `count` float32 pairs, strides 0
  /// or 1.
  static func compare(
    _ op: Comparison, _ a: UnsafePointer<Float>, strideA: Int, _ b: UnsafePointer<Float>,
    strideB: Int, _ o: UnsafeMutablePointer<Bool>, count: Int
  ) {
    let code: Int32 =
      switch op {
      case .less: Int32(CVM_LT)
      case .lessOrEqual: Int32(CVM_LE)
      case .greater: Int32(CVM_GT)
      case .greaterOrEqual: Int32(CVM_GE)
      case .equal: Int32(CVM_EQ)
      case .notEqual: Int32(CVM_NE)
      }
    // The C loop writes the bytes 0 and 1, Swift's representation of false and true.
    UnsafeMutableRawPointer(o).withMemoryRebound(to: UInt8.self, capacity: count) {
      cvm_compare_f32(code, a, strideA, b, strideB, $0, count)
    }
  }

  /// The sum of `count` float32 elements in Double, in the order of
  /// `Tensor.sumContiguous` (blocks of 1024 in eight lanes), so bitwise its result.
  static func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
    cvm_sum_f32(x, count)
  }

  /// `acc[i] += Double(x[r·count + i])` for each row r < `rows` in order: column sums.
  static func addRows(
    _ x: UnsafePointer<Float>, rows: Int, count: Int, into acc: UnsafeMutablePointer<Double>
  ) {
    cvm_add_rows_f32(x, rows, count, acc)
  }

  /// `y[i] = x[i] ≤ 0 ? 0 : x[i]` for `count` float32 elements (NaN stays NaN).
  static func relu(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    cvm_relu_f32(source, destination, count)
  }

  /// `o[i] = y[i] ≤ 0 ? 0 : g[i]` for `count` float32 elements: relu's backward from its
  /// output.
  static func reluGradient(
    _ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ o: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    cvm_relu_gradient_f32(g, y, o, count)
  }

  /// `y[i] = −x[i]` for `count` float32 elements.
  static func negate(
    _ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ count: Int
  ) {
    cvm_neg_f32(source, destination, count)
  }
}

extension Tensor {
  /// The strides (1, or 0 for one element seen everywhere) with which float32 operands `a`
  /// and `b` enter a C loop over a result of `shape` and `count` > 0 elements: each must be
  /// contiguous with the result's shape or a single element (0-d, one element, or expanded
  /// by zero strides). `nil` for other broadcasts, which take the Swift kernels.
  static func arrayStrides(_ a: Tensor, _ b: Tensor, shape: [Int], count: Int) -> (Int, Int)? {
    guard count > 0 else { return nil }
    func stride(_ t: Tensor) -> Int? {
      if t.shape == shape && t.isContiguous { return 1 }
      return t.count == 1 || t.isExpandedScalar ? 0 : nil
    }
    guard let sa = stride(a), let sb = stride(b) else { return nil }
    return (sa, sb)
  }

  /// `a op b` for float32 operands broadcast to `shape` by a C loop, or `nil` when their
  /// layout has none (``arrayStrides(_:_:shape:count:)``).
  static func arithmeticArrays(
    _ op: VectorMath.Arithmetic, _ a: Tensor, _ b: Tensor, shape: [Int]
  ) -> Tensor? {
    let count = Shape.count(shape)
    guard let (sa, sb) = arrayStrides(a, b, shape: shape, count: count) else { return nil }
    let out = Tensor(uninitializedShape: shape, dtype: .float32)
    VectorMath.arithmetic(
      op, a.base(Float.self), strideA: sa, b.base(Float.self), strideB: sb,
      out.base(Float.self), count: count)
    return out
  }

  /// `self op value` (`value op self` when `reversed`) for a contiguous float32 tensor by a
  /// C loop.
  func arithmeticArray(_ op: VectorMath.Arithmetic, _ value: Float, reversed: Bool) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: .float32)
    withUnsafePointer(to: value) { v in
      let x = UnsafePointer(base(Float.self))
      if reversed {
        VectorMath.arithmetic(
          op, v, strideA: 0, x, strideB: 1, out.base(Float.self), count: count)
      } else {
        VectorMath.arithmetic(
          op, x, strideA: 1, v, strideB: 0, out.base(Float.self), count: count)
      }
    }
    return out
  }

  /// The bool mask `a op b` for float32 operands broadcast to `shape` by a C loop, or `nil`
  /// when their layout has none.
  static func compareArrays(
    _ op: VectorMath.Comparison, _ a: Tensor, _ b: Tensor, shape: [Int]
  ) -> Tensor? {
    let count = Shape.count(shape)
    guard let (sa, sb) = arrayStrides(a, b, shape: shape, count: count) else { return nil }
    let out = Tensor(uninitializedShape: shape, dtype: .bool)
    VectorMath.compare(
      op, a.base(Float.self), strideA: sa, b.base(Float.self), strideB: sb,
      out.base(Bool.self), count: count)
    return out
  }

  /// Applies an operation's array form to a contiguous float32 tensor.
  func mapArray<Op: UnaryElementOp>(_: Op.Type) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: .float32)
    Op.floatArray(UnsafePointer(base(Float.self)), out.base(Float.self), count)
    return out
  }
}
