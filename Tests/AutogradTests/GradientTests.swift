import Autograd
import AutogradTestSupport
import Testing

// Autograd gradients against central finite differences, in Float64, for every
// differentiable operation.
//
// Each case builds its inputs (seeded random or hand-picked), and `gradientCheck` compares
// the gradient of `sum(op(inputs) * w)` (w a fixed random tensor of the output's shape, so
// every element of the Jacobian product is checked) with central differences of the same
// scalar. Every input must match within `Tolerance.finiteDifference`, and must receive a
// gradient of its own shape and dtype.
//
// Finite differences step by h = 1e-6, so inputs are kept well away from points where an
// operation is not differentiable (relu and abs at 0, clamp at its bounds, ties of max, min,
// maximum and minimum) and from the edges of the domain (log, sqrt and division near 0).
// Cases near a kink carry a `kink` measure, and the test asserts that the inputs really are
// more than `kinkMargin` from it before comparing gradients.

@Suite struct GradientTests {}

// MARK: - Case description

extension GradientTests {
  /// How to make one input: seeded random values (`seededInput`) or hand-picked values.
  struct Input: Sendable {
    let shape: [Int]
    let seed: UInt64?
    let margin: Double?
    let positive: Bool
    let values: [Double]?

    /// Standard normal values.
    static func randn(_ shape: [Int], seed: UInt64) -> Input {
      Input(shape: shape, seed: seed, margin: nil, positive: false, values: nil)
    }

    /// Normal values pushed at least `margin` away from 0, keeping their sign.
    static func away(_ shape: [Int], seed: UInt64, margin: Double) -> Input {
      Input(shape: shape, seed: seed, margin: margin, positive: false, values: nil)
    }

    /// `|normal| + margin`: at least `margin` above 0.
    static func positive(_ shape: [Int], seed: UInt64, margin: Double = 0.1) -> Input {
      Input(shape: shape, seed: seed, margin: margin, positive: true, values: nil)
    }

    /// Hand-picked values, row-major.
    static func values(_ values: [Double], shape: [Int]) -> Input {
      Input(shape: shape, seed: nil, margin: nil, positive: false, values: values)
    }

    func make() -> Tensor {
      if let values { return Tensor(values, shape: shape, requiresGrad: true) }
      return seededInput(shape, seed: seed!, awayFromZero: margin, positive: positive)
    }
  }

  /// One gradient check: a name saying what it checks, its inputs and the operation.
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [Input]
    /// Where `op` is not differentiable, to check the inputs are far from it.
    let kink: Kink?
    /// Whether each input must have a nonzero gradient (false where an input may lose every
    /// comparison of maximum or minimum, so that its gradient is rightly all zero).
    let everyInputMatters: Bool
    let op: @Sendable ([Tensor]) -> Tensor

    init(
      _ name: String, _ inputs: [Input], kink: Kink? = nil,
      everyInputMatters: Bool = true, _ op: @escaping @Sendable ([Tensor]) -> Tensor
    ) {
      self.name = name
      self.inputs = inputs
      self.kink = kink
      self.everyInputMatters = everyInputMatters
      self.op = op
    }

    var testDescription: String { name }
  }

  /// Where an operation is not differentiable, as a measure of how far the inputs are.
  enum Kink: Sendable {
    /// At 0 of input 0's elements (relu, abs).
    case atZero
    /// At these values of input 0's elements (clamp bounds, maximum against a constant).
    case at([Double])
    /// At ties between input 0's elements (max, min).
    case ties
    /// At ties between an element of input 0 and one of input 1 (maximum, minimum).
    case pairTies
    /// Any other measure.
    case measured(@Sendable ([Tensor]) -> Double)

    func distance(_ inputs: [Tensor]) -> Double {
      switch self {
      case .atZero: minAbs(inputs[0])
      case .at(let points): minDistance(inputs[0], to: points)
      case .ties: minGap(inputs[0])
      case .pairTies: minCrossGap(inputs[0], inputs[1])
      case .measured(let measure): measure(inputs)
      }
    }
  }
}

// MARK: - Checking

/// Inputs must be farther than this from a kink: 100 times the finite-difference step, so
/// neither x + h nor x − h crosses it.
private let kinkMargin = 1e-4

/// A seed for the random output weights, derived from the case name (FNV-1a) so that each
/// case weights its output differently and reproducibly.
private func weightSeed(_ name: String) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
  return hash
}

private func check(_ c: GradientTests.Case) {
  let inputs = c.inputs.map { $0.make() }
  if let kink = c.kink {
    let distance = noGrad { kink.distance(inputs) }
    #expect(distance > kinkMargin, "\(c.name): inputs only \(distance) from a kink")
  }
  let (autograd, numeric) = gradientCheck(c.op, inputs: inputs, seed: weightSeed(c.name))
  #expect(autograd.count == inputs.count && numeric.count == inputs.count)
  // A check against an all-zero numeric gradient could not catch a missing gradient.
  #expect(
    numeric.contains { $0.contains { $0 != 0 } }, "\(c.name): no input affects the output")
  for (i, x) in inputs.enumerated() {
    #expect(x.grad?.shape == x.shape, "\(c.name): gradient shape of input \(i)")
    #expect(x.grad?.dtype == .float64, "\(c.name): gradient dtype of input \(i)")
    if c.everyInputMatters {
      #expect(
        numeric[i].contains { $0 != 0 }, "\(c.name): input \(i) does not affect the output")
    }
    let error = maxError(autograd[i], numeric[i])
    #expect(
      error <= Tolerance.finiteDifference,
      """
      \(c.name): input \(i), max error \(error)
        autograd \(autograd[i])
        numeric  \(numeric[i])
      """)
  }
}

// MARK: - Kink distances (plain Swift, on the input values)

/// Smallest |x|: the distance from the kink of relu and abs at 0.
private func minAbs(_ t: Tensor) -> Double {
  t.toArray().map { Swift.abs($0) }.min() ?? .infinity
}

/// Smallest distance between two elements: the distance from a tie of max or min.
private func minGap(_ t: Tensor) -> Double {
  let sorted = t.toArray().sorted()
  return zip(sorted, sorted.dropFirst()).map { $1 - $0 }.min() ?? .infinity
}

/// Smallest |a_i − b_j| over all pairs: the distance from a tie of maximum or minimum, for
/// any broadcast of a against b.
private func minCrossGap(_ a: Tensor, _ b: Tensor) -> Double {
  let bs = b.toArray()
  return a.toArray().flatMap { x in bs.map { Swift.abs(x - $0) } }.min() ?? .infinity
}

/// Smallest distance from an element to any of `points` (clamp bounds).
private func minDistance(_ t: Tensor, to points: [Double]) -> Double {
  t.toArray().flatMap { x in points.map { Swift.abs(x - $0) } }.min() ?? .infinity
}

// MARK: - Elementwise unary operations

