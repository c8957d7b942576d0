// Factories: tensors from Swift values, constant fills, ranges and random draws.

extension Tensor {
  /// Creates a tensor from elements in row-major order.
  ///
  /// The element type follows the array: `[Float]` gives `float32`, `[Double]` `float64`,
  /// `[Int]` `int64`, `[Bool]` `bool`. Without `shape` the tensor is 1-D.
  ///
  /// ```swift
  /// let x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
  /// let labels = Tensor([0, 2, 1])
  /// ```
  public convenience init<T: TensorElement>(
    _ elements: [T], shape: [Int]? = nil, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    let location = SourceLocation(file: file, line: line)
    let shape = shape ?? [elements.count]
    if shape.contains(where: { $0 < 0 }) {
      tensorError("Tensor", "shape \(describe(shape)) has a negative size", at: location)
    }
    guard Shape.count(shape) == elements.count else {
      tensorError(
        "Tensor",
        "\(elements.count) elements cannot fill shape \(describe(shape)) "
          + "(which holds \(Shape.count(shape)))", at: location)
    }
    self.init(uninitializedShape: shape, dtype: T.dtype)
    elements.withUnsafeBufferPointer { src in
      base(T.self).update(from: src.baseAddress!, count: elements.count)
    }
    if requiresGrad { setRequiresGrad(true, at: location) }
  }

  /// Creates a 2-D tensor from rows of equal length.
  public convenience init<T: TensorElement>(
    rows: [[T]], requiresGrad: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) {
    let width = rows.first?.count ?? 0
    if let bad = rows.firstIndex(where: { $0.count != width }) {
      tensorError(
        "Tensor", "row \(bad) has \(rows[bad].count) elements but row 0 has \(width)",
        at: SourceLocation(file: file, line: line))
    }
    self.init(
      rows.flatMap { $0 }, shape: [rows.count, width], requiresGrad: requiresGrad, file: file,
      line: line)
  }

  /// Creates a 2-D tensor from nested arrays, as `torch.tensor([[1, 2], [3, 4]])`.
  public convenience init<T: TensorElement>(
    _ rows: [[T]], requiresGrad: Bool = false, file: StaticString = #fileID, line: UInt = #line
  ) {
    self.init(rows: rows, requiresGrad: requiresGrad, file: file, line: line)
  }

  /// Creates a 0-d tensor holding one value.
  public convenience init(
    _ value: Double, dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) {
    self.init(uninitializedShape: [], dtype: dtype)
    fill(value)
    if requiresGrad { setRequiresGrad(true, at: SourceLocation(file: file, line: line)) }
  }

  static func checkedShape(_ op: String, _ shape: [Int], _ location: SourceLocation) {
    if shape.contains(where: { $0 < 0 }) {
      tensorError(op, "shape \(describe(shape)) has a negative size", at: location)
    }
  }

  /// A tensor of `shape` filled with `value`.
  public static func full(
    _ shape: [Int], _ value: Double, dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    checkedShape("full", shape, location)
    let t = Tensor(uninitializedShape: shape, dtype: dtype)
    t.fill(value)
    if requiresGrad { t.setRequiresGrad(true, at: location) }
    return t
  }

  /// A tensor of zeros.
  public static func zeros(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    full(shape, 0, dtype: dtype, requiresGrad: requiresGrad, file: file, line: line)
  }

  /// A tensor of ones.
  public static func ones(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    full(shape, 1, dtype: dtype, requiresGrad: requiresGrad, file: file, line: line)
  }

  /// Zeros with the shape and element type of `other`.
  public static func zeros(like other: Tensor, requiresGrad: Bool = false) -> Tensor {
    full(other.shape, 0, dtype: other.dtype, requiresGrad: requiresGrad)
  }

  /// Ones with the shape and element type of `other`.
  public static func ones(like other: Tensor, requiresGrad: Bool = false) -> Tensor {
    full(other.shape, 1, dtype: other.dtype, requiresGrad: requiresGrad)
  }

