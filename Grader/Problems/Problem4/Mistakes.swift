import Autograd
import GradeProtocol

/// Typical mistakes of problem 4, each the reference with one function written wrong.
enum Mistakes {
  /// A mistake: the function-level cases built on `variant` (the training case is left out:
  /// it would train again, and the mistake already shows in its function's case).
  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant).filter { !Cases.training.contains($0.id) })
  }

  /// Central (or one-sided) differences written with the given quirks.
  static func differences(oneSided: Bool = false, restore: Bool = true, divisor: Double = 2)
    -> Reference
  {
    Reference(numericalGradientBy: { loss, parameter in
      let epsilon = 1e-6
      let flat = parameter.detach().reshape([parameter.count])
      var values: [Double] = []
      noGrad {
        for i in 0..<parameter.count {
          let original = flat[i].item()
          flat[i] = Tensor(original + epsilon, dtype: parameter.dtype)
          let up = loss().item()
          flat[i] = Tensor(oneSided ? original : original - epsilon, dtype: parameter.dtype)
          let down = loss().item()
          if restore { flat[i] = Tensor(original, dtype: parameter.dtype) }
          values.append((up - down) / ((oneSided ? 1 : divisor) * epsilon))
        }
      }
      return Tensor(values, shape: parameter.shape).to(parameter.dtype)
    })
  }

  /// The largest (or mean) of `error(a, n)` over the elements.
  static func relativeError(mean: Bool = false, _ error: @escaping (Double, Double) -> Double)
    -> Reference
  {
    Reference(relativeErrorBy: { a, n in
      let errors = zip(a.toArray(), n.toArray()).map(error)
      return mean ? errors.reduce(0, +) / Double(Swift.max(errors.count, 1)) : errors.max() ?? 0
    })
  }

  /// One mini-batch step with the given update and zeroing.
  static func step(descent: Bool = true, bias: Bool = true, zero: Bool = true) -> Reference {
    Reference(stepBy: { x, labels, w, b, lr in
      let loss = Reference().crossEntropy(logits: x.matmul(w) + b, labels: labels)
      loss.backward()
      noGrad {
        for p in bias ? [w, b] : [w] {
          if let g = p.grad {
            if descent { p -= lr * g } else { p += lr * g }
          }
        }
      }
      if zero { for p in [w, b] { p.zeroGrad() } }
      return loss.item()
    })
  }

  /// The gradient check written as the reference's, with the given element type and
  /// combination of the two errors.
  static func check(dtype: DType = .float64, combine: @escaping (Double, Double) -> Double)
    -> Reference
  {
    Reference(gradientCheckBy: { x, labels, w, b in
      let r = Reference()
      let xs = x.to(dtype)
      let w2 = w.detach().to(dtype).clone().requireGrad()
      let b2 = b.detach().to(dtype).clone().requireGrad()
      let loss = { r.crossEntropy(logits: xs.matmul(w2) + b2, labels: labels) }
      loss().backward()
      let ew = r.maxRelativeError(w2.grad!, r.numericalGradient(of: loss, parameter: w2))
      let eb = r.maxRelativeError(b2.grad!, r.numericalGradient(of: loss, parameter: b2))
      return combine(ew, eb)
    })
  }

  static func rowMax(_ z: Tensor) -> Tensor { z.max(dim: 1, keepDim: true).values }

  static var all: [Mistake] {
    [
      mistake(
        "p4.softmax-no-shift",
        "softmax exponentiates the logits as they are: e^1000 is inf and inf/inf is NaN. "
          + "Subtract each row's max logit first.",
        Reference(softmaxBy: { z in z.exp() / z.exp().sum(dim: 1, keepDim: true) })),
      mistake(
        "p4.softmax-dim0",
        "softmax normalizes over dim 0 (each column sums to 1); each row must: max and sum over "
          + "dim 1.",
        Reference(softmaxBy: { z in
          let e = (z - z.max(dim: 0, keepDim: true).values).exp()
          return e / e.sum(dim: 0, keepDim: true)
        })),
      mistake(
        "p4.softmax-global-max",
        "softmax subtracts one max of the whole matrix: a row far below it underflows to 0/0. "
          + "Subtract each row's own max (over dim 1).",
        Reference(softmaxBy: { z in
          let e = (z - z.max()).exp()
          return e / e.sum(dim: 1, keepDim: true)
        })),
      mistake(
        "p4.softmax-unnormalized",
        "softmax returns e^(z − max) without dividing by the row's sum, so rows do not sum to 1.",
        Reference(softmaxBy: { z in (z - rowMax(z)).exp() })),
      mistake(
        "p4.ce-log-softmax",
        "The cross-entropy takes log(softmax(z)): at a logit 1000 below the row's max, softmax "
          + "is 0 and log(0) = −inf. Use logsumexp(row) − row[label] on the logits.",
        Reference(crossEntropyBy: { z, labels in
          let p = Reference().softmax(z)
          return -p[Tensor.arange(z.shape[0]), labels].log().mean()
        })),
      mistake(
        "p4.ce-no-shift",
        "The cross-entropy's logsumexp is log Σ e^z without the max: e^1000 is inf. Compute "
          + "m + log Σ e^(z − m) with m the row's max.",
        Reference(crossEntropyBy: { z, labels in
          (z.exp().sum(dim: 1).log() - z[Tensor.arange(z.shape[0]), labels]).mean()
        })),
      mistake(
        "p4.ce-sum",
        "The cross-entropy sums over the rows; it is the mean over the rows.",
        Reference(crossEntropyBy: { z, labels in
          let m = rowMax(z)
          let lse = m.squeeze(1) + (z - m).exp().sum(dim: 1).log()
          return (lse - z[Tensor.arange(z.shape[0]), labels]).sum()
        })),
      mistake(
        "p4.ce-no-normalizer",
        "The cross-entropy is −mean(z[label]) without the logsumexp term: it is "
          + "mean(logsumexp(row) − row[label]).",
        Reference(crossEntropyBy: { z, labels in
          -z[Tensor.arange(z.shape[0]), labels].mean()
        })),
      mistake(
        "p4.numgrad-one-sided",
        "The numerical gradient is one-sided, (L(θ + ε) − L(θ)) / ε, which is off by O(ε); use "
          + "the central difference (L(θ + ε) − L(θ − ε)) / 2ε.",
        differences(oneSided: true)),
      mistake(
        "p4.numgrad-not-restored",
        "Each element is left at θ − ε after its differences: restore it to its original value.",
        differences(restore: false)),
      mistake(
        "p4.numgrad-divided-by-epsilon",
        "The central difference is divided by ε; the two points are 2ε apart: divide by 2ε.",
        differences(divisor: 1)),
      mistake(
        "p4.relerr-no-floor",
        "The relative error divides by |a| + |n| without the 1e-8 floor: 0/0 is NaN where both "
          + "are 0, and rounding noise near 0 looks huge. Divide by max(|a| + |n|, 1e-8).",
        relativeError { a, n in Swift.abs(a - n) / (Swift.abs(a) + Swift.abs(n)) }),
      mistake(
        "p4.relerr-no-abs",
        "The relative error uses a − n without the absolute value, so errors of one sign are "
          + "negative and the max misses them.",
        relativeError { a, n in (a - n) / Swift.max(Swift.abs(a) + Swift.abs(n), 1e-8) }),
      mistake(
        "p4.relerr-mean",
        "maxRelativeError averages the elements' errors; it is their largest value.",
        relativeError(mean: true) { a, n in
          Swift.abs(a - n) / Swift.max(Swift.abs(a) + Swift.abs(n), 1e-8)
        }),
      mistake(
        "p4.relerr-analytic-only",
        "The relative error divides by |a| only; this problem's is |a − n| / max(|a| + |n|, 1e-8).",
        relativeError { a, n in Swift.abs(a - n) / Swift.max(Swift.abs(a), 1e-8) }),
      mistake(
        "p4.gradcheck-float32",
        "The gradient check runs in float32: ε = 1e-6 is below float32's resolution of the loss, "
          + "so the differences are noise. Convert x, W and b to Float64 (.double()) first.",
        check(dtype: .float32) { Swift.max($0, $1) }),
      mistake(
        "p4.gradcheck-average",
        "gradientCheck averages W's and b's errors; it returns the larger of the two.",
        check { ($0 + $1) / 2 }),
      mistake(
        "p4.step-no-zero",
        "The gradients are not zeroed after the update, so the next step adds to them.",
        step(zero: false)),
      mistake(
        "p4.step-ascent", "The update adds the gradient: gradient descent subtracts lr · grad.",
        step(descent: false)),
      mistake(
        "p4.step-bias-frozen", "The bias is never updated: update b as well as W.",
        step(bias: false)),
    ]
  }
}
