// The backward engine: sort the graph, run each node's backward once, reduce broadcast
// gradients to their operands' shapes, accumulate into leaves, release the graph.

extension Tensor {
  /// Computes the gradient of this tensor with respect to every leaf that requires grad,
  /// adding it to their ``grad``.
  ///
  /// - Parameters:
  ///   - gradient: The gradient of some scalar with respect to this tensor. May be omitted
  ///     only when this tensor has exactly one element (a loss).
  ///   - retainGraph: Keep the graph so that `backward` can run through it again. By default
  ///     the graph is freed, and a second call through it is an error.
  public func backward(
    _ gradient: Tensor? = nil, retainGraph: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    let location = SourceLocation(file: file, line: line)
    guard _requiresGrad else {
      tensorError(
        "backward",
        "this tensor does not require grad and has no gradFn: nothing it was computed from "
          + "requires grad (create parameters with requiresGrad: true, and do not compute the "
          + "loss inside noGrad)", at: location)
    }
    let seed: Tensor
    if let gradient {
      guard gradient.shape == shape else {
        tensorError(
          "backward",
          "gradient has shape \(describe(gradient.shape)) but the tensor has shape "
            + "\(describe(shape))", at: location)
      }
      seed = gradient.to(dtype)
    } else {
      guard count == 1 else {
        tensorError(
          "backward",
          "grad can be implicitly created only for scalar outputs; this tensor has shape "
            + "\(describe(shape)); reduce it first (e.g. .sum() or .mean()) or pass a gradient",
          at: location)
      }
      seed = Tensor.full(shape, 1, dtype: dtype)
    }
    noGrad { runBackward(from: self, seed: seed, retainGraph: retainGraph, at: location) }
  }

  /// Keeps the gradient of this non-leaf tensor in ``grad`` during `backward()`.
  public func retainGrad() {
    if gradFn != nil { retainsGrad = true }
  }

  /// Adds `g` to the stored gradient, owning the storage so later in-place zeroing of one
  /// gradient never touches another tensor.
  fileprivate func accumulateGrad(_ g: Tensor) {
    if let existing = grad {
      existing.addInPlace(g)
    } else {
      grad = g.copy()
    }
  }
}

/// Tensors reachable from `root` through recorded operations, inputs before outputs.
/// The walk uses an explicit stack, so graph depth never touches the call stack.
private func topologicalOrder(from root: Tensor) -> [Tensor] {
  var order: [Tensor] = []
  struct Visit {
    let tensor: Tensor
    let expanded: Bool
  }
  var stack = [Visit(tensor: root, expanded: false)]
  while let visit = stack.popLast() {
    let tensor = visit.tensor
    if visit.expanded {
      order.append(tensor)
      continue
    }
    guard !tensor.backwardMark else { continue }
    tensor.backwardMark = true
    stack.append(Visit(tensor: tensor, expanded: true))
    for input in tensor.gradFn?.inputs ?? [] where input._requiresGrad && !input.backwardMark {
      stack.append(Visit(tensor: input, expanded: false))
    }
  }
  // Every marked tensor is in `order`, so the marks can all be cleared here.
  for tensor in order { tensor.backwardMark = false }
  return order
}

private func runBackward(
  from root: Tensor, seed: Tensor, retainGraph: Bool, at location: SourceLocation
) {
  let order = topologicalOrder(from: root)
  root.pendingGrad = seed
  for tensor in order.reversed() {
    guard let g = tensor.pendingGrad else { continue }
    tensor.pendingGrad = nil
    guard let node = tensor.gradFn else {
      tensor.accumulateGrad(g)
      continue
    }
    if tensor.retainsGrad { tensor.accumulateGrad(g) }
    guard let backward = node.backward else {
      tensorError(
        "backward",
        "trying to backward through the graph a second time (through \(node.name)); "
          + "its saved values were freed by the first backward. Pass retainGraph: true to the "
          + "first call if you need to backward twice, or recompute the forward pass",
        at: location)
    }
    for saved in node.saved where saved.storage.version != saved.version {
      tensorError(
        "backward",
        "a tensor needed by \(node.name) was modified by an in-place operation after it was "
          + "used (version \(saved.version) → \(saved.storage.version)); update parameters "
          + "only after backward",
        at: location)
    }
    let inputGrads = backward(g)
    for (input, inputGrad) in zip(node.inputs, inputGrads) {
      guard input._requiresGrad, var gi = inputGrad else { continue }
      // Broadcasting happens forward in one place (the kernels), so it is undone here in
      // one place too: sum the gradient back to the shape of the operand.
      if gi.shape != input.shape { gi = gi.sumTo(input.shape) }
      if gi.dtype != input.dtype { gi = gi.to(input.dtype) }
      if let existing = input.pendingGrad {
        input.pendingGrad = existing + gi
      } else {
        input.pendingGrad = gi
      }
    }
    if !retainGraph { node.release() }
  }
}
