// The p-norm: a primitive (apart from p = 1, which is |x| summed) whose backward follows
// PyTorch's, including its choices where the norm is 0 or NaN.

extension Tensor {
  func norm(p: Double, over dims: Dims, keepDim: Bool, at location: SourceLocation)
    -> Tensor
  {
    guard p > 0 || p == -.infinity else {
      tensorError(
        "norm", "p must be positive, .infinity or -.infinity, got \(p)", at: location)
    }
    let x = dtype.isFloatingPoint ? self : to(.float32)
    if p == 1 { return x.abs().sum(over: dims, keepDim: keepDim) }
    let value = noGrad { () -> Tensor in
      if p.isInfinite {
        return x.abs().extreme(over: dims, keepDim: keepDim, largest: p > 0, at: location)
      }
      if p == 2 { return (x * x).sum(over: dims, keepDim: keepDim).sqrt() }
      return x.abs().pow(p).sum(over: dims, keepDim: keepDim).pow(1 / p)
    }
    let kept = Tensor.keptShape(shape, reducing: dims)
    let (xd, vd) = (x, value.detach())
    return value.record("NormBackward", input: x, saved: [x]) { g in
      [Tensor.normGradient(g.reshape(kept), xd, vd.reshape(kept), p: p, dims: dims)]
    }
  }

  /// The gradient of the p-norm `n` of `x` (p ≠ 1), `g` and `n` at the kept shape. Where
  /// `n` is 0 it is 0 (the subgradient PyTorch picks), not NaN.
  private static func normGradient(_ g: Tensor, _ x: Tensor, _ n: Tensor, p: Double, dims: Dims)
    -> Tensor
  {
    let zero = Tensor.zeros([], dtype: g.dtype)
    let isZero = n .== 0
    if p.isInfinite {
      // The elements whose |x| is the norm share the gradient, with x's sign; NaN elements
      // are counted too but have sign 0, as in PyTorch.
      let a = x.abs()
      let mask = (a .== n).logicalOr(a .!= a).to(g.dtype)
      return x.sign() * (g / mask.sum(over: dims, keepDim: true) * mask)
    }
    if p == 2 { return g * Tensor.where(isZero, zero, x / n) }
    if p < 1 {
      let scaled = x.sign() * Tensor.where(x .== 0, zero, x.abs().pow(p - 1))
      return scaled * g * n.pow(1 - p)
    }
    let scale = Tensor.where(isZero, zero, g / n.pow(p - 1))
    let scaled = p < 2 ? x.sign() * x.abs().pow(p - 1) : x * x.abs().pow(p - 2)
    return scaled * scale
  }
}
