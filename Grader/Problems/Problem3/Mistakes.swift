import Autograd
import GradeProtocol

/// Typical mistakes of problem 3, each the reference with one function written wrong.
enum Mistakes {
  /// A mistake: the function-level cases built on `variant` (the training cases are left out:
  /// each would train again, and the mistake already shows in its function's case).
  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant).filter { !Cases.training.contains($0.id) })
  }

  /// One gradient step written with the reference's loss, the given penalty and update sign,
  /// zeroing the gradients or not.
  static func step(
    penalty: @escaping (Tensor, Tensor, Double) -> Tensor, descent: Bool = true,
    zero: Bool = true
  ) -> Reference {
    Reference(stepBy: { x, y, w, b, lr, l2 in
      let loss = Reference().bce(logits: x.matmul(w) + b, targets: y) + penalty(w, b, l2)
      loss.backward()
      noGrad {
        for p in [w, b] {
          if let g = p.grad {
            if descent { p -= lr * g } else { p += lr * g }
          }
        }
      }
      if zero { for p in [w, b] { p.zeroGrad() } }
      return loss.item()
    })
  }

  static var all: [Mistake] {
    [
      mistake(
        "p3.sigmoid-naive",
        "σ is computed as 1 / (1 + e^(−z)) everywhere: at z = −1000, e^1000 is inf and the "
          + "gradient inf/inf is NaN. Use e^z / (1 + e^z) for z < 0, picked with where.",
        Reference(sigmoidBy: { z in 1 / (1 + (-z).exp()) })),
      mistake(
        "p3.sigmoid-exp-ratio",
        "σ is computed as e^z / (1 + e^z) everywhere: at z = 1000 that is inf/inf = NaN. Use "
          + "1 / (1 + e^(−z)) for z ≥ 0, picked with where.",
        Reference(sigmoidBy: { z in z.exp() / (1 + z.exp()) })),
      mistake(
        "p3.sigmoid-abs-kink",
        "σ's value is right, but its gradient at z = 0 is 0 instead of 0.25: e^(−|z|), relu(z) "
          + "and z.clamp(min: 0) or clamp(max: 0) all have gradient 0 at z = 0. Write each "
          + "branch in z itself, e.g. 1 / (1 + e^(−z)) on z ≥ 0 and e^z / (1 + e^z) on z < 0, "
          + "with the other side's z replaced by 0 through where(z >= 0, …) before exp.",
        Reference(sigmoidBy: { z in
          let e = (-z.abs()).exp()
          return Tensor.where(z .>= 0, 1 / (1 + e), e / (1 + e))
        })),
      mistake(
        "p3.sigmoid-sign",
        "This is σ(−z) = 1 / (1 + e^z): the sign of z in the exponent is flipped.",
        Reference(sigmoidBy: { z in Problem3Mistake.stableSigmoid(-z) })),
      mistake(
        "p3.bce-no-clamp",
        "The probabilities are not clamped: p = 0 with y = 1 (or p = 1 with y = 0) gives "
          + "log(0) = −inf. Clamp p to [ε, 1 − ε] first.",
        Reference(probabilitiesBy: { p, y in -(y * p.log() + (1 - y) * (1 - p).log()).mean() })),
      mistake(
        "p3.bce-float64-epsilon",
        "ε = 1e-12 is used in float32 too, where 1 − 1e-12 rounds to 1, so log(1 − p) is still "
          + "log(0) at p = 1. Use ε = 1e-7 for float32 tensors.",
        Reference(probabilitiesBy: { p, y in
          let q = p.clamp(min: 1e-12, max: 1 - 1e-12)
          return -(y * q.log() + (1 - y) * (1 - q).log()).mean()
        })),
      mistake(
        "p3.bce-sum",
        "The BCE sums over the rows; it is the mean over the rows.",
        Reference(probabilitiesBy: { p, y in
          let q = Problem3Mistake.clamped(p)
          return -(y * q.log() + (1 - y) * (1 - q).log()).sum()
        })),
      mistake(
        "p3.bce-sign",
        "The BCE is missing its minus sign: −mean(y·log p + (1 − y)·log(1 − p)) is positive.",
        Reference(probabilitiesBy: { p, y in
          let q = Problem3Mistake.clamped(p)
          return (y * q.log() + (1 - y) * (1 - q).log()).mean()
        })),
      mistake(
        "p3.bce-logits-via-sigmoid",
        "The BCE from logits takes the log of σ(z): at z = ±30 in float32 or ±1000 in float64 "
          + "σ rounds to 0 or 1, the clamp caps the loss near 16 or 28, and the gradient "
          + "vanishes. Use max(z, 0) − z·y + log1p(e^(−|z|)) directly on the logits.",
        Reference(logitsBy: { z, y in
          Reference().bce(probabilities: Reference().stableSigmoid(z), targets: y)
        })),
      mistake(
        "p3.bce-logits-naive",
        "The BCE from logits uses log(1 + e^(−z)): at z = −1000, e^1000 is inf. Use "
          + "max(z, 0) − z·y + log1p(e^(−|z|)), whose exponent is never positive.",
        Reference(logitsBy: { z, y in ((1 - y) * z + (-z).exp().log1p()).mean() })),
      mistake(
        "p3.bce-logits-relu-kink",
        "The BCE from logits is relu(z) − z·y + log1p(e^(−|z|)): right values, but relu, |z| "
          + "and a clamp at 0 have gradient 0 at z = 0, so ∂BCE/∂z there is −y/N instead of "
          + "(0.5 − y)/N. Write "
          + "the softplus with where(z >= 0, z + log1p(e^(−z)), log1p(e^z)), each exp of a "
          + "value ≤ 0 on its side.",
        Reference(logitsBy: { z, y in (z.relu() - z * y + (-z.abs()).exp().log1p()).mean() })),
      mistake(
        "p3.bce-logits-sum",
        "The BCE from logits sums over the rows; it is the mean over the rows.",
        Reference(logitsBy: { z, y in (Problem3Mistake.softplus(z) - z * y).sum() })),
      mistake(
        "p3.accuracy-count",
        "accuracy returns the number of right rows; it is their fraction (divide by N).",
        Reference(accuracyBy: { z, y in
          noGrad { ((z .> 0).to(y.dtype) .== y).to(.float64).sum().item() }
        })),
      mistake(
        "p3.accuracy-half",
        "The logits are thresholded at 0.5, as if they were probabilities: class 1 is logit > 0 "
          + "(σ(z) > 0.5).",
        Reference(accuracyBy: { z, y in
          noGrad { ((z .> 0.5).to(y.dtype) .== y).to(.float64).mean().item() }
        })),
      mistake(
        "p3.step-no-zero",
        "The gradients are not zeroed after the update, so the next step adds to them.",
        step(penalty: { w, _, l2 in l2 * (w * w).sum() }, zero: false)),
      mistake(
        "p3.step-l2-on-bias",
        "The L2 penalty covers the bias too: it is l2·‖w‖², on w only.",
        step(penalty: { w, b, l2 in l2 * ((w * w).sum() + (b * b).sum()) })),
      mistake(
        "p3.step-no-l2",
        "The step ignores l2: the loss it differentiates is BCE + l2·‖w‖².",
        step(penalty: { w, _, _ in 0 * w.sum() })),
      mistake(
        "p3.step-half-l2",
        "The penalty is (l2/2)·‖w‖²; this problem's loss uses l2·‖w‖².",
        step(penalty: { w, _, l2 in l2 / 2 * (w * w).sum() })),
      mistake(
        "p3.step-ascent",
        "The update adds the gradient: gradient descent subtracts lr · grad.",
        step(penalty: { w, _, l2 in l2 * (w * w).sum() }, descent: false)),
    ]
  }
}

/// Correct pieces the mistakes are built from.
enum Problem3Mistake {
  static func stableSigmoid(_ z: Tensor) -> Tensor { Reference().stableSigmoid(z) }

  /// p clamped to [ε, 1 − ε] with the reference's ε for its type.
  static func clamped(_ p: Tensor) -> Tensor {
    let epsilon = p.dtype == .float64 ? 1e-12 : 1e-7
    return p.clamp(min: epsilon, max: 1 - epsilon)
  }

  /// softplus(z) = log(1 + e^z), exponentiating only values ≤ 0.
  static func softplus(_ z: Tensor) -> Tensor {
    let nonNegative = z .>= 0
    let above = Tensor.where(nonNegative, z, 0)
    let below = Tensor.where(nonNegative, 0, z)
    return Tensor.where(nonNegative, above + (-above).exp().log1p(), below.exp().log1p())
  }
}
