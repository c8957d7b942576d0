import Autograd
import GradeProtocol

/// Typical mistakes of problem 2, each the reference with one function written wrong.
enum Mistakes {
  /// Cases the mistakes are not run on: the training case would cost seconds per mistake, and every
  /// mistake already shows in a function's own case.
  static let expensive: Set<String> = ["p2.training"]

  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant).filter { !expensive.contains($0.id) })
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
        "p2.penalty-not-squared",
        "The penalty is λ‖w‖ (the norm itself); ridge uses the squared norm λ‖w‖² = λ·Σₖ wₖ².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l * w.norm()
        })),
      mistake(
        "p2.broadcast-residual",
        "The prediction has shape [N] (squeezed) while y is [N, 1], so prediction − y "
          + "broadcasts to an [N, N] matrix of every pair: keep the prediction [N, 1].",
        Reference(lossBy: { x, y, w, b, l in
          ((x.matmul(w) + b).squeeze(1) - y).pow(2).mean() + l * (w * w).sum()
        })),
      mistake(
        "p2.l1-penalty",
        "The penalty is λΣ|wₖ| (L1, lasso); ridge uses λ‖w‖² = λ·Σₖ wₖ².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l * w.abs().sum()
        })),
      mistake(
        "p2.penalty-over-n",
        "The penalty is divided by N as well; only the data term is a mean: "
          + "(1/N)‖Xw + b − y‖² + λ‖w‖².",
        Reference(lossBy: { x, y, w, b, l in
          residual(x, y, w, b).pow(2).mean() + l * (w * w).sum() / Double(x.shape[0])
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
        "p2.bias-not-updated",
        "Only the first parameter (w) moves; every parameter passed in, the bias too, gets "
          + "p −= lr · p.grad.",
        Reference(updateBy: { ps, lr in
          noGrad { for p in ps.prefix(1) { if let g = p.grad { p -= lr * g } } }
          for p in ps { p.zeroGrad() }
        })),
      mistake(
        "p2.zeroed-before-update",
        "The gradients are zeroed before they are used, so the parameters do not move: update "
          + "first, then zero.",
        Reference(updateBy: { ps, _ in
          for p in ps { p.zeroGrad() }
        })),
      mistake(
        "p2.zeroed-between-micro-batches",
        "The gradients are zeroed before each micro-batch's backward, so only the last "
          + "micro-batch counts: zero only after the one update.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          Reference().accumulate(
            micro, w: w, b: b, lambda: l, learningRate: lr, zeroingEach: true)
        })),
      mistake(
        "p2.divided-by-rows",
        "Each micro-batch loss is divided by its number of rows; the loss is already a mean "
          + "over rows: divide by the number of micro-batches instead.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          Reference().accumulate(
            micro, w: w, b: b, lambda: l, learningRate: lr, divisor: { Double($0.rows) },
            reported: { Double($0.rows) })
        })),
      mistake(
        "p2.accumulation-not-divided",
        "Each micro-batch loss must be divided by the number of micro-batches before backward: "
          + "as written the update is that many times too large.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          Reference().accumulate(
            micro, w: w, b: b, lambda: l, learningRate: lr, divisor: { _ in 1 })
        })),
      // The same mistake with the returned loss left unscaled too: the sum of the K losses.
      mistake(
        "p2.accumulation-not-divided",
        "Each micro-batch loss must be divided by the number of micro-batches before backward: "
          + "as written the update is that many times too large.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          Reference().accumulate(
            micro, w: w, b: b, lambda: l, learningRate: lr, divisor: { _ in 1 },
            reported: { _ in 1 })
        })),
      mistake(
        "p2.update-per-micro-batch",
        "The update runs after every micro-batch; accumulation updates once, after the last "
          + "micro-batch's backward.",
        Reference(accumulateBy: { micro, w, b, l, lr in
          Reference().accumulate(
            micro, w: w, b: b, lambda: l, learningRate: lr, updatingEach: true)
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
      mistake(
        "p2.targets-not-shuffled",
        "The inputs follow `order` but the targets are taken 0, 1, 2, …, so x and y rows no "
          + "longer match: index both with the same rows.",
        Reference(batchesBy: { x, y, order, size in
          let n = order.shape[0]
          return stride(from: 0, to: n, by: size).map { s in
            (x[order[s..<Swift.min(s + size, n)]], y[s..<Swift.min(s + size, n)])
          }
        })),
    ]
  }
}