extension GradientTests {
  static let unaryCases: [Case] = [
    Case("neg operator on [2,3]", [.randn([2, 3], seed: 101)]) { -$0[0] },
    Case("neg method on a 0-d tensor", [.randn([], seed: 102)]) { $0[0].neg() },
    Case("exp on [2,3]", [.randn([2, 3], seed: 103)]) { $0[0].exp() },
    Case("exp free function on [4]", [.randn([4], seed: 104)]) { exp($0[0]) },
    Case("exp on a 0-d tensor", [.randn([], seed: 105)]) { $0[0].exp() },
    // log, log1p and sqrt: inputs at least 0.5 inside their domain.
    Case("log of positive values", [.positive([2, 3], seed: 106, margin: 0.5)]) {
      $0[0].log()
    },
    Case("log free function of positive values", [.positive([5], seed: 107, margin: 0.5)]) {
      log($0[0])
    },
    Case("log1p of positive values", [.positive([2, 3], seed: 108, margin: 0.1)]) {
      $0[0].log1p()
    },
    Case(
      "log1p of values in (-1, 1) near 0",
      [.values([-0.5, -0.01, 0.002, 0.3, 1e-5, -1e-4], shape: [2, 3])]
    ) { $0[0].log1p() },
    Case("sqrt of positive values", [.positive([2, 3], seed: 109, margin: 0.5)]) {
      $0[0].sqrt()
    },
    Case("sqrt free function on a 0-d tensor", [.positive([], seed: 110, margin: 0.5)]) {
      sqrt($0[0])
    },
    // abs and relu have a kink at 0: inputs at least 0.1 from it.
    Case(
      "abs of values away from 0", [.away([2, 3], seed: 111, margin: 0.1)],
      kink: .atZero
    ) { $0[0].abs() },
    Case("sin on [2,3]", [.randn([2, 3], seed: 112)]) { $0[0].sin() },
    Case("cos on [2,3]", [.randn([2, 3], seed: 113)]) { $0[0].cos() },
    Case("tanh on [2,3]", [.randn([2, 3], seed: 114)]) { $0[0].tanh() },
    Case("tanh free function on [1,3,1]", [.randn([1, 3, 1], seed: 115)]) { tanh($0[0]) },
    Case(
      "relu of values away from 0", [.away([3, 4], seed: 116, margin: 0.1)],
      kink: .atZero
    ) { $0[0].relu() },
    Case(
      "relu free function on size-1 dims [1,4,1]", [.away([1, 4, 1], seed: 117, margin: 0.1)],
      kink: .atZero
    ) { relu($0[0]) },
    // clamp is not differentiable at its bounds: hand-picked values at least 0.05 from them,
    // some inside and some outside [-0.5, 0.5].
    Case(
      "clamp with min and max, values inside and outside",
      [.values([-1.3, -0.2, 0.1, 0.7, 0.45, -0.55, 2.0, -0.05], shape: [2, 4])],
      kink: .at([-0.5, 0.5])
    ) { $0[0].clamp(min: -0.5, max: 0.5) },
    Case(
      "clamp with only min",
      [.values([-1.3, -0.2, 0.1, 0.7, 0.45, -0.55], shape: [2, 3])],
      kink: .at([0])
    ) { $0[0].clamp(min: 0) },
    Case(
      "clamp with only max",
      [.values([-1.3, -0.2, 0.1, 0.7, 0.45, 1.55], shape: [2, 3])],
      kink: .at([0.5])
    ) { $0[0].clamp(max: 0.5) },
    Case("pow(2) of mixed signs", [.randn([2, 3], seed: 118)]) { $0[0].pow(2) },
    Case("pow(1) is the identity", [.randn([2, 3], seed: 119)]) { $0[0].pow(1) },
    // Integer exponents of negative bases are defined; negative exponents keep away from 0.
    Case(
      "pow(3) of negative and positive bases",
      [.values([-1.5, -0.7, -0.3, 0.4, 1.2, -2.0], shape: [2, 3])]
    ) { $0[0].pow(3) },
    Case("pow(4) of negative bases", [.values([-1.5, -0.7, -0.3, -1.1], shape: [4])]) {
      $0[0].pow(4)
    },
    Case(
      "pow(-1) of negative bases away from 0", [.away([2, 3], seed: 120, margin: 0.5)]
    ) { $0[0].pow(-1) },
    Case(
      "pow(-2) of negative bases away from 0", [.away([2, 3], seed: 121, margin: 0.5)]
    ) { $0[0].pow(-2) },
    Case("pow(0.5) of positive values", [.positive([2, 3], seed: 122, margin: 0.5)]) {
      $0[0].pow(0.5)
    },
    Case("pow(1.5) of positive values", [.positive([2, 3], seed: 123, margin: 0.2)]) {
      $0[0].pow(1.5)
    },
    Case("pow(-0.5) of positive values", [.positive([2, 3], seed: 124, margin: 0.5)]) {
      $0[0].pow(-0.5)
    },
    Case("pow(3) on a 0-d negative value", [.values([-1.7], shape: [])]) { $0[0].pow(3) },
    Case("clone", [.randn([2, 3], seed: 125)]) { $0[0].clone() },
    Case("contiguous of a transposed view", [.randn([3, 4], seed: 126)]) {
      $0[0].T.contiguous()
    },
    Case("to(.float64) on a float64 tensor", [.randn([2, 3], seed: 127)]) {
      $0[0].to(.float64) * 2
    },
  ]

  @Test("elementwise unary operations", arguments: unaryCases)
  func unaryGradientsMatchFiniteDifferences(_ c: Case) { check(c) }

  @Test func powZeroHasAZeroGradient() {
    // x^0 = 1 is constant: autograd and finite differences must both give exactly 0.
    let x = seededInput([2, 3], seed: 128)
    let (autograd, numeric) = gradientCheck({ $0[0].pow(0) }, inputs: [x], seed: 129)
    #expect(autograd[0] == Array(repeating: 0, count: 6))
    #expect(numeric[0] == Array(repeating: 0, count: 6))
  }
}

// MARK: - Elementwise binary operations with broadcasting

extension GradientTests {
  enum BinaryOp: String, CaseIterable, Sendable {
    case add, sub, mul, div, maximum, minimum, pow

    func apply(_ a: Tensor, _ b: Tensor) -> Tensor {
      switch self {
      case .add: a + b
      case .sub: a - b
      case .mul: a * b
      case .div: a / b
      case .maximum: a.maximum(b)
      case .minimum: Autograd.minimum(a, b)
      case .pow: a.pow(b)
      }
    }
  }

  /// Operand shapes: equal, broadcast on both sides, one side only, size-1 dims and 0-d.
  static let broadcastShapes: [([Int], [Int])] = [
    ([2, 3], [2, 3]),
    ([3, 1], [1, 4]),
    ([2, 3, 4], [4]),
    ([4], [2, 3, 4]),
    ([2, 1, 4], [3, 1]),
    ([1, 3], [2, 1, 1]),
    ([], [2, 3]),
    ([2, 3], []),
    ([], []),
  ]

