import Autograd
import GradeProtocol

/// Typical mistakes of problem 5, each the reference with one function written wrong.
enum Mistakes {
  /// A mistake: the function-level cases built on `variant` (the training cases are left out:
  /// each would train again, and the mistake already shows in its function's case).
  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant).filter { !Cases.training.contains($0.id) })
  }

  static func mse(_ p: Tensor, _ y: Tensor) -> Tensor { Reference().meanSquaredError(p, y) }
  static func squares(_ t: Tensor) -> Tensor { (t * t).sum() }

  /// The loss with another penalty.
  static func loss(_ penalty: @escaping (Network) -> Tensor) -> Reference {
    Reference(lossBy: { n, x, y, decay in
      mse(Reference().forward(n, x), y) + decay * penalty(n)
    })
  }

  /// Clipping by `scale(total, maxNorm, g)`: each gradient multiplied by the factor it gives
  /// (nil: unchanged), returning `reported(total)`.
  static func clip(
    norm: @escaping ([Tensor]) -> Double = globalNorm,
    scale: @escaping (Double, Double, Tensor) -> Double?,
    reported: @escaping (Double, Double) -> Double = { total, _ in total }
  ) -> Reference {
    Reference(clipBy: { parameters, maxNorm in
      let grads = parameters.compactMap(\.grad)
      let total = norm(grads)
      noGrad {
        for g in grads {
          if let factor = scale(total, maxNorm, g) { g *= factor }
        }
      }
      return reported(total, maxNorm)
    })
  }

  static func globalNorm(_ grads: [Tensor]) -> Double {
    noGrad { grads.reduce(0.0) { $0 + squares($1).item() }.squareRoot() }
  }

  /// A training step with the given order and coverage.
  static func step(clipAfterUpdate: Bool = false, biases: Bool = true, zero: Bool = true)
    -> Reference
  {
    Reference(stepBy: { n, x, y, lr, decay, clip in
      let r = Reference()
      let loss = r.regularizedLoss(n, x: x, y: y, weightDecay: decay)
      loss.backward()
      var norm = globalNorm(n.all.compactMap(\.grad))
      if let clip, !clipAfterUpdate { norm = r.clipGradNorm(n.all, maxNorm: clip) }
      noGrad {
        for p in biases ? n.all : [n.w1, n.w2] { p -= lr * p.grad! }
      }
      if let clip, clipAfterUpdate { norm = r.clipGradNorm(n.all, maxNorm: clip) }
      if zero { for p in n.all { p.zeroGrad() } }
      return (loss.item(), norm)
    })
  }

  static var all: [Mistake] {
    [
      mistake(
        "p5.forward-no-relu",
        "The forward pass has no ReLU: ŷ = relu(X·W1 + b1)·W2 + b2.",
        Reference(forwardBy: { n, x in (x.matmul(n.w1) + n.b1).matmul(n.w2) + n.b2 })),
      mistake(
        "p5.forward-relu-output",
        "ReLU is applied to the output too: only the hidden layer has it, so ŷ can be negative.",
        Reference(forwardBy: { n, x in ((x.matmul(n.w1) + n.b1).relu().matmul(n.w2) + n.b2).relu() }
        )),
      mistake(
        "p5.forward-no-b1",
        "The hidden layer's bias b1 is missing: the hidden layer is relu(X·W1 + b1).",
        Reference(forwardBy: { n, x in x.matmul(n.w1).relu().matmul(n.w2) + n.b2 })),
      mistake(
        "p5.forward-relu-after-b2",
        "The ReLU is taken after the second product: ŷ = relu(X·W1 + b1)·W2 + b2.",
        Reference(forwardBy: { n, x in (x.matmul(n.w1) + n.b1).matmul(n.w2).relu() + n.b2 })),
      mistake(
        "p5.mse-sum", "The MSE sums the squared errors; it is their mean.",
        Reference(mseBy: { p, y in ((p - y) * (p - y)).sum() })),
      mistake(
        "p5.mse-half", "The MSE is halved (½·mean); this problem's MSE has no ½.",
        Reference(mseBy: { p, y in 0.5 * ((p - y) * (p - y)).mean() })),
      mistake(
        "p5.mse-abs", "The errors are not squared: MSE = mean((prediction − target)²).",
        Reference(mseBy: { p, y in (p - y).abs().mean() })),
      mistake(
        "p5.mse-root", "This is the root of the MSE: the loss is mean((prediction − target)²).",
        Reference(mseBy: { p, y in ((p - y) * (p - y)).mean().sqrt() })),
      mistake(
        "p5.decay-on-biases",
        "The biases are penalized too: weight decay covers W1 and W2 only.",
        loss { n in squares(n.w1) + squares(n.b1) + squares(n.w2) + squares(n.b2) }),
      mistake(
        "p5.decay-missing", "The weight-decay term λ(‖W1‖² + ‖W2‖²) is missing from the loss.",
        loss { n in 0 * n.w1.sum() }),
      mistake(
        "p5.decay-half",
        "The penalty is (λ/2)(‖W1‖² + ‖W2‖²); this problem's uses λ(‖W1‖² + ‖W2‖²).",
        loss { n in 0.5 * (squares(n.w1) + squares(n.w2)) }),
      mistake(
        "p5.decay-w1-only", "Only W1 is penalized: weight decay covers W1 and W2.",
        loss { n in squares(n.w1) }),
      mistake(
        "p5.decay-mean",
        "The penalty takes the mean of the squared weights; ‖W‖² is their sum.",
        loss { n in (n.w1 * n.w1).mean() + (n.w2 * n.w2).mean() }),
      mistake(
        "p5.clip-per-tensor",
        "Each tensor was clipped on its own: clip by the global norm √(Σᵢ‖gᵢ‖²) over all "
          + "parameters, and scale every gradient by the same factor.",
        clip { _, maxNorm, g in
          let n = noGrad { g.norm().item() }
          return n > maxNorm ? maxNorm / (n + 1e-6) : nil
        }),
      mistake(
        "p5.clip-never",
        "The gradients are never scaled: when the global norm exceeds maxNorm, "
          + "multiply every gradient by maxNorm / (total + 1e-6).",
        clip { _, _, _ in nil }),
      mistake(
        "p5.clip-always",
        "The gradients are scaled even when their norm is below maxNorm (scaled up): clip only "
          + "when total > maxNorm.",
        clip { total, maxNorm, _ in maxNorm / (total + 1e-6) }),
      mistake(
        "p5.clip-sum-of-norms",
        "The global norm is the sum of the tensors' norms; it is √(Σᵢ‖gᵢ‖²).",
        clip(
          norm: { grads in noGrad { grads.reduce(0.0) { $0 + $1.norm().item() } } },
          scale: { total, maxNorm, _ in total > maxNorm ? maxNorm / (total + 1e-6) : nil })),
      mistake(
        "p5.clip-by-value",
        "Each element is clamped to ±maxNorm (clipping by value); clip by the global norm, "
          + "scaling every gradient by maxNorm / (total + 1e-6).",
        Reference(clipBy: { parameters, maxNorm in
          let total = globalNorm(parameters.compactMap(\.grad))
          for p in parameters {
            if let g = p.grad { p.grad = noGrad { g.clamp(min: -maxNorm, max: maxNorm) } }
          }
          return total
        })),
      mistake(
        "p5.clip-norm-after",
        "The returned norm is measured after clipping: return it before clipping.",
        clip(
          scale: { total, maxNorm, _ in total > maxNorm ? maxNorm / (total + 1e-6) : nil },
          reported: { total, maxNorm in total > maxNorm ? maxNorm / (total + 1e-6) * total : total }
        )),
      mistake(
        "p5.step-no-zero",
        "The gradients are not zeroed after the update, so the next step adds to them.",
        step(zero: false)),
      mistake(
        "p5.step-clip-after-update",
        "The gradients are clipped after the update, which then used them unclipped: clip "
          + "between backward and the update.",
        step(clipAfterUpdate: true)),
      mistake(
        "p5.step-biases-frozen", "The biases are never updated: update b1 and b2 as well.",
        step(biases: false)),
    ]
  }
}
