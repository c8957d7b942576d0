import Autograd
import AutogradTestSupport
import Testing

/// Runs the operation a fixture case names, on its inputs, with this library's API.
private func apply(_ c: FixtureCase, _ x: [String: Tensor]) -> Tensor {
  let a = x["a"]!
  let dim = c.attrs["dim"]?.int
  let dims = c.attrs["dims"]?.ints
  let keep = c.attrs["keepdim"]?.bool ?? false
  let p = c.attrs["p"]?.number ?? 2
  switch c.op! {
  case "add": return a + x["b"]!
  case "sub": return a - x["b"]!
  case "mul": return a * x["b"]!
  case "div": return a / x["b"]!
  case "neg": return -a
  case "exp": return a.exp()
  case "log": return a.log()
  case "log1p": return a.log1p()
  case "sqrt": return a.sqrt()
  case "abs": return a.abs()
  case "sin": return a.sin()
  case "cos": return a.cos()
  case "tanh": return a.tanh()
  case "relu": return a.relu()
  case "sign": return a.sign()
  case "pow": return a.pow(c.attrs["exponent"]!.number!)
  case "pow_tensor": return a.pow(x["b"]!)
  case "clamp": return a.clamp(min: c.attrs["min"]?.number, max: c.attrs["max"]?.number)
  case "clamp_tensor": return clampTensor(a, lo: x["lo"], hi: x["hi"])
  case "maximum": return maximum(a, x["b"]!)
  case "minimum": return minimum(a, x["b"]!)
  case "where": return Tensor.where(x["c"]!, a, x["b"]!)
  case "masked_fill": return a.maskedFill(x["m"]!, c.attrs["value"]!.number!)
  case "gt": return a .> x["b"]!
  case "lt": return a .< x["b"]!
  case "ge": return a .>= x["b"]!
  case "le": return a .<= x["b"]!
  case "eq": return a .== x["b"]!
  case "ne": return a .!= x["b"]!
  case "sum":
    if let dims { return a.sum(dims: dims, keepDim: keep) }
    return dim.map { a.sum(dim: $0, keepDim: keep) } ?? a.sum()
  case "mean":
    if let dims { return a.mean(dims: dims, keepDim: keep) }
    return dim.map { a.mean(dim: $0, keepDim: keep) } ?? a.mean()
  case "var":
    if let dims { return a.var(dims: dims, keepDim: keep) }
    return dim.map { a.var(dim: $0, keepDim: keep) } ?? a.var()
  case "std":
    if let dims { return a.std(dims: dims, keepDim: keep) }
    return dim.map { a.std(dim: $0, keepDim: keep) } ?? a.std()
  case "amax": return a.amax(dims: dims!, keepDim: keep)
  case "amin": return a.amin(dims: dims!, keepDim: keep)
  case "max": return dim.map { a.max(dim: $0, keepDim: keep).values } ?? a.max()
  case "min": return dim.map { a.min(dim: $0, keepDim: keep).values } ?? a.min()
  case "argmax": return dim.map { a.argmax(dim: $0) } ?? a.argmax()
  case "argmin": return dim.map { a.argmin(dim: $0) } ?? a.argmin()
  case "norm":
    if let dims { return a.norm(p: p, dims: dims, keepDim: keep) }
    return dim.map { a.norm(p: p, dim: $0, keepDim: keep) } ?? a.norm(p: p)
  case "matmul":
    if c.attrs["transpose_a"]?.bool == true { return a.T.matmul(x["b"]!) }
    if c.attrs["transpose_b"]?.bool == true { return a.matmul(x["b"]!.T) }
    return a.matmul(x["b"] ?? a.T)
  case "transpose": return a.T
  case "reshape": return a.reshape(c.attrs["shape"]!.ints!)
  case "unsqueeze": return a.unsqueeze(dim!)
  case "squeeze": return a.squeeze(dim!)
  case "expand": return a.expand(c.attrs["shape"]!.ints!)
  case "permute": return a.permute(c.attrs["dims"]!.ints!)
  case "slice":
    let range = c.attrs["start"]!.int!..<c.attrs["end"]!.int!
    return dim == 0 ? a[range] : a[.all, range]
  case "advanced_index": return a[Tensor.arange(a.shape[0]), x["y"]!]
  case "gather": return a.gather(dim: dim!, index: x["y"]!.unsqueeze(1))
  case "cat": return Tensor.cat([a, x["b"]!], dim: dim!)
  case "stack": return Tensor.stack([a, x["b"]!], dim: dim!)
  case "triu": return a.triu(diagonal: c.attrs["diagonal"]!.int!)
  case "tril": return a.tril(diagonal: c.attrs["diagonal"]!.int!)
  default:
    Issue.record("no mapping for fixture op \(c.op!)")
    return a
  }
}

