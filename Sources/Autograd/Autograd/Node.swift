/// A storage that backward reads, with its version when the operation was recorded.
///
/// A struct rather than a tuple: arrays of tuples need their type metadata built at run time
/// on every allocation, which showed in profiles of small training steps.
struct SavedVersion {
  let storage: Storage
  let version: Int
}

/// Where the gradient of one input of a recorded operation goes.
///
/// An edge names the operation that made a non-leaf input, not the input tensor itself: the
/// graph keeps no intermediate result alive. Only what a backward closure captures (its
/// saved values) outlives the forward pass, as in PyTorch, so a result that backward never
/// reads (the N×N similarity matrix before a sum) is freed as soon as the caller drops it.
enum Edge {
  /// A leaf that required grad when the operation was recorded: its ``Tensor/grad``
  /// receives the gradient.
  case leaf(Tensor)
  /// A non-leaf: the node that made it receives the gradient.
  case node(Node)
  /// An input that did not require grad: nothing flows back.
  case constant

  init(_ input: Tensor) {
    if let node = input.gradFn {
      self = .node(node)
    } else {
      self = input._requiresGrad ? .leaf(input) : .constant
    }
  }

  /// Whether this edge leads to `tensor` (the leaf itself, or the node that made it).
  func leads(to tensor: Tensor) -> Bool {
    switch self {
    case .leaf(let leaf): return leaf === tensor
    case .node(let node): return node === tensor.gradFn
    case .constant: return false
    }
  }
}

/// A small list held inline: the first two elements in fields, any more in an array.
///
/// Most operations have one or two inputs and save at most two of them. Plain arrays of
/// edges cost an allocation each, and building them went through the runtime's generic
/// metadata lookup on every operation: together a fifth of a small step.
struct InlineList<Element> {
  private var first: Element?
  private var second: Element?
  private var more: [Element] = []
  /// The number of elements.
  private(set) var count = 0

  init() {}

  /// One or two elements, without an array.
  @inline(__always)
  init(_ first: Element, _ second: Element? = nil) {
    self.first = first
    self.second = second
    count = second == nil ? 1 : 2
  }

  @inline(__always)
  init(_ elements: [Element]) {
    for element in elements { append(element) }
  }

  @inline(__always)
  mutating func append(_ element: Element) {
    switch count {
    case 0: first = element
    case 1: second = element
    default: more.append(element)
    }
    count += 1
  }

  /// The element at `index`, which must be below ``count``.
  @inline(__always)
  subscript(index: Int) -> Element {
    switch index {
    case 0: return first!
    case 1: return second!
    default: return more[index - 2]
    }
  }

  /// The first element that satisfies `predicate`.
  func first(where predicate: (Element) -> Bool) -> Element? {
    for i in 0..<count where predicate(self[i]) { return self[i] }
    return nil
  }
}

/// What a backward rule returns: one gradient per input, `nil` where none is needed.
///
/// Written as an array literal (`[g, nil]`); held inline for up to two inputs, so a
/// backward step allocates no array per operation.
struct InputGrads: ExpressibleByArrayLiteral {
  private var grads: InlineList<Tensor?>

  @inline(__always)
  init(arrayLiteral grads: Tensor?...) { self.grads = InlineList(grads) }

  init(_ grads: [Tensor?]) { self.grads = InlineList(grads) }

  /// The number of gradients (one per input).
  var count: Int { grads.count }

  /// The gradient of input `index`.
  subscript(index: Int) -> Tensor? { grads[index] }
}

/// One recorded operation in the graph: where its inputs' gradients go and how to turn the
/// gradient of its output into gradients of those inputs.
///
/// Edges point one way only (output → node → inputs' nodes), so the graph holds no
/// reference cycles. Backward closures receive the output gradient as a parameter and
/// capture only what they read, never the output tensor itself.
final class Node {
  /// PyTorch-style name shown in descriptions and errors, e.g. `MatmulBackward`.
  let name: String
  /// One edge per input, in the order of the gradients backward returns.
  var edges: InlineList<Edge>
  /// Maps the output gradient to one gradient per input (`nil` where none is needed).
  /// The engine reduces broadcast gradients to each input's shape afterwards.
  var backward: ((Tensor) -> InputGrads)?
  /// Storages whose values backward reads, with their version at recording time.
  let saved: InlineList<SavedVersion>
  /// The output's shape and element type, which its gradient is reduced and converted to.
  let shape: [Int]
  let dtype: DType
  /// The output, when it called ``Tensor/retainGrad()``, held weakly so the graph does not
  /// keep it alive. Boxed: a weak field of its own cost every node a weak-reference setup
  /// and teardown.
  var retainedOutput: WeakTensor?
  /// Scratch of the backward engine, cleared outside `backward()`: whether the graph walk
  /// reached this node, and the gradient gathered for its output so far. Fields rather than
  /// a set and a dictionary keyed by identity: hashing showed in profiles of small steps.
  var backwardMark = false
  var pendingGrad: Tensor?

