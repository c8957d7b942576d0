import Autograd

/// Per-epoch figures every problem logs, as the spec's general tips ask: the loss, the
/// global norm of the gradients and the global norm of the parameters.
public struct TrainingLog: Sendable {
  /// The loss of each epoch (the mean over its steps).
  public var loss: [Double] = []
  /// The global gradient norm at the last step of each epoch, before the update.
  public var gradientNorm: [Double] = []
  /// The global parameter norm at the end of each epoch.
  public var weightNorm: [Double] = []

  /// Whether ``record(epochLoss:parameters:objective:)`` records anything. A disabled log
  /// stays empty and costs nothing, for benchmarks that time the training alone.
  public let isEnabled: Bool

  /// An empty log, recording when `enabled`.
  public init(enabled: Bool = true) { isEnabled = enabled }

  /// Records one epoch: its mean loss, the weight norm of `parameters`, and the norm of the
  /// gradient of `objective` (typically the loss on the whole training set) at the current
  /// parameters. The gradient is computed apart from training and cleared afterwards.
  public mutating func record(
    epochLoss: Double, parameters: [Tensor], objective: () -> Tensor
  ) {
    guard isEnabled else { return }
    loss.append(epochLoss)
    let saved = parameters.map(\.grad)
    for p in parameters { p.grad = nil }
    objective().backward()
    gradientNorm.append(globalNorm(parameters.compactMap(\.grad)))
    for (p, g) in zip(parameters, saved) { p.grad = g }
    weightNorm.append(globalNorm(parameters))
  }
}

/// √(Σ‖tᵢ‖²) over several tensors, as a number (outside the graph).
public func globalNorm(_ tensors: [Tensor]) -> Double {
  noGrad {
    tensors.reduce(0.0) { total, t in
      let n = t.to(.float64).norm().item()
      return total + n * n
    }.squareRoot()
  }
}