/// PyTorch's `torch.clamp(x, min, max)` with either tensor bound left out.
private func clampTensor(_ x: Tensor, lo: Tensor?, hi: Tensor?) -> Tensor {
  switch (lo, hi) {
  case (let lo?, let hi?): x.clamp(min: lo, max: hi)
  case (let lo?, nil): x.clamp(min: lo)
  case (nil, let hi?): x.clamp(max: hi)
  case (nil, nil): x
  }
}

/// The view a case asks for on a stored input (`attrs.views`, see the fixtures' README).
private func view(_ t: Tensor, _ spec: String?) -> Tensor {
  guard let spec else { return t }
  if spec == "T" { return t.T }
  if spec == "step2" { return t[TensorIndex.slice(start: nil, end: nil, step: 2)] }
  if spec.hasPrefix("expand:") {
    let sizes = spec.dropFirst("expand:".count).filter { "0123456789,".contains($0) }
    return t.expand(sizes.split(separator: ",").map { Int($0)! })
  }
  Issue.record("unknown view \(spec)")
  return t
}

/// The tolerance for a case: float32 when any of its tensors is float32 (PyTorch then
/// computes, and sums gradients, in float32 even for a float64 input), float64 otherwise.
private func tolerance(_ tensors: [Tensor]) -> Double {
  tensors.contains { $0.dtype == .float32 }
    ? Tolerance.float32Reference : Tolerance.float64Reference
}

@Test func fixtureManifestIsPresentAndCoversTheOperations() throws {
  let cases = try Fixtures.all()
  let ops = cases.filter { $0.op != nil }
  #expect(ops.count >= 280)
  // Every edge family the fixtures promise is present.
  for family in ["_grid", "_views", "_step2", "_f32_f64", "_nan", "_empty_dim", "_transposed"] {
    #expect(ops.contains { $0.name.contains(family) }, "no case of \(family)")
  }
}

@Test(arguments: Fixtures.operationCases())
func matchesPyTorchForwardAndBackward(_ c: FixtureCase) throws {
  var leaves: [String: Tensor] = [:]
  var inputs: [String: Tensor] = [:]
  let views = c.attrs["views"]
  for (name, file) in c.inputs {
    let t = try c.tensor(file)
    if c.grads[name] != nil { t.requiresGrad = true }
    leaves[name] = t
    inputs[name] = view(t, viewSpec(views, name))
  }
  let out = apply(c, inputs)
  let expected = try c.tensor(c.output!)
  #expect(out.shape == expected.shape, "\(c.name): shape")
  #expect(out.dtype == expected.dtype, "\(c.name): dtype \(out.dtype), PyTorch \(expected.dtype)")
  #expect(
    maxEdgeAwareError(out.toArray(), expected.toArray()) <= tolerance(Array(leaves.values) + [out]),
    "\(c.name): forward \(out.toArray()) against \(expected.toArray())")
  guard let upstreamFile = c.upstream, !c.grads.isEmpty else { return }
  let upstream = try c.tensor(upstreamFile)
  (out * upstream).sum().backward()
  for (name, file) in c.grads {
    let expectedGrad = try c.tensor(file)
    let grad = leaves[name]?.grad ?? Tensor.zeros(like: expectedGrad)
    #expect(grad.shape == expectedGrad.shape, "\(c.name): grad \(name) shape")
    #expect(grad.dtype == expectedGrad.dtype, "\(c.name): grad \(name) dtype")
    #expect(
      maxEdgeAwareError(grad.toArray(), expectedGrad.toArray())
        <= tolerance(Array(leaves.values) + [out]),
      "\(c.name): grad \(name) \(grad.toArray()) against \(expectedGrad.toArray())")
  }
}

/// The view named for input `name` in a case's `views` attribute.
private func viewSpec(_ views: JSONValue?, _ name: String) -> String? {
  guard case .object(let map)? = views else { return nil }
  return map[name]?.string
}
