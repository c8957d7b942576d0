import Autograd
import Courseware

/// One case of a problem, defined once and used by both sides: the grader makes its inputs
/// from a seed and judges; the student's program runs its call. The call is written against a
/// problem's API protocol, so the same definition runs the student's functions in the
/// program and the reference (or a known mistake) in the grader.
public struct CaseSpec {
  /// How the case is judged.
  public enum Kind: String, Codable, Sendable {
    /// The student's functions run on the case's inputs; the outputs are judged.
    case run
    /// The student's source is checked (e.g. for loops); nothing runs.
    case source
    /// The problem's own report (figures and plots for the feedback); not judged.
    case report
  }

  /// The case id, e.g. `p2.loss`; the rubric gives it points.
  public let id: String
  /// How the case is judged.
  public let kind: Kind
  /// For source cases: the functions examined.
  public let functions: [String]
  /// Whether the grader's measured time of the call is judged.
  public let timed: Bool
  /// The inputs, made from the case's seed (in the grader only).
  public let inputs: (inout CaseRandom) -> Values
  /// Calls the functions under test on the inputs and returns their raw outputs.
  public let run: (CaseInputs) -> Values
  /// The verdict on the student's outputs (in the grader only).
  public let judge: (JudgeContext) throws -> Judgement

  /// A case whose outputs are judged.
  public init(
    _ id: String, timed: Bool = false, inputs: @escaping (inout CaseRandom) -> Values,
    run: @escaping (CaseInputs) -> Values, judge: @escaping (JudgeContext) throws -> Judgement
  ) {
    self.id = id
    self.kind = .run
    self.functions = []
    self.timed = timed
    self.inputs = inputs
    self.run = run
    self.judge = judge
  }

  /// A case judged on the source of `functions` (the grader does it; nothing runs).
  public static func source(_ id: String, functions: [String]) -> CaseSpec {
    CaseSpec(
      id: id, kind: .source, functions: functions, timed: false, inputs: { _ in [:] },
      run: { _ in [:] }, judge: { _ in .pass() })
  }

  /// The problem's report, run for the feedback's figures: its JSON under `json` and each
  /// SVG plot under `svg:<file name>`.
  public static func report(_ make: @escaping (UInt64) -> Report) -> CaseSpec {
    CaseSpec(
      id: "report", kind: .report, functions: [], timed: false,
      inputs: { random in ["seed": .number(Double(random.next() % 1000))] },
      run: { inputs in
        let report = make(UInt64(inputs.number("seed")))
        var values: Values = ["json": .text(report.json.text)]
        for (name, svg) in report.svgFiles() { values["svg:" + name] = .text(svg) }
        return values
      }, judge: { _ in .pass() })
  }

  private init(
    id: String, kind: Kind, functions: [String], timed: Bool,
    inputs: @escaping (inout CaseRandom) -> Values, run: @escaping (CaseInputs) -> Values,
    judge: @escaping (JudgeContext) throws -> Judgement
  ) {
    self.id = id
    self.kind = kind
    self.functions = functions
    self.timed = timed
    self.inputs = inputs
    self.run = run
    self.judge = judge
  }
}

/// The inputs of one call, read as fresh tensors (each read is a new tensor, so nothing one
/// call does to its arguments reaches another).
public struct CaseInputs {
  /// The raw values.
  public let values: Values

  /// Wraps values.
  public init(_ values: Values) { self.values = values }

  /// The tensor `name`, in its own element type (Float64 when absent: the case is broken).
  public func tensor(_ name: String) -> Tensor {
    values[name]?.tensor ?? Tensor.zeros([0], dtype: .float64)
  }

  /// The number `name` (0 when absent).
  public func number(_ name: String) -> Double {
    if case .number(let x)? = values[name] { return x }
    return 0
  }
}

/// Seeded randomness for a case's inputs.
public struct CaseRandom {
  /// The generator.
  public var generator: Generator

  /// Randomness from `seed`.
  public init(seed: UInt64) { generator = Generator(seed: seed) }

  /// The next raw 64 bits.
  public mutating func next() -> UInt64 { generator.next() }

  /// A Float64 tensor N(0, 1)·scale + shift.
  public mutating func normal(_ shape: [Int], scale: Double = 1, shift: Double = 0) -> Value {
    .of(Tensor.randn(shape, dtype: .float64, generator: &generator) * scale + shift)
  }

  /// A Float64 tensor uniform in [low, high).
  public mutating func uniform(_ shape: [Int], _ low: Double, _ high: Double) -> Value {
    .of(Tensor.rand(shape, dtype: .float64, generator: &generator) * (high - low) + low)
  }

  /// Int64 labels in 0..<classes.
  public mutating func labels(_ n: Int, classes: Int) -> Value {
    .of(Tensor.randint(0, classes, [n], generator: &generator))
  }

  /// A random permutation of 0..<n (int64).
  public mutating func permutation(_ n: Int) -> Value {
    .of(Tensor.randperm(n, generator: &generator))
  }

  /// A whole number in range.
  public mutating func integer(_ range: ClosedRange<Int>) -> Int {
    generator.nextInt(range.lowerBound, range.upperBound + 1)
  }
}