  @inline(__always)
  init(
    name: String, edges: InlineList<Edge>, saved: [Tensor], output: Tensor,
    backward: @escaping (Tensor) -> InputGrads
  ) {
    self.name = name
    self.edges = edges
    self.backward = backward
    var versions = InlineList<SavedVersion>()
    for tensor in saved {
      versions.append(SavedVersion(storage: tensor.storage, version: tensor.storage.version))
    }
    self.saved = versions
    self.shape = output.shape
    self.dtype = output.dtype
  }

  /// Whether backward already ran and released this node.
  var isReleased: Bool { backward == nil }

  /// Drops the closure and the edges after backward, freeing the saved data.
  func release() {
    backward = nil
    edges = InlineList()
  }

  /// Tears down long chains without recursion: a 100,000-op chain released by ARC would
  /// otherwise nest one `deinit` per node and overflow the stack.
  deinit {
    var pending: [Node] = []
    for i in 0..<edges.count {
      if case .node(let node) = edges[i] { pending.append(node) }
    }
    guard !pending.isEmpty else { return }
    edges = InlineList()
    while var node = pending.popLast() {
      guard isKnownUniquelyReferenced(&node) else { continue }
      for i in 0..<node.edges.count {
        if case .node(let next) = node.edges[i] { pending.append(next) }
      }
      node.edges = InlineList()
    }
  }
}

/// A weak reference to a tensor (a non-leaf that keeps its gradient).
final class WeakTensor {
  weak var tensor: Tensor?

  init(_ tensor: Tensor) { self.tensor = tensor }
}

extension Tensor {
  /// Whether gradients must flow through this tensor.
  @inline(__always)
  var needsGrad: Bool { _requiresGrad }

  /// Whether an operation on `a` (and `b`) is recorded: an input requires grad and recording
  /// is on. Operations whose backward captures values (which costs the closure a context
  /// allocation where it is formed) or needs a detached output check this before forming
  /// it, so that unrecorded results (updates, backward passes) do not pay for them.
  @inline(__always)
  static func isRecorded(_ a: Tensor, _ b: Tensor? = nil) -> Bool {
    (a._requiresGrad || b?._requiresGrad == true) && GradMode.isEnabled
  }

  /// Wraps `result` as the output of a recorded operation when recording is on and any
  /// input requires grad. `saved` lists the inputs whose values backward reads.
  @inline(__always)
  func record(
    _ name: String, inputs: [Tensor], saved: [Tensor] = [],
    backward: @escaping (Tensor) -> InputGrads
  ) -> Tensor {
    var any = false
    for input in inputs where input._requiresGrad { any = true }
    guard any, GradMode.isEnabled else { return self }
    var edges = InlineList<Edge>()
    for input in inputs { edges.append(Edge(input)) }
    return attach(name, edges, saved, backward)
  }

  /// ``record(_:inputs:saved:backward:)`` for an operation of one input, without an array.
  @inline(__always)
  func record(
    _ name: String, input: Tensor, saved: [Tensor] = [],
    backward: @escaping (Tensor) -> InputGrads
  ) -> Tensor {
    guard input._requiresGrad, GradMode.isEnabled else { return self }
    return attach(name, InlineList(Edge(input)), saved, backward)
  }

  /// ``record(_:inputs:saved:backward:)`` for an operation of two inputs, without an array.
  @inline(__always)
  func record(
    _ name: String, inputs a: Tensor, _ b: Tensor, saved: [Tensor] = [],
    backward: @escaping (Tensor) -> InputGrads
  ) -> Tensor {
    guard a._requiresGrad || b._requiresGrad, GradMode.isEnabled else { return self }
    return attach(name, InlineList(Edge(a), Edge(b)), saved, backward)
  }

  @inline(__always)
  private func attach(
    _ name: String, _ edges: InlineList<Edge>, _ saved: [Tensor],
    _ backward: @escaping (Tensor) -> InputGrads
  ) -> Tensor {
    gradFn = Node(name: name, edges: edges, saved: saved, output: self, backward: backward)
    _requiresGrad = true
    return self
  }
}
