// Unary math primitives and their backward rules. Integer inputs are computed in float32.

extension Tensor {
  /// `e^x`, elementwise.
  public func exp() -> Tensor {
    let out = mapFloat(ExpOp.self)
    let y = out.detach()
    return out.record("ExpBackward", inputs: [self]) { g in [g * y] }
  }

  /// Natural logarithm, elementwise (`-inf` at 0, NaN below).
  public func log() -> Tensor {
    let x = detach()
    return mapFloat(LogOp.self).record("LogBackward", inputs: [self], saved: [self]) { g in
      [g / x]
    }
  }

  /// `log(1 + x)`, accurate for small `x`.
  public func log1p() -> Tensor {
    let x = detach()
    return mapFloat(Log1pOp.self).record("Log1pBackward", inputs: [self], saved: [self]) { g in
      [g / (x + 1)]
    }
  }

  /// Square root, elementwise.
  public func sqrt() -> Tensor {
    let out = mapFloat(SqrtOp.self)
    let y = out.detach()
    return out.record("SqrtBackward", inputs: [self]) { g in [g / (2 * y)] }
  }

  /// Absolute value; its gradient at 0 is 0, as in PyTorch.
  public func abs() -> Tensor {
    if dtype == .int64 { return maximum(neg()) }
    let x = detach()
    return mapFloat(AbsOp.self).record("AbsBackward", inputs: [self], saved: [self]) { g in
      [g * x.sign()]
    }
  }

  /// -1, 0 or 1 by the sign of each element (not differentiable: no gradient flows).
  public func sign() -> Tensor {
    if !dtype.isFloatingPoint {
      return Tensor.sub(self .> Tensor.zeros([]), self .< Tensor.zeros([]), at: nil).to(.int64)
    }
    return mapFloat(SignOp.self)
  }

  /// Sine, elementwise.
  public func sin() -> Tensor {
    let x = detach()
    return mapFloat(SinOp.self).record("SinBackward", inputs: [self], saved: [self]) { g in
      [g * x.cos()]
    }
  }

  /// Cosine, elementwise.
  public func cos() -> Tensor {
    let x = detach()
    return mapFloat(CosOp.self).record("CosBackward", inputs: [self], saved: [self]) { g in
      [-g * x.sin()]
    }
  }

  /// Hyperbolic tangent, elementwise.
  public func tanh() -> Tensor {
    let out = mapFloat(TanhOp.self)
    let y = out.detach()
    return out.record("TanhBackward", inputs: [self]) { g in [g * (1 - y * y)] }
  }

  /// `max(x, 0)`, elementwise. The gradient at exactly 0 is 0, as in PyTorch.
  public func relu() -> Tensor {
    // Integer tensors stay integer, as with PyTorch's relu (a clamp at 0).
    if !dtype.isFloatingPoint { return Tensor.binary(MaximumOp.self, self, scalarLike(0), at: nil) }
    let out = mapFloat(ReluOp.self)
    let y = out.detach()
    // The mask comes from the output: y > 0 exactly where x > 0.
    return out.record("ReluBackward", inputs: [self]) { g in [Tensor.reluGradient(g, y)] }
  }

  /// `g` where `y > 0` and 0 elsewhere, in one pass (0 even where `g` is NaN, as PyTorch's
  /// threshold backward).
  private static func reluGradient(_ g: Tensor, _ y: Tensor) -> Tensor {
    guard g.shape == y.shape, g.dtype == y.dtype else {
      return Tensor.where(y .> 0, g, Tensor.zeros(like: g))
    }
    // y is the output of a floating-point relu, so g is float32 or float64.
    if g.dtype == .float32 {
      return zipElements(g, y, shape: g.shape, Float.self, to: Float.self) { $1 > 0 ? $0 : 0 }
    }
    return zipElements(g, y, shape: g.shape, Double.self, to: Double.self) { $1 > 0 ? $0 : 0 }
  }

  /// Limits every element to `[min, max]` (either bound may be omitted).
  ///
  /// The gradient passes where `min ≤ x ≤ max` and is 0 outside, as in PyTorch.
  public func clamp(
    min lower: Double? = nil, max upper: Double? = nil,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    if let lower, let upper, lower > upper {
      tensorError(
        "clamp", "min (\(lower)) is greater than max (\(upper))",
        at: SourceLocation(file: file, line: line))
    }
    let x = detach()
    var out = self.to(dtype.isFloatingPoint ? dtype : .float32, recording: false)
    if let lower { out = Tensor.binary(MaximumOp.self, out, scalarLike(lower), at: nil) }
    if let upper { out = Tensor.binary(MinimumOp.self, out, scalarLike(upper), at: nil) }
    if out === self { out = copy() }
    return out.record("ClampBackward", inputs: [self], saved: [self]) { g in
      var keep = Tensor.full(x.shape, 1, dtype: .bool)
      if let lower { keep = keep.logicalAnd(x .>= lower) }
      if let upper { keep = keep.logicalAnd(x .<= upper) }
      return [g * keep.to(g.dtype)]
    }
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
