import Autograd
import AutogradTestSupport
import Testing

/// Runs the operation a fixture case names, on its inputs, with this library's API.
private func apply(_ c: FixtureCase, _ x: [String: Tensor]) -> Tensor {
  let a = x["a"]!
  let dim = c.attrs["dim"]?.int
  let keep = c.attrs["keepdim"]?.bool ?? false
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
  case "pow": return a.pow(c.attrs["exponent"]!.number!)
  case "clamp": return a.clamp(min: c.attrs["min"]?.number, max: c.attrs["max"]?.number)
  case "maximum": return maximum(a, x["b"]!)
  case "minimum": return minimum(a, x["b"]!)
  case "where": return Tensor.where(x["c"]!, a, x["b"]!)
  case "masked_fill": return a.maskedFill(x["m"]!, c.attrs["value"]!.number!)
  case "gt": return a .> x["b"]!
  case "sum": return dim.map { a.sum(dim: $0, keepDim: keep) } ?? a.sum()
  case "mean": return dim.map { a.mean(dim: $0, keepDim: keep) } ?? a.mean()
  case "var": return dim.map { a.var(dim: $0, keepDim: keep) } ?? a.var()
  case "std": return dim.map { a.std(dim: $0, keepDim: keep) } ?? a.std()
  case "max": return dim.map { a.max(dim: $0, keepDim: keep).values } ?? a.max()
  case "min": return dim.map { a.min(dim: $0, keepDim: keep).values } ?? a.min()
  case "argmax": return a.argmax(dim: dim!)
  case "norm": return dim.map { a.norm(dim: $0, keepDim: keep) } ?? a.norm()
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

@Test func fixtureManifestIsPresentAndCoversTheOperations() throws {
  let cases = try Fixtures.all()
  #expect(cases.filter { $0.op != nil }.count >= 60)
}

@Test(arguments: Fixtures.operationCases())
func matchesPyTorchForwardAndBackward(_ c: FixtureCase) throws {
  var inputs: [String: Tensor] = [:]
  for (name, file) in c.inputs {
    let t = try c.tensor(file)
    if c.grads[name] != nil { t.requiresGrad = true }
    inputs[name] = t
  }
  let out = apply(c, inputs)
  let expected = try c.tensor(c.output!)
  #expect(out.shape == expected.shape, "\(c.name): shape")
  #expect(out.dtype == expected.dtype, "\(c.name): dtype")
  #expect(
    maxError(out.toArray(), expected.toArray()) <= Tolerance.float64Reference,
    "\(c.name): forward")
  guard let upstreamFile = c.upstream, !c.grads.isEmpty else { return }
  let upstream = try c.tensor(upstreamFile)
  (out * upstream).sum().backward()
  for (name, file) in c.grads {
    let expectedGrad = try c.tensor(file)
    let grad = try #require(inputs[name]?.grad, "\(c.name): no gradient for \(name)")
    #expect(grad.shape == expectedGrad.shape, "\(c.name): grad \(name) shape")
    #expect(
      maxError(grad.toArray(), expectedGrad.toArray()) <= Tolerance.float64Reference,
      "\(c.name): grad \(name)")
  }
}