  static func binaryCase(_ op: BinaryOp, _ sa: [Int], _ sb: [Int], seed: UInt64) -> Case {
    // pow with a tensor exponent needs a positive base (its exponent gradient is
    // a^b·log a); division needs denominators away from 0.
    let a: Input = op == .pow ? .positive(sa, seed: seed, margin: 0.5) : .randn(sa, seed: seed)
    let b: Input =
      op == .div ? .away(sb, seed: seed + 1, margin: 0.5) : .randn(sb, seed: seed + 1)
    let name = "\(op.rawValue) \(sa) with \(sb), both requiring grad"
    let apply: @Sendable ([Tensor]) -> Tensor = { op.apply($0[0], $0[1]) }
    guard op == .maximum || op == .minimum else { return Case(name, [a, b], apply) }
    // maximum and minimum are not differentiable at ties: every pair of values is checked
    // to be apart, whatever the broadcast.
    // An operand may lose every comparison (always, for two 0-d operands): its gradient is
    // then all zero, which autograd must reproduce.
    return Case(name, [a, b], kink: .pairTies, everyInputMatters: false, apply)
  }

  static let binaryCases: [Case] = BinaryOp.allCases.enumerated().flatMap { o, op in
    broadcastShapes.enumerated().map { p, shapes in
      binaryCase(op, shapes.0, shapes.1, seed: UInt64(1000 + 100 * o + 2 * p))
    }
  }

  @Test("binary operations with broadcasting", arguments: binaryCases)
  func binaryGradientsMatchFiniteDifferences(_ c: Case) { check(c) }

  static let scalarCases: [Case] = [
    Case("tensor + Double", [.randn([2, 3], seed: 201)]) { $0[0] + 2.5 },
    Case("Double + tensor", [.randn([2, 3], seed: 202)]) { 2.5 + $0[0] },
    Case("tensor - Double", [.randn([2, 3], seed: 203)]) { $0[0] - 1.5 },
    Case("Double - tensor", [.randn([2, 3], seed: 204)]) { 1.5 - $0[0] },
    Case("tensor * Double", [.randn([2, 3], seed: 205)]) { $0[0] * -3.5 },
    Case("Double * tensor", [.randn([2, 3], seed: 206)]) { 0.25 * $0[0] },
    Case("tensor / Double", [.randn([2, 3], seed: 207)]) { $0[0] / 4.0 },
    Case("Double / tensor away from 0", [.away([2, 3], seed: 208, margin: 0.5)]) {
      3.0 / $0[0]
    },
    Case("tensor + Int", [.randn([2, 3], seed: 209)]) { $0[0] + 2 },
    Case("Int - tensor", [.randn([2, 3], seed: 210)]) { 2 - $0[0] },
    Case("tensor * Int", [.randn([2, 3], seed: 211)]) { $0[0] * 3 },
    Case("Int * tensor", [.randn([2, 3], seed: 212)]) { -2 * $0[0] },
    Case("tensor / Int", [.randn([2, 3], seed: 213)]) { $0[0] / 3 },
    Case("Int / tensor away from 0", [.away([2, 3], seed: 214, margin: 0.5)]) { 2 / $0[0] },
    Case("Double / 0-d tensor", [.away([], seed: 215, margin: 0.5)]) { 1.0 / $0[0] },
    Case(
      "add, sub, mul and div methods",
      [.randn([2, 3], seed: 216), .away([3], seed: 217, margin: 0.5)]
    ) {
      $0[0].add($0[1]).mul($0[0]).sub($0[1]).div($0[1])
    },
    Case(
      "pow(Tensor) of negative bases by constant integer exponents",
      [.away([2, 3], seed: 218, margin: 0.3)]
    ) { $0[0].pow(Tensor([2.0, 3.0, -1.0])) },
    Case(
      "pow(Tensor) of a constant positive base by a tensor exponent",
      [.randn([2, 3], seed: 219)]
    ) { Tensor([0.5, 2.0, 3.0]).pow($0[0]) },
    Case(
      "maximum free function with a constant", [.randn([2, 3], seed: 220)],
      kink: .at([0.2])
    ) { Autograd.maximum($0[0], Tensor(0.2, dtype: .float64)) },
    Case(
      "minimum method against a constant row", [.randn([3, 3], seed: 221)],
      kink: .at([-0.5, 0, 0.5])
    ) { $0[0].minimum(Tensor([-0.5, 0.0, 0.5])) },
  ]

  @Test("operations with a Swift number or a constant tensor", arguments: scalarCases)
  func scalarOperandGradientsMatchFiniteDifferences(_ c: Case) { check(c) }
}

// MARK: - Reductions

extension GradientTests {
  enum Reduction: String, CaseIterable, Sendable {
    case sum, mean, `var`, varBiased, std, stdBiased, max, min, norm2, norm1, norm3

    /// Whether the reduction has a kink at 0 (the 1- and 3-norms go through abs).
    var needsAwayFromZero: Bool { self == .norm1 || self == .norm3 }
    /// Whether it is not differentiable at ties.
    var selects: Bool { self == .max || self == .min }

    /// The reduction over `dim`, or over everything when `dim` is nil.
    func apply(_ x: Tensor, dim: Int?, keepDim: Bool) -> Tensor {
      guard let dim else {
        switch self {
        case .sum: return x.sum()
        case .mean: return x.mean()
        case .var: return x.var()
        case .varBiased: return x.var(unbiased: false)
        case .std: return x.std()
        case .stdBiased: return x.std(unbiased: false)
        case .max: return x.max()
        case .min: return x.min()
        case .norm2: return x.norm()
        case .norm1: return x.norm(p: 1)
        case .norm3: return x.norm(p: 3)
        }
      }
      switch self {
      case .sum: return x.sum(dim: dim, keepDim: keepDim)
      case .mean: return x.mean(dim: dim, keepDim: keepDim)
      case .var: return x.var(dim: dim, keepDim: keepDim)
      case .varBiased: return x.var(dim: dim, keepDim: keepDim, unbiased: false)
      case .std: return x.std(dim: dim, keepDim: keepDim)
      case .stdBiased: return x.std(dim: dim, keepDim: keepDim, unbiased: false)
      case .max: return x.max(dim: dim, keepDim: keepDim).values
      case .min: return x.min(dim: dim, keepDim: keepDim).values
      case .norm2: return x.norm(dim: dim, keepDim: keepDim)
      case .norm1: return x.norm(p: 1, dim: dim, keepDim: keepDim)
      case .norm3: return x.norm(p: 3, dim: dim, keepDim: keepDim)
      }
    }

    func input(_ shape: [Int], seed: UInt64) -> Input {
      needsAwayFromZero ? .away(shape, seed: seed, margin: 0.1) : .randn(shape, seed: seed)
    }

    var kink: Kink? {
      if selects { return .ties }
      if needsAwayFromZero { return .atZero }
      return nil
    }
  }

