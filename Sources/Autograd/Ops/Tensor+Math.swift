// Unary math primitives and their backward rules. Integer inputs are computed in float32.

extension Tensor {
  /// `e^x`, elementwise.
  public func exp() -> Tensor {
    let out = mapFloat(ExpOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let y = out.detach()
    return out.record("ExpBackward", input: self) { g in [g * y] }
  }

  /// Natural logarithm, elementwise (`-inf` at 0, NaN below).
  public func log() -> Tensor {
    let out = mapFloat(LogOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let x = self
    return out.record("LogBackward", input: self, saved: [self]) { g in
      [g / x]
    }
  }

  /// `log(1 + x)`, accurate for small `x`.
  public func log1p() -> Tensor {
    let out = mapFloat(Log1pOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let x = self
    return out.record("Log1pBackward", input: self, saved: [self]) { g in
      [g / (x + 1)]
    }
  }

  /// Square root, elementwise.
  public func sqrt() -> Tensor {
    let out = mapFloat(SqrtOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let y = out.detach()
    return out.record("SqrtBackward", input: self) { g in [g / (2 * y)] }
  }

  /// Absolute value; its gradient at 0 is 0, as in PyTorch.
  public func abs() -> Tensor {
    if dtype == .int64 { return maximum(neg()) }
    let x = self
    return mapFloat(AbsOp.self).record("AbsBackward", input: self, saved: [self]) { g in
      [g * x.sign()]
    }
  }

  /// -1, 0 or 1 by the sign of each element (not differentiable: no gradient flows).
  public func sign() -> Tensor {
    if !dtype.isFloatingPoint {
      return Tensor.sub(
        (self .> Tensor.zeros([])).to(.int64), (self .< Tensor.zeros([])).to(.int64), at: nil)
    }
    return mapFloat(SignOp.self)
  }

  /// Sine, elementwise.
  public func sin() -> Tensor {
    let x = self
    return mapFloat(SinOp.self).record("SinBackward", input: self, saved: [self]) { g in
      [g * x.cos()]
    }
  }

  /// Cosine, elementwise.
  public func cos() -> Tensor {
    let x = self
    return mapFloat(CosOp.self).record("CosBackward", input: self, saved: [self]) { g in
      [-g * x.sin()]
    }
  }

  /// Hyperbolic tangent, elementwise.
  public func tanh() -> Tensor {
    let out = mapFloat(TanhOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let y = out.detach()
    return out.record("TanhBackward", input: self) { g in [g * (1 - y * y)] }
  }

  /// `max(x, 0)`, elementwise. The gradient at exactly 0 is 0, as in PyTorch.
  public func relu() -> Tensor {
    // Integer tensors stay integer, as with PyTorch's relu (a clamp at 0).
    if !dtype.isFloatingPoint { return Tensor.binary(MaximumOp.self, self, scalarLike(0), at: nil) }
    let out = mapFloat(ReluOp.self)
    guard Tensor.isRecorded(self) else { return out }
    let y = out.detach()
    // The mask comes from the output: y > 0 exactly where x > 0.
    return out.record("ReluBackward", input: self) { g in [Tensor.reluGradient(g, y)] }
  }

  /// 0 where `y ≤ 0` and `g` elsewhere, in one pass, as PyTorch's threshold backward: 0
  /// even where `g` is NaN, and `g` where `y` is NaN (`NaN ≤ 0` is false).
  private static func reluGradient(_ g: Tensor, _ y: Tensor) -> Tensor {
    guard g.shape == y.shape, g.dtype == y.dtype else {
      return Tensor.where(y .<= 0, Tensor.zeros(like: g), g)
    }
    // y is the output of a floating-point relu, so g is float32 or float64.
    if g.dtype == .float32 {
      if g.isContiguous && y.isContiguous {
        let out = Tensor(uninitializedShape: g.shape, dtype: .float32)
        VectorMath.reluGradient(
          g.base(Float.self), y.base(Float.self), out.base(Float.self), count: g.count)
        return out
      }
      return zipElements(g, y, shape: g.shape, Float.self, to: Float.self) { $1 <= 0 ? 0 : $0 }
    }
    return zipElements(g, y, shape: g.shape, Double.self, to: Double.self) { $1 <= 0 ? 0 : $0 }
  }

  /// Limits every element to `[min, max]` (either bound may be omitted).
  ///
  /// The gradient passes where `min < x < max` and is 0 outside and exactly at a bound, as
  /// in PyTorch 2.15 (whose scalar clamp treats a bound as outside). An int64 tensor with
  /// whole-number bounds stays int64; other bounds give float32, as in PyTorch.
  public func clamp(
    min lower: Double? = nil, max upper: Double? = nil,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    if let lower, let upper, lower > upper {
      tensorError(
        "clamp", "min (\(lower)) is greater than max (\(upper))",
        at: SourceLocation(file: file, line: line))
    }
    let x = self
    let whole = [lower, upper].allSatisfy { $0.map { $0 == $0.rounded() } ?? true }
    var out = self.to(dtype.isFloatingPoint || whole ? dtype : .float32, recording: false)
    if let lower { out = Tensor.binary(MaximumOp.self, out, out.scalarLike(lower), at: nil) }
    if let upper { out = Tensor.binary(MinimumOp.self, out, out.scalarLike(upper), at: nil) }
    if out === self { out = copy() }
    return out.record("ClampBackward", input: self, saved: [self]) { g in
      var keep = Tensor.full(x.shape, 1, dtype: .bool)
      if let lower { keep = keep.logicalAnd(x .> lower) }
      if let upper { keep = keep.logicalAnd(x .< upper) }
      return [g * keep.to(g.dtype)]
    }
  }

  /// Limits every element to `[min, max]` elementwise, with tensor bounds that broadcast
  /// with `self` (PyTorch's `torch.clamp(x, min, max)`).
  ///
  /// Where `min > max` the result is `max`. Any NaN among the three gives NaN. The gradient
  /// follows PyTorch 2.15: it goes to whichever of `x`, `min`, `max` is the result, split
  /// evenly between `x` and a bound it equals (unless `min == max`, where `x` keeps it).
  public func clamp(
    min lower: Tensor, max upper: Tensor, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    let raised = Tensor.binary(MaximumOp.self, self, lower, at: location)
    let out = Tensor.binary(MinimumOp.self, raised, upper, at: location)
    let (x, lo, hi) = (self, lower, upper)
    let need = [_requiresGrad, lower._requiresGrad, upper._requiresGrad]
    return out.record("ClampBackward", inputs: [self, lower, upper], saved: [self, lower, upper]) {
      g in
      Tensor.clampGradients(g, x, lo, hi, need: need)
    }
  }

  /// Limits every element from below by a tensor: `maximum(self, min)`, gradient included
  /// (ties split evenly, as PyTorch's one-sided tensor clamp).
  public func clamp(min lower: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.maximum(self, lower, at: SourceLocation(file: file, line: line))
  }

  /// Limits every element from above by a tensor: `minimum(self, max)`.
  public func clamp(max upper: Tensor, file: StaticString = #fileID, line: UInt = #line) -> Tensor {
    Tensor.minimum(self, upper, at: SourceLocation(file: file, line: line))
  }

  /// The gradients of the two-sided tensor clamp for `x`, `lo` and `hi`, at the output's
  /// shape, as measured on PyTorch 2.15 (every combination of 0, 1, 2 and NaN):
  /// `x` receives `g` unless `x < lo`, `x > hi` or (`lo > hi` and `x` is a number); `lo`
  /// where `x < lo ≤ hi`; `hi` where `lo > hi` or `x > hi ≥ lo`; a tie of `x` with one
  /// bound when `lo < hi` splits `g` in halves.
  private static func clampGradients(
    _ g: Tensor, _ x: Tensor, _ lo: Tensor, _ hi: Tensor, need: [Bool]
  ) -> InputGrads {
    let f = g.dtype
    let below = x .< lo
    let above = x .> hi
    let crossed = lo .> hi
    let ordered = lo .<= hi
    let open = lo .< hi
    let tieLow = (x .== lo).logicalAnd(open).to(f)
    let tieHigh = (x .== hi).logicalAnd(open).to(f)
    var grads: [Tensor?] = [nil, nil, nil]
    if need[0] {
      let blocked = below.logicalOr(above).logicalOr(crossed.logicalAnd(x .== x))
      grads[0] = g * (1 - blocked.to(f)) * (1 - 0.5 * (tieLow + tieHigh))
    }
    if need[1] { grads[1] = g * (below.logicalAnd(ordered).to(f) + 0.5 * tieLow) }
    if need[2] {
      grads[2] = g * (crossed.logicalOr(above.logicalAnd(ordered)).to(f) + 0.5 * tieHigh)
    }
    return InputGrads(grads)
  }
}

/// `e^x`, elementwise.
public func exp(_ x: Tensor) -> Tensor { x.exp() }
/// Natural logarithm, elementwise.
public func log(_ x: Tensor) -> Tensor { x.log() }
/// Square root, elementwise.
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
/// `max(x, 0)`, elementwise.
public func relu(_ x: Tensor) -> Tensor { x.relu() }
/// Hyperbolic tangent, elementwise.
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
