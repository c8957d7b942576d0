import Autograd
import Foundation
import GradeProtocol

/// Problem 4's gradient-check cases: the numerical gradient, the relative error and the whole
/// check, judged against a check the grader computes itself in Float64.
extension Cases {
  /// The scale of the inputs of the gradient check whose answer the grader knows: with
  /// |x| ~ 3·10⁴ the central difference's truncation error (ε²·f'''/6, ∝ |x|²) is ~10⁻⁴ of
  /// the gradient, 10⁵ times its rounding noise, so every correct check returns the same
  /// number to about 10⁻⁶.
  static let checkScale = 3e4
  /// How close a check's result must be to the grader's at that scale (relative): far above
  /// the ~10⁻⁶ left by rounding and another correct cross-entropy form, far below what a
  /// one-sided difference or a float32 check gives.
  static let checkAgreement = 1e-3
  /// The most a correct Float64 check may return on O(1) inputs: its rounding noise is
  /// ~10⁻⁸; a float32 check or a one-sided difference gives 10⁻³ or more.
  static let checkNoise = 1e-6
  /// The smallest exact gradient element the O(1) inputs may have. A check's rounding,
  /// about 10⁻¹⁰ absolute, is relative to each element: an element near 0 made a correct
  /// check exceed ``checkNoise`` (0.8% of random draws, 1.4% with another stable
  /// cross-entropy form, in a 3000-draw simulation). Above this floor a correct check
  /// returns at most ~3·10⁻⁷ (the same simulation: none of 6000 checks above it).
  static let checkGradientFloor = 1e-3