  static func reductionCase(
    _ reduction: Reduction, _ shape: [Int], dim: Int?, keepDim: Bool, seed: UInt64
  ) -> Case {
    let over = dim.map { "over dim \($0), keepDim \(keepDim)" } ?? "of all elements"
    let name = "\(reduction.rawValue) of \(shape) \(over)"
    return Case(name, [reduction.input(shape, seed: seed)], kink: reduction.kink) {
      reduction.apply($0[0], dim: dim, keepDim: keepDim)
    }
  }

  static let reductionCases: [Case] = Reduction.allCases.enumerated().flatMap { r, reduction in
    let base = UInt64(2000 + 50 * r)
    var cases = [reductionCase(reduction, [2, 3, 4], dim: nil, keepDim: false, seed: base)]
    for (d, dim) in [0, 1, 2, -1, -2].enumerated() {
      for keepDim in [false, true] {
        let seed = base + 1 + UInt64(2 * d) + (keepDim ? 1 : 0)
        cases.append(reductionCase(reduction, [2, 3, 4], dim: dim, keepDim: keepDim, seed: seed))
      }
    }
    // Over a size-1 dimension. Not var and std: the variance of one element is 0 whatever
    // it is (unbiased, 0/0), and std = sqrt(var) has no derivative at 0.
    if ![.var, .varBiased, .std, .stdBiased].contains(reduction) {
      for keepDim in [false, true] {
        let seed = base + 20 + (keepDim ? 1 : 0)
        cases.append(reductionCase(reduction, [2, 1, 3], dim: 1, keepDim: keepDim, seed: seed))
      }
    }
    return cases
  }

  @Test(
    "reductions over one dim and over all, keepDim true and false",
    arguments: reductionCases)
  func reductionGradientsMatchFiniteDifferences(_ c: Case) { check(c) }

  static let multiDimReductionCases: [Case] = [
    Case("sum over dims [0,2], keepDim false", [.randn([2, 3, 4], seed: 3001)]) {
      $0[0].sum(dims: [0, 2])
    },
    Case("sum over dims [0,2], keepDim true", [.randn([2, 3, 4], seed: 3002)]) {
      $0[0].sum(dims: [0, 2], keepDim: true)
    },
    Case("sum over dims [-1,0], keepDim false", [.randn([2, 3, 4], seed: 3003)]) {
      $0[0].sum(dims: [-1, 0])
    },
    Case("sum over all dims [0,1,2], keepDim true", [.randn([2, 3, 4], seed: 3004)]) {
      $0[0].sum(dims: [0, 1, 2], keepDim: true)
    },
    Case("mean over dims [1,2], keepDim false", [.randn([2, 3, 4], seed: 3005)]) {
      $0[0].mean(dims: [1, 2])
    },
    Case("mean over dims [0,2], keepDim true", [.randn([2, 3, 4], seed: 3006)]) {
      $0[0].mean(dims: [0, 2], keepDim: true)
    },
    Case("mean over dims [0,-1] of a 4-d tensor", [.randn([2, 2, 3, 2], seed: 3007)]) {
      $0[0].mean(dims: [0, -1])
    },
    Case("sum of a 0-d tensor", [.randn([], seed: 3008)]) { $0[0].sum() },
    Case("sum over dim 0 of a 0-d tensor, keepDim true", [.randn([], seed: 3009)]) {
      $0[0].sum(dim: 0, keepDim: true)
    },
    Case("mean of a 0-d tensor", [.randn([], seed: 3010)]) { $0[0].mean() },
    Case("mean over dim -1 of a 0-d tensor", [.randn([], seed: 3011)]) {
      $0[0].mean(dim: -1)
    },
    Case("max of a 0-d tensor", [.randn([], seed: 3012)]) { $0[0].max() },
    Case("max over dim 0 of a 0-d tensor", [.randn([], seed: 3013)]) {
      $0[0].max(dim: 0).values
    },
    Case("min over dim 0 of a 0-d tensor, keepDim true", [.randn([], seed: 3014)]) {
      $0[0].min(dim: 0, keepDim: true).values
    },
    Case(
      "norm of a 0-d tensor away from 0", [.away([], seed: 3015, margin: 0.1)],
      kink: .atZero
    ) { $0[0].norm() },
    Case("sum of a transposed view over dim 0", [.randn([3, 4], seed: 3016)]) {
      $0[0].T.sum(dim: 0)
    },
    Case(
      "max over dim 1 of a strided slice", [.randn([4, 6], seed: 3017)],
      kink: .ties
    ) { $0[0][.all, .range(start: 1, end: nil, step: 2)].max(dim: 1).values },
    Case("var of a 1-d tensor", [.randn([7], seed: 3018)]) { $0[0].var() },
    Case("std over dim 0 of [5,2], keepDim true", [.randn([5, 2], seed: 3019)]) {
      $0[0].std(dim: 0, keepDim: true)
    },
  ]

  @Test(
    "reductions over several dims, 0-d tensors and views",
    arguments: multiDimReductionCases)
  func multiDimReductionGradientsMatchFiniteDifferences(_ c: Case) { check(c) }
}

// MARK: - Matrix products

