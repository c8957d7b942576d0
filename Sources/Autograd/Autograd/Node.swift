/// A storage that backward reads, with its version when the operation was recorded.
///
/// A struct rather than a tuple: arrays of tuples need their type metadata built at run time
/// on every allocation, which showed in profiles of small training steps.
struct SavedVersion {
  let storage: Storage
  let version: Int
}

/// One recorded operation in the graph: the inputs it read and how to turn the gradient of
/// its output into gradients of those inputs.
///
/// Edges point one way only (output → node → inputs), so the graph holds no reference
/// cycles. Backward closures receive the output gradient as a parameter and capture only
/// detached data, never the output tensor itself.
final class Node {
  /// PyTorch-style name shown in descriptions and errors, e.g. `MatmulBackward`.
  let name: String
  /// The operation's inputs (all of them, so backward closures can read their values).
  var inputs: [Tensor]
  /// Maps the output gradient to one gradient per input (`nil` where none is needed).
  /// The engine reduces broadcast gradients to each input's shape afterwards.
  var backward: ((Tensor) -> [Tensor?])?
  /// Storages whose values backward reads, with their version at recording time.
  let saved: [SavedVersion]

  init(name: String, inputs: [Tensor], saved: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
    self.name = name
    self.inputs = inputs
    self.backward = backward
    self.saved = saved.map { SavedVersion(storage: $0.storage, version: $0.storage.version) }
  }

  /// Whether backward already ran and released this node.
  var isReleased: Bool { backward == nil }

  /// Drops the closure and the inputs after backward, freeing the saved data.
  func release() {
    backward = nil
    inputs = []
  }

  /// Tears down long chains without recursion: a 100,000-op chain released by ARC would
  /// otherwise nest one `deinit` per node and overflow the stack.
  deinit {
    var pending = inputs
    inputs = []
    while var tensor = pending.popLast() {
      guard isKnownUniquelyReferenced(&tensor), var node = tensor.gradFn else { continue }
      tensor.gradFn = nil
      if isKnownUniquelyReferenced(&node) {
        pending.append(contentsOf: node.inputs)
        node.inputs = []
      }
    }
  }
}

extension Tensor {
  /// Whether gradients must flow through this tensor.
  @inline(__always)
  var needsGrad: Bool { _requiresGrad }

  /// Wraps `result` as the output of a recorded operation when recording is on and any
  /// input requires grad. `saved` lists the inputs whose values backward reads.
  @inline(__always)
  func record(
    _ name: String, inputs: [Tensor], saved: [Tensor] = [],
    backward: @escaping (Tensor) -> [Tensor?]
  ) -> Tensor {
    var any = false
    for input in inputs where input._requiresGrad { any = true }
    guard any, GradMode.isEnabled else { return self }
    gradFn = Node(name: name, inputs: inputs, saved: saved, backward: backward)
    _requiresGrad = true
    return self
  }
}
