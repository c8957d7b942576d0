// `x[mask]` with a bool mask of x's own shape: the selected elements in row-major order, in
// one pass. The general route turns the mask into index tensors and offsets first (for the
// strict upper triangle of a 4000 × 4000 matrix: 8M offsets and two 8M-element index
// tensors); this one reads the mask once forward and once backward.

extension Tensor {
  /// The elements where `mask` is true, as a 1-D tensor; backward puts the gradient back at
  /// those positions and zeros elsewhere. `mask` has exactly this tensor's shape.
  func maskedSelect(_ mask: Tensor) -> Tensor {
    // Copies (outside the graph) when not contiguous; the mask is copied anyway, so that
    // changing it later cannot change what backward scatters.
    let source = isContiguous ? detach() : copy()
    let keep = mask.copy()
    let flags = keep.base(Bool.self)
    let n = count
    var selected = 0
    for i in 0..<n where flags[i] { selected += 1 }
    let out = Tensor(uninitializedShape: [selected], dtype: dtype)
    func gather<T>(_: T.Type) {
      let x = source.base(T.self)
      let o = out.base(T.self)
      var j = 0
      for i in 0..<n where flags[i] {
        o[j] = x[i]
        j += 1
      }
    }
    withElementType { type in gather(type) }
    let inputShape = shape
    return out.record("IndexBackward", input: self) { g in
      let grad = Tensor.zeros(inputShape, dtype: g.dtype)
      func scatter<T: FloatElement>(_: T.Type) {
        let flags = keep.base(Bool.self)
        let gp = g.base(T.self)
        let step = g.strides[0]  // 0 when g is a broadcast scalar (the gradient of a mean)
        let o = grad.base(T.self)
        var j = 0
        for i in 0..<n where flags[i] {
          o[i] = gp[j * step]
          j += 1
        }
      }
      if g.dtype == .float32 { scatter(Float.self) } else { scatter(Double.self) }
      return [grad]
    }
  }
}
