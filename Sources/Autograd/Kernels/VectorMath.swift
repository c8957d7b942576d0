// Float32 exp, log and log1p on eight lanes at once. libm's scalar functions were nearly half
// of a full-batch logistic-regression step (the stable BCE evaluates exp and log1p on both
// sides of its `where` for every element). These keep within 1.5 ulp of the exact value on
// every float (checked against Float64 in VectorMathTests), with C's special values.

/// Float32 `exp`, `log` and `log1p` on eight lanes at once, for contiguous float32 passes.
enum VectorMath {
  typealias Lanes = SIMD8<Float>
  typealias Bits = SIMD8<Int32>

  @inline(__always) static func bits(_ x: Lanes) -> Bits { unsafeBitCast(x, to: Bits.self) }
  @inline(__always) static func float(_ b: Bits) -> Lanes { unsafeBitCast(b, to: Lanes.self) }

  /// eˣ within 2 ulp on every float (Cephes' polynomial on [−ln2/2, ln2/2], an exact
  /// two-part ln 2, and the scale 2ⁿ applied in two halves so results that are subnormal are
  /// rounded once).
  @inline(__always)
  static func exp(_ x: Lanes) -> Lanes {
    // Masks rather than `clamped`, which the compiler left as calls per lane.
    var clamped = x.replacing(with: -104, where: x .< -104)
    clamped.replace(with: 89, where: clamped .> 89)
    // Adding 1.5·2²³ rounds to the nearest integer and leaves it in the low mantissa bits.
    let shifter = Lanes(repeating: 0x1.8p23)
    let k = clamped * Lanes(repeating: 1.44269504088896341) + shifter
    let n = k - shifter
    let r = clamped - n * 0.693359375 - n * -2.12194440e-4
    var p = Lanes(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * (r * r) + r + 1
    let ni = bits(k) &- bits(shifter)
    let half = ni &>> 1
    let scale1 = float((half &+ 127) &<< 23)
    let scale2 = float((ni &- half &+ 127) &<< 23)
    var result = y * scale1 * scale2
    result.replace(with: x, where: x .!= x)
    return result
  }

  /// ln x for x > 0 normal or subnormal, with the special values of C's `logf`.
  @inline(__always)
  static func log(_ x: Lanes) -> Lanes {
    // Subnormals are scaled into the normal range first (×2²³, exponent −23).
    let tiny = x .< Lanes(repeating: 0x1p-126)
    let scaled = x.replacing(with: x * 0x1p23, where: tiny)
    let b = bits(scaled)
    let exponent: Bits = ((b &>> 23) & 0xff) &- 126
    var e = Lanes(exponent)
    e.replace(with: e - 23, where: tiny)
    // m in [0.5, 1); below √½ it is doubled (and e lowered) so m − 1 lies in [−0.29, 0.41].
    var m = float((b & Bits(repeating: Int32(bitPattern: 0x807f_ffff))) | 0x3f00_0000)
    let low = m .< Lanes(repeating: 0.707106781186547524)
    e.replace(with: e - 1, where: low)
    m = m.replacing(with: m + m, where: low) - 1
    let z = m * m
    var p = Lanes(repeating: 7.0376836292e-2)
    p = p * m - 1.1514610310e-1
    p = p * m + 1.1676998740e-1
    p = p * m - 1.2420140846e-1
    p = p * m + 1.4249322787e-1
    p = p * m - 1.6668057665e-1
    p = p * m + 2.0000714765e-1
    p = p * m - 2.4999993993e-1
    p = p * m + 3.3333331174e-1
    var y = p * m * z
    y += e * -2.12194440e-4
    y += z * -0.5
    var result = m + y + e * 0.693359375
    result.replace(with: Lanes(repeating: -.infinity), where: x .== 0)
    result.replace(with: x, where: x .== Lanes(repeating: .infinity))
    result.replace(with: Lanes(repeating: .nan), where: (x .< 0) .| (x .!= x))
    return result
  }

  /// ln(1 + x): the logarithm of u = 1 + x, corrected by (x − (u − 1)) / u for the rounding
  /// of u, which keeps full relative accuracy for small x.
  @inline(__always)
  static func log1p(_ x: Lanes) -> Lanes {
    let u = x + 1
    var result = log(u) + (x - (u - 1)) / u
    // Where u rounds to 1 the correction alone is x (and exact); keep infinities and NaN.
    result.replace(with: x, where: u .== 1)
    result.replace(with: x, where: x .== Lanes(repeating: .infinity))
    result.replace(with: Lanes(repeating: -.infinity), where: x .== -1)
    result.replace(with: Lanes(repeating: .nan), where: (x .< -1) .| (x .!= x))
    return result
  }
}

extension Tensor {
  /// Applies an operation's eight-lane float32 form to a contiguous float32 tensor.
  func mapLanes<Op: UnaryElementOp>(_: Op.Type) -> Tensor {
    let out = Tensor(uninitializedShape: shape, dtype: .float32)
    let source = UnsafeRawPointer(base(Float.self))
    let destination = UnsafeMutableRawPointer(out.base(Float.self))
    let n = count
    let width = VectorMath.Lanes.scalarCount
    let stride = MemoryLayout<Float>.stride
    var i = 0
    while i + width <= n {
      let x = source.loadUnaligned(fromByteOffset: i * stride, as: VectorMath.Lanes.self)
      destination.storeBytes(of: Op.lanes(x), toByteOffset: i * stride, as: VectorMath.Lanes.self)
      i += width
    }
    if i < n {
      // The tail, padded with ones (a value every function takes without a special case).
      var x = VectorMath.Lanes(repeating: 1)
      for j in 0..<(n - i) { x[j] = source.load(fromByteOffset: (i + j) * stride, as: Float.self) }
      let y = Op.lanes(x)
      for j in 0..<(n - i) {
        destination.storeBytes(of: y[j], toByteOffset: (i + j) * stride, as: Float.self)
      }
    }
    return out
  }
}