  /// The cases of the numerical gradient, the relative error and the gradient check.
  static func gradientCheckCases(_ api: some API) -> [CaseSpec] {
    [
      CaseSpec(
        "p4.numerical-gradient",
        inputs: { r in
          [
            "theta": r.normal([3, 4]), "phi": r.normal([5], scale: 2),
            "psi": r.normal([4], scale: 0.005, shift: 0.005),
          ]
        },
        run: { i in
          let theta = i.tensor("theta")
          let cubes = api.numericalGradient(of: { (theta * theta * theta).sum() }, parameter: theta)
          let phi = i.tensor("phi")
          let waves = api.numericalGradient(of: { (phi.sin() * phi).sum() }, parameter: phi)
          // Steep and coupled: e^(100·Σψ)/100 has f'' = 100·f' (and f' ≈ 3 to 20), so a
          // one-sided difference is off by 5e-5 of the gradient, and a ψ left at ψ − ε moves
          // every later element's.
          let psi = i.tensor("psi")
          let steep = api.numericalGradient(of: { (100 * psi.sum()).exp() / 100 }, parameter: psi)
          return [
            "cubes": .of(cubes), "thetaAfter": .of(theta), "waves": .of(waves),
            "phiAfter": .of(phi), "steep": .of(steep), "psiAfter": .of(psi),
          ]
        },
        judge: { c in
          // The exact gradients, computed here: 3θ² and sin φ + φ cos φ.
          let theta = c.inputs.tensor("theta").toArray()
          let phi = c.inputs.tensor("phi").toArray()
          let psi = c.inputs.tensor("psi").toArray()
          let bound = c.threshold ?? 1e-7
          let exact: [(String, String, String, [Double], [Double], [Int])] = [
            ("cubes", "thetaAfter", "Σθ³", theta.map { 3 * $0 * $0 }, theta, [3, 4]),
            (
              "waves", "phiAfter", "Σ φ·sin φ",
              phi.map { Foundation.sin($0) + $0 * Foundation.cos($0) }, phi, [5]
            ),
            (
              "steep", "psiAfter", "e^(100·Σψ)/100",
              psi.map { _ in Foundation.exp(100 * psi.reduce(0, +)) }, psi, [4]
            ),
          ]
          for (key, afterKey, name, truth, at, shape) in exact {
            let after = try c.tensor(afterKey).data
            // Restoring by arithmetic (θ + ε − ε) may leave an ulp; not restoring leaves ε.
            let restoring = 1e-12
            if JudgeContext.error(after, at) > restoring {
              return .fail(
                "the parameter was not restored after the differences for \(name)",
                hint: "Put each element back to its original value after evaluating L(θ ± ε).")
            }
            try JudgeContext.compare(
              shape: try c.tensor(key).shape, data: try c.tensor(key).data, expectedShape: shape,
              reference: truth, tolerance: bound,
              what: "the numerical gradient of \(name) (against the exact gradient)",
              hint: "Central differences, one element at a time: (L(θ + εeᵢ) − L(θ − εeᵢ)) / 2ε; "
                + "a one-sided difference (L(θ + ε) − L(θ)) / ε is off by O(ε).")
          }
          return .pass()
        }),
      CaseSpec(
        "p4.relative-error",
        inputs: { r in
          var g = r.generator
          let a = normal(&g, [4, 3])
          let noisy = a + 1e-6 * normal(&g, [4, 3])
          // The numeric side above the analytic one everywhere: a − n < 0.
          let signs = normal(&g, [6])
          let above = signs + (1e-4 * normal(&g, [6])).abs()
          // Gradients near 1e-10, where the 1e-8 floor decides the result.
          let tiny = 1e-10 * normal(&g, [5])
          let tinyNumeric = tiny * (1 + 0.5 * normal(&g, [5]))
          // Exact zeros on both sides, where a formula without the floor divides 0 by 0.
          let zeros = Tensor([0, 1.5, 0, -2] as [Double])
          let zerosNumeric = Tensor([0, 1.5 + 3e-7, 0, -2 + 1e-7] as [Double])
          // One large error among small ones: the max, not the mean.
          let spread = normal(&g, [8])
          let outlier =
            spread * (1 + 1e-8 * normal(&g, [8])) + Tensor([0, 0, 0, 0.01, 0, 0, 0, 0] as [Double])
          r.generator = g
          return [
            "a0": .of(a), "n0": .of(noisy), "a1": .of(signs), "n1": .of(above), "a2": .of(tiny),
            "n2": .of(tinyNumeric), "a3": .of(zeros), "n3": .of(zerosNumeric), "a4": .of(spread),
            "n4": .of(outlier),
          ]
        },
        run: { i in
          var out: Values = [:]
          for k in 0..<5 {
            out["e\(k)"] = .number(api.maxRelativeError(i.tensor("a\(k)"), i.tensor("n\(k)")))
          }
          return out
        },
        judge: { c in
          let names = [
            "two close gradients", "a numeric gradient above the analytic one",
            "gradients of about 1e-10", "gradients with exact zeros",
            "one large error among small ones",
          ]
          for k in 0..<5 {
            let a = c.inputs.tensor("a\(k)").toArray()
            let n = c.inputs.tensor("n\(k)").toArray()
            let truth =
              zip(a, n).map { Swift.abs($0 - $1) / Swift.max(Swift.abs($0) + Swift.abs($1), 1e-8) }
              .max() ?? 0
            let value = try c.number("e\(k)")
            // Both sides evaluate the same closed form in Float64: only rounding may differ.
            let sameFormula = 1e-9
            guard value.isFinite, Swift.abs(value - truth) <= sameFormula * truth + 1e-300 else {
              return .fail(
                "maxRelativeError on \(names[k]) is \(short(value))", measured: short(value),
                expected: short(truth),
                hint: "max over elements of |a − n| / max(|a| + |n|, 1e-8): the absolute "
                  + "difference, the floor 1e-8 (so 0/0 and rounding noise near 0 stay small), "
                  + "and the largest value, not the mean.")
            }
          }
          return .pass()
        }),
      CaseSpec(
        "p4.gradient-check",
        inputs: { r in
          var g = r.generator
          var values: Values = [:]
          for (key, scale) in [("scaled", checkScale), ("plain", 1.0)] {
            // O(1) inputs are drawn again while a gradient element is near 0 (about one
            // draw in ten; see `checkGradientFloor`).
            repeat {
              values["x-" + key] = .of(normal(&g, [16, 5], scale: scale).to(.float32))
              values["w-" + key] = .of(normal(&g, [5, 4], scale: 2 / scale).to(.float32))
              values["b-" + key] = .of(normal(&g, [4]).to(.float32))
              values["labels-" + key] = .of(Tensor.randint(0, 4, [16], generator: &g))
            } while key == "plain"
              && exactGradient(CaseInputs(values), key).all.contains {
                Swift.abs($0) < checkGradientFloor
              }
          }
          r.generator = g
          return values
        },
        run: { i in
          var out: Values = [:]
          for key in ["scaled", "plain"] {
            out[key] = .number(
              api.gradientCheck(
                x: i.tensor("x-" + key), labels: i.tensor("labels-" + key), w: i.tensor("w-" + key),
                b: i.tensor("b-" + key)))
          }
          return out
        },
        judge: { c in
          let hint =
            "Convert x, W and b to Float64, compute autograd's gradients of the cross-entropy, "
            + "then numericalGradient for W and for b, and return the larger maxRelativeError."
          let truth = checkTruth(c.inputs, "scaled")
          let scaled = try c.number("scaled")
          guard scaled.isFinite, Swift.abs(scaled - truth) <= checkAgreement * truth else {
            return .fail(
              "gradientCheck on inputs of size ~3e4 returns \(short(scaled)); central "
                + "differences in Float64 with ε = 1e-6 give \(short(truth)) there",
              measured: short(scaled), expected: short(truth), hint: hint)
          }
          let plain = try c.number("plain")
          guard plain.isFinite, plain >= 0, plain <= checkNoise else {
            return .fail(
              "gradientCheck on O(1) inputs returns \(short(plain))", measured: short(plain),
              expected: "≤ \(short(checkNoise)) (the grader's check gives "
                + "\(short(checkTruth(c.inputs, "plain"))))", hint: hint)
          }
          return .pass(measured: "\(short(scaled)) and \(short(plain))", expected: short(truth))
        }),
    ]
  }