  /// The `n × m` identity matrix (`m` defaults to `n`).
  public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) -> Tensor {
    let cols = m ?? n
    let t = zeros([n, cols], dtype: dtype)
    for i in 0..<Swift.min(n, cols) { t.setElement(at: i * cols, to: 1) }
    return t
  }

  /// Integers `0, 1, …, end - 1` (`int64` unless `dtype` says otherwise).
  public static func arange(_ end: Int, dtype: DType = .int64) -> Tensor {
    arange(0, end, dtype: dtype)
  }

  /// Integers from `start` up to but excluding `end`, `step` apart.
  public static func arange(
    _ start: Int, _ end: Int, step: Int = 1, dtype: DType = .int64,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    guard step != 0 else {
      tensorError("arange", "step must be nonzero", at: SourceLocation(file: file, line: line))
    }
    let values = Array(stride(from: start, to: end, by: step))
    return Tensor(values).to(dtype)
  }

  /// Values from `start` up to but excluding `end`, `step` apart (`float32` by default).
  public static func arange(
    _ start: Double, _ end: Double, step: Double, dtype: DType = .float32,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    guard step != 0, step.isFinite else {
      tensorError(
        "arange", "step must be finite and nonzero", at: SourceLocation(file: file, line: line))
    }
    let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return Tensor((0..<n).map { start + Double($0) * step }).to(dtype)
  }

  /// `steps` values evenly spaced from `start` to `end`, both included.
  public static func linspace(
    _ start: Double, _ end: Double, steps: Int, dtype: DType = .float32
  ) -> Tensor {
    let values: [Double] =
      steps == 1
      ? [start]
      : (0..<Swift.max(steps, 0)).map { i in
        // Symmetric formula, as PyTorch uses, so the last value is exactly `end`.
        let step = (end - start) / Double(steps - 1)
        return i < steps / 2 ? start + step * Double(i) : end - step * Double(steps - 1 - i)
      }
    return Tensor(values).to(dtype)
  }

  // MARK: Random

  private static func random(
    _ shape: [Int], dtype: DType, requiresGrad: Bool, location: SourceLocation,
    _ draw: () -> Double
  ) -> Tensor {
    checkedShape("random", shape, location)
    let values = (0..<Shape.count(shape)).map { _ in draw() }
    let t = Tensor(values, shape: shape).to(dtype)
    if requiresGrad { t.setRequiresGrad(true, at: location) }
    return t
  }

  /// Standard normal samples drawn from `generator`.
  public static func randn(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    generator: inout Generator, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    random(shape, dtype: dtype, requiresGrad: requiresGrad, location: .init(file: file, line: line))
    { generator.nextNormal() }
  }

  /// Standard normal samples from the default generator (see ``manualSeed(_:)``).
  public static func randn(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    withDefaultGenerator { g in
      randn(shape, dtype: dtype, requiresGrad: requiresGrad, generator: &g, file: file, line: line)
    }
  }

  /// Uniform samples in [0, 1) drawn from `generator`.
  public static func rand(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    generator: inout Generator, file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    // A float32 draw takes 24 random bits so that rounding can never reach 1.0.
    random(shape, dtype: dtype, requiresGrad: requiresGrad, location: .init(file: file, line: line))
    { dtype == .float32 ? Double(generator.next() >> 40) * 0x1.0p-24 : generator.nextUniform() }
  }

  /// Uniform samples in [0, 1) from the default generator.
  public static func rand(
    _ shape: [Int], dtype: DType = .float32, requiresGrad: Bool = false,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    withDefaultGenerator { g in
      rand(shape, dtype: dtype, requiresGrad: requiresGrad, generator: &g, file: file, line: line)
    }
  }

  /// Uniform integers in `low..<high` drawn from `generator` (`int64`).
  public static func randint(
    _ low: Int, _ high: Int, _ shape: [Int], generator: inout Generator,
    file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    let location = SourceLocation(file: file, line: line)
    guard low < high else {
      tensorError("randint", "empty range \(low)..<\(high)", at: location)
    }
    checkedShape("randint", shape, location)
    return Tensor((0..<Shape.count(shape)).map { _ in generator.nextInt(low, high) }, shape: shape)
  }

  /// Uniform integers in `low..<high` from the default generator.
  public static func randint(
    _ low: Int, _ high: Int, _ shape: [Int], file: StaticString = #fileID, line: UInt = #line
  ) -> Tensor {
    withDefaultGenerator { g in randint(low, high, shape, generator: &g, file: file, line: line) }
  }

  /// A random permutation of `0..<n` drawn from `generator` (`int64`), by Fisher–Yates.
  public static func randperm(_ n: Int, generator: inout Generator) -> Tensor {
    var values = Array(0..<Swift.max(n, 0))
    if n > 1 {
      for i in stride(from: n - 1, to: 0, by: -1) {
        values.swapAt(i, generator.nextInt(0, i + 1))
      }
    }
    return Tensor(values)
  }

  /// A random permutation of `0..<n` from the default generator.
  public static func randperm(_ n: Int) -> Tensor {
    withDefaultGenerator { g in randperm(n, generator: &g) }
  }
}