extension GradientTests {
  static let matmulCases: [Case] = [
    Case("matmul [3,4]·[4,2]", [.randn([3, 4], seed: 4001), .randn([4, 2], seed: 4002)]) {
      $0[0].matmul($0[1])
    },
    Case(
      "matmul free function [2,3]·[3,3]",
      [.randn([2, 3], seed: 4003), .randn([3, 3], seed: 4004)]
    ) {
      matmul($0[0], $0[1])
    },
    Case(
      "transposed left operand a.T·b",
      [.randn([4, 3], seed: 4005), .randn([4, 2], seed: 4006)]
    ) {
      $0[0].T.matmul($0[1])
    },
    Case(
      "transposed right operand a·b.T",
      [.randn([3, 4], seed: 4007), .randn([2, 4], seed: 4008)]
    ) {
      $0[0].matmul($0[1].T)
    },
    Case(
      "both operands transposed a.T·b.T",
      [.randn([4, 3], seed: 4009), .randn([2, 4], seed: 4010)]
    ) {
      $0[0].T.matmul($0[1].T)
    },
    Case("matrix-vector [3,4]·[4]", [.randn([3, 4], seed: 4011), .randn([4], seed: 4012)]) {
      $0[0].matmul($0[1])
    },
    Case(
      "transposed matrix-vector [4,3].T·[4]",
      [.randn([4, 3], seed: 4013), .randn([4], seed: 4014)]
    ) {
      $0[0].T.matmul($0[1])
    },
    Case("vector-matrix [4]·[4,2]", [.randn([4], seed: 4015), .randn([4, 2], seed: 4016)]) {
      $0[0].matmul($0[1])
    },
    Case(
      "vector-vector [5]·[5] to a 0-d result",
      [.randn([5], seed: 4017), .randn([5], seed: 4018)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "outer-like product [3,1]·[1,4]",
      [.randn([3, 1], seed: 4019), .randn([1, 4], seed: 4020)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "inner-like product [1,4]·[4,1]",
      [.randn([1, 4], seed: 4021), .randn([4, 1], seed: 4022)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "batched [2,3,4]·[2,4,5]",
      [.randn([2, 3, 4], seed: 4023), .randn([2, 4, 5], seed: 4024)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "batched [2,3,4]·[4,5], right operand broadcast over the batch",
      [.randn([2, 3, 4], seed: 4025), .randn([4, 5], seed: 4026)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "2-D left operand broadcast over the batch [3,4]·[2,4,2]",
      [.randn([3, 4], seed: 4027), .randn([2, 4, 2], seed: 4028)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "broadcast batch dims [2,1,3,4]·[3,4,2]",
      [.randn([2, 1, 3, 4], seed: 4029), .randn([3, 4, 2], seed: 4030)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "batched with a transposed operand a.transpose(1,2)·b",
      [.randn([2, 4, 3], seed: 4031), .randn([2, 4, 2], seed: 4032)]
    ) {
      $0[0].transpose(1, 2).matmul($0[1])
    },
    Case(
      "batched with a transposed right operand a·b.transpose(-1,-2)",
      [.randn([2, 3, 4], seed: 4033), .randn([2, 5, 4], seed: 4034)]
    ) {
      $0[0].matmul($0[1].transpose(-1, -2))
    },
    Case(
      "batched matrix-vector [2,3,4]·[4]",
      [.randn([2, 3, 4], seed: 4035), .randn([4], seed: 4036)]
    ) {
      $0[0].matmul($0[1])
    },
    Case(
      "vector-batched [4]·[2,4,3]",
      [.randn([4], seed: 4037), .randn([2, 4, 3], seed: 4038)]
    ) {
      $0[0].matmul($0[1])
    },
    Case("same tensor twice x·x.T", [.randn([3, 4], seed: 4039)]) {
      $0[0].matmul($0[0].T)
    },
    Case("same tensor twice x.T·x", [.randn([3, 4], seed: 4040)]) {
      $0[0].T.matmul($0[0])
    },
    Case("square matrix squared x·x", [.randn([3, 3], seed: 4041)]) {
      $0[0].matmul($0[0])
    },
    Case(
      "row-strided slice x[::2]·b",
      [.randn([5, 4], seed: 4042), .randn([4, 2], seed: 4043)]
    ) {
      $0[0][.range(start: 0, end: nil, step: 2)].matmul($0[1])
    },
    Case(
      "column-strided slice x[:, 1::2]·b",
      [.randn([3, 6], seed: 4044), .randn([3, 2], seed: 4045)]
    ) {
      $0[0][.all, .range(start: 1, end: nil, step: 2)].matmul($0[1])
    },
    Case(
      "expanded left operand [1,4]→[3,4]·b",
      [.randn([1, 4], seed: 4046), .randn([4, 2], seed: 4047)]
    ) {
      $0[0].expand([3, 4]).matmul($0[1])
    },
    Case(
      "batched with a permuted batch dim [3,2,4]→[2,3,4]·[2,4,2]",
      [.randn([3, 2, 4], seed: 4048), .randn([2, 4, 2], seed: 4049)]
    ) {
      $0[0].permute([1, 0, 2]).matmul($0[1])
    },
    Case(
      "batched left operand broadcast over a 4-d right [3,4]·[2,2,4,2]",
      [.randn([3, 4], seed: 4050), .randn([2, 2, 4, 2], seed: 4051)]
    ) {
      $0[0].matmul($0[1])
    },
    // From 32 rows, a product of a matrix with its own transpose takes the SYRK path with
    // the fused backward (G + Gᵀ)·A; these cases run it.
    Case("Gram product a·a.T of [40,3] (SYRK path)", [.randn([40, 3], seed: 4052)]) {
      $0[0].matmul($0[0].T)
    },
    Case(
      "Gram product of a transposed view: t·t.T with t = a.T, a of [3,36]",
      [.randn([3, 36], seed: 4053)]
    ) {
      let t = $0[0].T
      return t.matmul(t.T)
    },
    Case(
      "Gram product of computed rows, normalized: u·u.T (cosine similarity), [48,4]",
      [.randn([48, 4], seed: 4054)]
    ) {
      let u = $0[0] / $0[0].norm(dim: 1, keepDim: true)
      return u.matmul(u.T)
    },
    Case(
      "Gram product inside a larger graph: (a·a.T).triu(1).sum() + a.sum(), [33,5]",
      [.randn([33, 5], seed: 4055)]
    ) {
      $0[0].matmul($0[0].T).triu(diagonal: 1).sum() + $0[0].sum()
    },
    // The fused backward reads a gradient with a zero strict triangle in place (the
    // diagonal, when kept, added once more) and sums any other into one triangle first.
    Case(
      "Gram product's upper triangle with its diagonal: (a·a.T).triu(), [34,3]",
      [.randn([34, 3], seed: 4056)]
    ) {
      $0[0].matmul($0[0].T).triu()
    },
    Case(
      "Gram product's lower triangle with its diagonal: (a·a.T).tril(), [34,3]",
      [.randn([34, 3], seed: 4057)]
    ) {
      $0[0].matmul($0[0].T).tril()
    },
    Case(
      "Gram product's strict lower triangle: (a·a.T).tril(-1), [35,2]",
      [.randn([35, 2], seed: 4058)]
    ) {
      $0[0].matmul($0[0].T).tril(diagonal: -1)
    },
    Case(
      "Gram product summed whole (a broadcast gradient): (a·a.T).sum(), [33,3]",
      [.randn([33, 3], seed: 4059)]
    ) {
      $0[0].matmul($0[0].T).sum()
    },
  ]

  @Test("matrix products", arguments: matmulCases)
  func matmulGradientsMatchFiniteDifferences(_ c: Case) { check(c) }
}

// MARK: - Shapes, views and indexing

extension GradientTests {
  static let shapeCases: [Case] = [
    Case("transpose(0,1) of [2,3]", [.randn([2, 3], seed: 5001)]) { $0[0].transpose(0, 1) },
    Case("transpose(0,2) of [2,3,4]", [.randn([2, 3, 4], seed: 5002)]) {
      $0[0].transpose(0, 2)
    },
    Case("T of [2,3,4] reverses the dims", [.randn([2, 3, 4], seed: 5003)]) { $0[0].T },
    Case("permute [2,0,1]", [.randn([2, 3, 4], seed: 5004)]) { $0[0].permute([2, 0, 1]) },
    Case("reshape [2,3,4] to [4,6]", [.randn([2, 3, 4], seed: 5005)]) {
      $0[0].reshape([4, 6])
    },
    Case("reshape with an inferred -1", [.randn([2, 3, 4], seed: 5006)]) {
      $0[0].reshape([3, -1])
    },
    Case("reshape of a non-contiguous (transposed) view", [.randn([3, 4], seed: 5007)]) {
      $0[0].T.reshape([2, 6])
    },
    Case("view [6,4]", [.randn([2, 3, 4], seed: 5008)]) { $0[0].view([6, 4]) },
    Case("flatten of a permuted view", [.randn([2, 3, 4], seed: 5009)]) {
      $0[0].permute([1, 2, 0]).flatten()
    },
    Case("squeeze all size-1 dims of [1,3,1,2]", [.randn([1, 3, 1, 2], seed: 5010)]) {
      $0[0].squeeze()
    },
    Case("squeeze(2) of [1,3,1,2]", [.randn([1, 3, 1, 2], seed: 5011)]) { $0[0].squeeze(2) },
    Case("unsqueeze(1) then broadcast multiply", [.randn([2, 3], seed: 5012)]) {
      $0[0].unsqueeze(1) * $0[0].unsqueeze(0)
    },
    Case("unsqueeze(-1)", [.randn([2, 3], seed: 5013)]) { $0[0].unsqueeze(-1) },
    Case("expand [3,1] to [2,3,4]", [.randn([3, 1], seed: 5014)]) {
      $0[0].expand([2, 3, 4])
    },
    Case("expand with -1 keeping a dim", [.randn([1, 3], seed: 5015)]) {
      $0[0].expand([4, -1])
    },
    Case("expand a 0-d tensor to [2,3]", [.randn([], seed: 5022)]) {
      $0[0].expand([2, 3])
    },
    Case("expand(as:)", [.randn([4], seed: 5016)]) {
      $0[0].expand(as: Tensor.zeros([3, 4], dtype: .float64))
    },
    Case("contiguous of a permuted view", [.randn([2, 3, 4], seed: 5017)]) {
      $0[0].permute([2, 1, 0]).contiguous()
    },
    Case("reshape of a row slice (a view with an offset)", [.randn([4, 3], seed: 5018)]) {
      $0[0][1..<3].reshape([-1])
    },
    Case("flatten of a strided slice", [.randn([5, 3], seed: 5019)]) {
      $0[0][.range(start: 1, end: nil, step: 2)].flatten()
    },
    Case("unsqueeze(0) of a 0-d tensor", [.randn([], seed: 5020)]) {
      $0[0].unsqueeze(0) * Tensor([1.0, -2.0, 3.0])
    },
    Case("squeeze of [1,1] to a 0-d tensor", [.randn([1, 1], seed: 5021)]) {
      $0[0].squeeze().exp()
    },
  ]

  @Test("shape operations and views", arguments: shapeCases)
  func shapeGradientsMatchFiniteDifferences(_ c: Case) { check(c) }

  static let indexingCases: [Case] = [
    Case("x[1] of [3,4]", [.randn([3, 4], seed: 6001)]) { $0[0][1] },
    Case("x[-1] of [3,4]", [.randn([3, 4], seed: 6002)]) { $0[0][-1] },
    Case("x[1][2] to a 0-d tensor", [.randn([3, 4], seed: 6003)]) { $0[0][1][2] },
    Case("x[1..<3] of [4,3]", [.randn([4, 3], seed: 6004)]) { $0[0][1..<3] },
    Case("x[1...2, 1...] of [4,3]", [.randn([4, 3], seed: 6005)]) { $0[0][1...2, 1...] },
    Case("x[..<2] of [4,3]", [.randn([4, 3], seed: 6006)]) { $0[0][..<2] },
    Case("x[.all, 2] of [3,4]", [.randn([3, 4], seed: 6007)]) { $0[0][.all, 2] },
    Case("x[.ellipsis, 0] of [2,3,4]", [.randn([2, 3, 4], seed: 6008)]) {
      $0[0][.ellipsis, 0]
    },
    Case("x[0, .ellipsis, 1..<3] of [2,3,4]", [.randn([2, 3, 4], seed: 6009)]) {
      $0[0][0, .ellipsis, 1..<3]
    },
    Case("x[.newAxis] of [3,4]", [.randn([3, 4], seed: 6010)]) { $0[0][.newAxis] },
    Case("x[.all, .newAxis] broadcast against x", [.randn([3, 4], seed: 6011)]) {
      $0[0][.all, .newAxis] * $0[0]
    },
    Case("x[::2] of [5,3], rows with step 2", [.randn([5, 3], seed: 6012)]) {
      $0[0][.range(start: 0, end: nil, step: 2)]
    },
    Case("x[:, 1::2] of [3,6], columns with step 2", [.randn([3, 6], seed: 6013)]) {
      $0[0][.all, .range(start: 1, end: nil, step: 2)]
    },
    Case("x[1:5:3, ::2] of [6,5], steps on both dims", [.randn([6, 5], seed: 6014)]) {
      $0[0][.range(start: 1, end: 5, step: 3), .range(step: 2)]
    },
    Case("x[-3:] of [5,2], negative start", [.randn([5, 2], seed: 6015)]) {
      $0[0][.range(start: -3, end: nil, step: 1)]
    },
    Case("slice then slice x[1..<4][.all, 0..<2]", [.randn([5, 3], seed: 6016)]) {
      $0[0][1..<4][.all, 0..<2]
    },
    Case("advanced indexing x[rows, labels]", [.randn([3, 4], seed: 6017)]) {
      $0[0][Tensor.arange(3), Tensor([2, 0, 3])]
    },
    Case("advanced indexing with repeated rows accumulates", [.randn([3, 4], seed: 6018)]) {
      $0[0][Tensor([0, 2, 0, 0])]
    },
    Case("advanced indexing with repeated pairs", [.randn([3, 4], seed: 6019)]) {
      $0[0][Tensor([1, 1, 2, 1]), Tensor([3, 3, 0, 3])]
    },
    Case("advanced indexing with negative indices", [.randn([3, 4], seed: 6020)]) {
      $0[0][Tensor([-1, 0])]
    },
    Case("advanced indexing of columns x[.all, idx]", [.randn([3, 4], seed: 6021)]) {
      $0[0][.all, Tensor([3, 1, 1])]
    },
    Case("advanced indexing of the middle dim of [2,3,4]", [.randn([2, 3, 4], seed: 6022)]) {
      $0[0][.all, Tensor([2, 0]), .all]
    },
    Case(
      "advanced indexing of adjacent dims 1,2 of [2,3,4]",
      [.randn([2, 3, 4], seed: 6023)]
    ) {
      $0[0][.all, Tensor([2, 0, 2]), Tensor([1, 1, 3])]
    },
    Case(
      "advanced indexing of non-adjacent dims 0,2 of [2,3,4]",
      [.randn([2, 3, 4], seed: 6024)]
    ) {
      $0[0][Tensor([1, 0]), .all, Tensor([2, 3])]
    },
    Case("advanced indexing by a 2-D index tensor", [.randn([3, 4], seed: 6025)]) {
      $0[0][Tensor([0, 1, 2, 0], shape: [2, 2])]
    },
    Case("integer and index tensor x[0, idx]", [.randn([3, 4], seed: 6026)]) {
      $0[0][0, Tensor([2, 0, 2])]
    },
    Case("bool mask of the same shape", [.randn([3, 4], seed: 6027)]) {
      let mask = Tensor(
        [true, false, true, true, false, false, true, false, true, true, false, true],
        shape: [3, 4])
      return $0[0][mask]
    },
    Case("bool mask on the first dim", [.randn([3, 4], seed: 6028)]) {
      $0[0][Tensor([true, false, true])]
    },
    Case("bool mask on the last dim", [.randn([2, 3, 4], seed: 6029)]) {
      $0[0][.ellipsis, Tensor([false, true, true, false])]
    },
    Case("gather along dim 1 with repeats", [.randn([3, 4], seed: 6030)]) {
      $0[0].gather(dim: 1, index: Tensor([0, 0, 3, 1, 2, 2], shape: [3, 2]))
    },
    Case("gather along dim 0", [.randn([3, 4], seed: 6031)]) {
      $0[0].gather(dim: 0, index: Tensor([2, 1, 0, 0, 1, 1, 1, 2], shape: [2, 4]))
    },
    Case("gather along dim -1 of [2,3,4]", [.randn([2, 3, 4], seed: 6032)]) {
      $0[0].gather(dim: -1, index: Tensor([3, 0, 1, 1, 2, 2], shape: [2, 3, 1]))
    },
    Case("gather with an index smaller than the input", [.randn([3, 4], seed: 6034)]) {
      $0[0].gather(dim: 1, index: Tensor([1, 0, 3, 3], shape: [2, 2]))
    },
    Case("new axis and an index tensor x[.newAxis, idx]", [.randn([3, 4], seed: 6035)]) {
      $0[0][.newAxis, Tensor([0, 2])]
    },
    Case("2-D bool mask over the first two dims of [2,3,4]", [.randn([2, 3, 4], seed: 6036)]) {
      $0[0][Tensor([true, false, false, false, true, true], shape: [2, 3])]
    },
    Case("gather from a transposed view", [.randn([4, 3], seed: 6033)]) {
      $0[0].T.gather(dim: 1, index: Tensor([3, 0, 1, 1, 2, 0], shape: [3, 2]))
    },
  ]

  @Test("basic and advanced indexing, bool masks and gather", arguments: indexingCases)
  func indexingGradientsMatchFiniteDifferences(_ c: Case) { check(c) }

  static let joinCases: [Case] = [
    Case(
      "cat along dim 0 of [2,3], [1,3], [3,3]",
      [.randn([2, 3], seed: 7001), .randn([1, 3], seed: 7002), .randn([3, 3], seed: 7003)]
    ) {
      Tensor.cat([$0[0], $0[1], $0[2]], dim: 0)
    },
    Case(
      "cat along dim 1 of [2,3] and [2,1]",
      [.randn([2, 3], seed: 7004), .randn([2, 1], seed: 7005)]
    ) {
      Tensor.cat([$0[0], $0[1]], dim: 1)
    },
    Case(
      "cat free function along dim -1 of 3-d tensors",
      [.randn([2, 3, 2], seed: 7006), .randn([2, 3, 3], seed: 7007)]
    ) {
      cat([$0[0], $0[1]], dim: -1)
    },
    Case("cat of the same tensor twice", [.randn([2, 3], seed: 7008)]) {
      Tensor.cat([$0[0], $0[0]], dim: 1)
    },
    Case(
      "cat of a transposed view and a tensor",
      [.randn([3, 2], seed: 7009), .randn([1, 3], seed: 7010)]
    ) {
      Tensor.cat([$0[0].T, $0[1]])
    },
    Case("stack along dim 0", [.randn([2, 3], seed: 7011), .randn([2, 3], seed: 7012)]) {
      Tensor.stack([$0[0], $0[1]], dim: 0)
    },
    Case("stack along dim 1", [.randn([2, 3], seed: 7013), .randn([2, 3], seed: 7014)]) {
      Tensor.stack([$0[0], $0[1]], dim: 1)
    },
    Case(
      "stack free function along the new last dim 2",
      [.randn([2, 3], seed: 7015), .randn([2, 3], seed: 7016), .randn([2, 3], seed: 7017)]
    ) {
      stack([$0[0], $0[1], $0[2]], dim: 2)
    },
    Case("stack of 0-d tensors", [.randn([], seed: 7018), .randn([], seed: 7019)]) {
      Tensor.stack([$0[0], $0[1]])
    },
    Case("triu with diagonal 0", [.randn([3, 3], seed: 7020)]) { $0[0].triu() },
    Case("triu with diagonal 1", [.randn([3, 4], seed: 7021)]) { $0[0].triu(diagonal: 1) },
    Case("triu with diagonal -1", [.randn([3, 3], seed: 7022)]) { $0[0].triu(diagonal: -1) },
    Case("tril with diagonal 0", [.randn([3, 3], seed: 7023)]) { $0[0].tril() },
    Case("tril with diagonal 1", [.randn([3, 3], seed: 7024)]) { $0[0].tril(diagonal: 1) },
    Case("tril with diagonal -1 on a batch [2,3,3]", [.randn([2, 3, 3], seed: 7025)]) {
      $0[0].tril(diagonal: -1)
    },
    Case(
      "where with both sides requiring grad",
      [.randn([2, 3], seed: 7026), .randn([2, 3], seed: 7027)]
    ) {
      Tensor.where(Tensor([true, false, true, false, false, true], shape: [2, 3]), $0[0], $0[1])
    },
    Case(
      "where broadcasting a [3] and b [2,1] under a [2,3] condition",
      [.randn([3], seed: 7028), .randn([2, 1], seed: 7029)]
    ) {
      Tensor.where(Tensor([true, false, true, false, true, true], shape: [2, 3]), $0[0], $0[1])
    },
    Case(
      "where with a broadcast [3] condition and a 0-d b",
      [.randn([2, 3], seed: 7030), .randn([], seed: 7031)]
    ) {
      Tensor.where(Tensor([false, true, true]), $0[0], $0[1])
    },
    Case("maskedFill", [.randn([2, 3], seed: 7032)]) {
      $0[0].maskedFill(Tensor([true, false, false, false, true, false], shape: [2, 3]), -1)
    },
    Case("maskedFill with a broadcast [3] mask", [.randn([2, 3], seed: 7033)]) {
      $0[0].maskedFill(Tensor([false, true, false]), 5)
    },
  ]

  @Test("cat, stack, triu, tril, where and maskedFill", arguments: joinCases)
  func joinAndSelectGradientsMatchFiniteDifferences(_ c: Case) { check(c) }
}

// MARK: - Chains of operations and tensors used more than once

extension GradientTests {
  static let compositeCases: [Case] = [
    Case("x * x uses the same tensor twice", [.randn([2, 3], seed: 8001)]) { $0[0] * $0[0] },
    Case("x * x * x", [.randn([2, 3], seed: 8002)]) { $0[0] * $0[0] * $0[0] },
    Case("x + x.T broadcasts [3,1] with [1,3]", [.randn([3, 1], seed: 8036)]) {
      $0[0] + $0[0].T
    },
    Case("(x + y) * (x - y)", [.randn([2, 3], seed: 8003), .randn([3], seed: 8004)]) {
      ($0[0] + $0[1]) * ($0[0] - $0[1])
    },
    Case(
      "x / y then * x, both requiring grad",
      [.randn([2, 3], seed: 8005), .away([2, 3], seed: 8006, margin: 0.5)]
    ) {
      $0[0] / $0[1] * $0[0]
    },
    Case(
      "linear layer tanh(x·w + b).sum(dim: 1)",
      [.randn([4, 3], seed: 8007), .randn([3, 2], seed: 8008), .randn([2], seed: 8009)]
    ) {
      ($0[0].matmul($0[1]) + $0[2]).tanh().sum(dim: 1)
    },
    Case(
      "two-layer relu network relu(x·w1)·w2",
      [.randn([4, 3], seed: 8010), .randn([3, 5], seed: 8011), .randn([5, 2], seed: 8012)],
      kink: .measured { minAbs($0[0].matmul($0[1])) }
    ) { $0[0].matmul($0[1]).relu().matmul($0[2]) },
    Case(
      "softmax with the max subtracted", [.randn([3, 4], seed: 8013)],
      kink: .ties
    ) {
      let e = ($0[0] - $0[0].max(dim: 1, keepDim: true).values).exp()
      return e / e.sum(dim: 1, keepDim: true)
    },
    Case("cross-entropy through log-softmax and x[rows, labels]", [.randn([3, 5], seed: 8014)]) {
      let logits = $0[0]
      let logSumExp = logits.exp().sum(dim: 1, keepDim: true).log()
      let logProbs = logits - logSumExp
      return -logProbs[Tensor.arange(3), Tensor([4, 0, 2])].mean()
    },
    Case("layer norm over the last dim", [.randn([3, 4], seed: 8015)]) {
      let x = $0[0]
      let centered = x - x.mean(dim: -1, keepDim: true)
      return centered / (x.var(dim: -1, keepDim: true, unbiased: false) + 1e-5).sqrt()
    },
    Case("standardise with std over dim 0", [.randn([5, 3], seed: 8016)]) {
      ($0[0] - $0[0].mean(dim: 0)) / $0[0].std(dim: 0)
    },
    Case(
      "mean squared error ((p - t)^2).mean()",
      [.randn([4, 2], seed: 8017), .randn([4, 2], seed: 8018)]
    ) {
      ($0[0] - $0[1]).pow(2).mean()
    },
    Case("sigmoid 1 / (1 + exp(-x))", [.randn([2, 3], seed: 8019)]) {
      1 / (1 + (-$0[0]).exp())
    },
    Case("chain log1p(exp(sin(cos(x))))", [.randn([2, 3], seed: 8020)]) {
      $0[0].cos().sin().exp().log1p()
    },
    Case("row normalisation x / x.norm(dim: 1, keepDim: true)", [.randn([3, 4], seed: 8021)]) {
      $0[0] / $0[0].norm(dim: 1, keepDim: true)
    },
    Case(
      "broadcast sum then max over dim 0 of (a[3,1] + b[1,4])",
      [.randn([3, 1], seed: 8022), .randn([1, 4], seed: 8023)],
      kink: .measured { minGap(($0[0] + $0[1]).flatten()) }
    ) { ($0[0] + $0[1]).max(dim: 0).values },
    Case("0-d scale s * x + exp(s)", [.randn([], seed: 8024), .randn([2, 3], seed: 8025)]) {
      $0[0] * $0[1] + $0[0].exp()
    },
    Case(
      "leaky relu via where(x > 0, x, 0.1 * x)", [.away([3, 4], seed: 8026, margin: 0.1)],
      kink: .atZero
    ) { Tensor.where($0[0] .> 0, $0[0], 0.1 * $0[0]) },
    Case(
      "clamp inside a chain (x * 2).clamp(min: -1, max: 1).exp()",
      [.values([-1.2, -0.3, 0.2, 0.8, 0.05, -0.7], shape: [2, 3])],
      kink: .at([-0.5, 0.5])
    ) { ($0[0] * 2).clamp(min: -1, max: 1).exp() },
    Case(
      "scaled dot-product attention on a batch",
      [
        .randn([2, 3, 4], seed: 8027), .randn([2, 3, 4], seed: 8028),
        .randn([2, 3, 2], seed: 8029),
      ]
    ) {
      let scores = $0[0].matmul($0[1].transpose(-1, -2)) / 2
      let e = scores.exp()
      return (e / e.sum(dim: -1, keepDim: true)).matmul($0[2])
    },
    Case(
      "pow(Tensor) with both base and exponent requiring grad in a chain",
      [.positive([2, 3], seed: 8030, margin: 0.5), .randn([3], seed: 8031)]
    ) { ($0[0].pow($0[1]) + $0[0]).log() },
    Case(
      "abs then sum then sqrt",
      [.away([2, 3], seed: 8032, margin: 0.1)], kink: .atZero
    ) { $0[0].abs().sum(dim: 1).sqrt() },
    Case(
      "masked mean through a causal mask and maskedFill",
      [.randn([3, 3], seed: 8033)]
    ) {
      let causal = Tensor.ones([3, 3], dtype: .float64).triu(diagonal: 1) .== 1
      let e = $0[0].maskedFill(causal, -1e9).exp()
      return e / e.sum(dim: 1, keepDim: true)
    },
    Case(
      "stacked slices recombined",
      [.randn([4, 3], seed: 8034)]
    ) {
      let x = $0[0]
      return Tensor.stack([x[0] * x[1], x[2] - x[3], x[.all, 1][1..<4]]).sum(dim: 0)
    },
    Case(
      "minimum and maximum of tensors derived from one input",
      // x and 0.5x + 0.3 tie at x = 0.6.
      [.randn([2, 3], seed: 8035)], kink: .at([0.6])
    ) {
      let x = $0[0]
      return x.maximum(x * 0.5 + 0.3) + Autograd.minimum(x, x * 0.5 + 0.3) * 2
    },
  ]

  @Test("chains of operations and reused tensors", arguments: compositeCases)
  func compositeGradientsMatchFiniteDifferences(_ c: Case) { check(c) }
}

// MARK: - The cases themselves

extension GradientTests {
  @Test func everySeededInputHasItsOwnSeed() {
    let all: [Case] =
      Self.unaryCases + Self.binaryCases + Self.scalarCases + Self.reductionCases
      + Self.multiDimReductionCases + Self.matmulCases + Self.shapeCases + Self.indexingCases
      + Self.joinCases + Self.compositeCases
    let seeds = all.flatMap { $0.inputs.compactMap(\.seed) }
    #expect(Set(seeds).count == seeds.count)
    let names = all.map(\.name)
    #expect(Set(names).count == names.count)
  }
}
