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
    guard let gradFn else { return }
    retainsGrad = true
    gradFn.retainedOutput = WeakTensor(self)
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

/// Nodes reachable from `root` through recorded operations, inputs before outputs.
/// The walk uses an explicit stack, so graph depth never touches the call stack.
private func topologicalOrder(from root: Node) -> [Node] {
  var order: [Node] = []
  struct Visit {
    let node: Node
    let expanded: Bool
  }
  var stack = [Visit(node: root, expanded: false)]
  while let visit = stack.popLast() {
    let node = visit.node
    if visit.expanded {
      order.append(node)
      continue
    }
    guard !node.backwardMark else { continue }
    node.backwardMark = true
    stack.append(Visit(node: node, expanded: true))
    for i in 0..<node.edges.count {
      if case .node(let input) = node.edges[i], !input.backwardMark {
        stack.append(Visit(node: input, expanded: false))
      }
    }
  }
  // Every marked node is in `order`, so the marks can all be cleared here.
  for node in order { node.backwardMark = false }
  return order
}

/// `g` summed back to `shape` and converted to `dtype`. Broadcasting happens forward in one
/// place (the kernels), so it is undone here in one place too.
private func reduced(_ g: Tensor, to shape: [Int], _ dtype: DType) -> Tensor {
  var g = g
  if g.shape != shape { g = g.sumTo(shape) }
  if g.dtype != dtype { g = g.to(dtype) }
  return g
}

private func runBackward(
  from root: Tensor, seed: Tensor, retainGraph: Bool, at location: SourceLocation
) {
  guard let rootNode = root.gradFn else {
    root.accumulateGrad(seed)
    return
  }
  let order = topologicalOrder(from: rootNode)
  rootNode.pendingGrad = seed
  for node in order.reversed() {
    guard let g = node.pendingGrad else { continue }
    node.pendingGrad = nil
    if let output = node.retainedOutput?.tensor, output.retainsGrad { output.accumulateGrad(g) }
    guard let backward = node.backward else {
      tensorError(
        "backward",
        "trying to backward through the graph a second time (through \(node.name)); "
          + "its saved values were freed by the first backward. Pass retainGraph: true to the "
          + "first call if you need to backward twice, or recompute the forward pass",
        at: location)
    }
    if let saved = node.saved.first(where: { $0.storage.version != $0.version }) {
      tensorError(
        "backward",
        "a tensor needed by \(node.name) was modified by an in-place operation after it was "
          + "used (version \(saved.version) → \(saved.storage.version)); update parameters "
          + "only after backward",
        at: location)
    }
    let inputGrads = backward(g)
    for i in 0..<Swift.min(node.edges.count, inputGrads.count) {
      guard let gi = inputGrads[i] else { continue }
      switch node.edges[i] {
      case .constant:
        continue
      case .leaf(let leaf):
        // A leaf whose requiresGrad was turned off since the operation gets nothing.
        guard leaf._requiresGrad else { continue }
        leaf.accumulateGrad(reduced(gi, to: leaf.shape, leaf.dtype))
      case .node(let input):
        let gi = reduced(gi, to: input.shape, input.dtype)
        input.pendingGrad = input.pendingGrad.map { $0 + gi } ?? gi
      }
    }
    if !retainGraph { node.release() }
  }
}