  /// The gradient check computed here, independently of any student code: the exact gradient
  /// of the cross-entropy (xᵀ(softmax − onehot)/N and its column sums) against central
  /// differences with ε = 1e-6 in Float64, the largest |a − n| / max(|a| + |n|, 1e-8).
  static func checkTruth(_ inputs: CaseInputs, _ key: String) -> Double {
    let x = inputs.tensor("x-" + key).double()
    let w = inputs.tensor("w-" + key).toArray()
    let b = inputs.tensor("b-" + key).toArray()
    let labels = inputs.tensor("labels-" + key).toArray().map { Int($0) }
    let (d, k) = (x.shape[1], b.count)
    func loss(_ w: [Double], _ b: [Double]) -> Double {
      noGrad { crossEntropy(x.matmul(Tensor(w, shape: [d, k])) + Tensor(b), labels) }
    }
    let (gw, gb, _) = exactGradient(inputs, key)
    let epsilon = 1e-6
    var worst = 0.0
    func relative(_ a: Double, _ n: Double) -> Double {
      Swift.abs(a - n) / Swift.max(Swift.abs(a) + Swift.abs(n), 1e-8)
    }
    for i in 0..<w.count {
      var up = w
      var down = w
      up[i] += epsilon
      down[i] -= epsilon
      worst = Swift.max(worst, relative(gw[i], (loss(up, b) - loss(down, b)) / (2 * epsilon)))
    }
    for i in 0..<b.count {
      var up = b
      var down = b
      up[i] += epsilon
      down[i] -= epsilon
      worst = Swift.max(worst, relative(gb[i], (loss(w, up) - loss(w, down)) / (2 * epsilon)))
    }
    return worst
  }

  /// The exact gradient of the cross-entropy of the inputs under `key` (in Float64) with
  /// respect to W, xᵀ(softmax − onehot)/N, and to b, its column sums; `all` is both.
  static func exactGradient(_ inputs: CaseInputs, _ key: String) -> (
    w: [Double], b: [Double], all: [Double]
  ) {
    let x = inputs.tensor("x-" + key).double()
    let w = inputs.tensor("w-" + key).double()
    let b = inputs.tensor("b-" + key).double()
    let labels = inputs.tensor("labels-" + key).toArray().map { Int($0) }
    return noGrad {
      let z = x.matmul(w) + b
      let e = (z - z.max(dim: 1, keepDim: true).values).exp()
      var p = (e / e.sum(dim: 1, keepDim: true)).toRows()
      for (i, label) in labels.enumerated() { p[i][label] -= 1 }
      let delta = Tensor(rows: p) / Double(labels.count)
      let (gw, gb) = (x.T.matmul(delta).toArray(), delta.sum(dim: 0).toArray())
      return (gw, gb, gw + gb)
    }
  }
}
