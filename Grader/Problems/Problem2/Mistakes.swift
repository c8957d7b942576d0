import Autograd
import GradeProtocol

/// Typical mistakes of problem 2, each the reference with one function written wrong.
enum Mistakes {
  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant))
  }

  static func residual(_ x: Tensor, _ y: Tensor, _ w: Tensor, _ b: Tensor) -> Tensor {
    x.matmul(w) + b - y
  }

  static var all: [Mistake] {
    [
      mistake(
        "p2.no-penalty", "The λ‖w‖² penalty is missing from the loss.",
        Reference(lossBy: { x, y, w, b, _ in residual(x, y, w, b).pow(2).mean() })),
      mistake(
        "p2.bias-penalized", "The bias is penalized too: λ applies to w only, never to b.",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l * (w * w).sum() + l * (b * b).sum()
        })),
      mistake(
        "p2.sum-not-mean",
        "The squared residuals are summed; the data term is their mean, (1/N)‖Xw + b − y‖².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).sum() + l * (w * w).sum()
        })),
      mistake(
        "p2.half-penalty", "The penalty is (λ/2)‖w‖²; this problem's loss uses λ‖w‖².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l / 2 * (w * w).sum()
        })),
      mistake(
        "p2.half-mse", "The data term is halved (½·mean); this problem's loss has no ½.",
        Reference(lossBy: { x, y, w, b, l in
          0.5 * residual(x, y, w, b).pow(2).mean() + l * (w * w).sum()
        })),
      mistake(
        "p2.penalty-mean",
        "The penalty takes the mean of w² instead of the sum ‖w‖² = Σₖ wₖ².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l * (w * w).mean()
        })),
      mistake(
        "p2.update-ascent", "The update adds the gradient: gradient descent subtracts lr · grad.",
        Reference(updateBy: { ps, lr in
          noGrad { for p in ps { if let g = p.grad { p += lr * g } } }
          for p in ps { p.zeroGrad() }
        })),
      mistake(
        "p2.update-no-zero",
        "The gradients are not zeroed after the update, so they keep adding up over steps.",
        Reference(updateBy: { ps, lr in
          noGrad { for p in ps { if let g = p.grad { p -= lr * g } } }
        })),
      mistake(
        "p2.update-ignores-lr", "The update ignores the learning rate: p −= lr · p.grad.",
        Reference(updateBy: { ps, _ in
          noGrad { for p in ps { if let g = p.grad { p -= g } } }
          for p in ps { p.zeroGrad() }
        })),
      mistake(
        "p2.accumulation-not-divided",
        "Each micro-batch loss must be divided by the number of micro-batches before backward: "
          + "as written the update is that many times too large.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          var total = 0.0
          for m in micro {
            let loss = Problem2Reference.loss(m.x, m.y, w, b, l)
            loss.backward()
            total += loss.item() / Double(micro.count)
          }
          Problem2Reference.update([w, b], lr)
          return total
        })),
      mistake(
        "p2.update-per-micro-batch",
        "The update runs after every micro-batch; accumulation updates once, after the last "
          + "micro-batch's backward.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          var total = 0.0
          for m in micro {
            let loss = Problem2Reference.loss(m.x, m.y, w, b, l) / Double(micro.count)
            loss.backward()
            total += loss.item()
            Problem2Reference.update([w, b], lr)
          }
          return total
        })),
      mistake(
        "p2.drops-last-batch",
        "The last, shorter batch is dropped: every row must be in some batch each epoch.",
        Reference(batchesBy: { x, y, order, size in
          let n = order.shape[0]
          return stride(from: 0, to: n - size + 1, by: size).map { s in
            let rows = order[s..<(s + size)]
            return (x[rows], y[rows])
          }
        })),
      mistake(
        "p2.ignores-order",
        "The batches take rows 0, 1, 2, … in order; take them in the shuffled order `order` gives.",
        Reference(batchesBy: { x, y, order, size in
          let n = order.shape[0]
          return stride(from: 0, to: n, by: size).map { s in
            (x[s..<Swift.min(s + size, n)], y[s..<Swift.min(s + size, n)])
          }
        })),
    ]
  }
}

/// The reference's loss and update, for the mistakes that rewrite accumulation.
enum Problem2Reference {
  static func loss(_ x: Tensor, _ y: Tensor, _ w: Tensor, _ b: Tensor, _ l: Double) -> Tensor {
    Reference().ridgeLoss(x: x, y: y, w: w, b: b, lambda: l)
  }
  static func update(_ ps: [Tensor], _ lr: Double) { Reference().sgdUpdate(ps, learningRate: lr) }
}
