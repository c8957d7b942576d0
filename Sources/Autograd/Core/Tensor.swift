/// An n-dimensional array with reverse-mode automatic differentiation, in the manner of
/// PyTorch's `torch.Tensor`.
///
/// `Tensor` is a class: a tensor declared with `let` still receives its gradient when
/// `backward()` runs, and in-place updates inside ``noGrad(_:)-4f3ae`` change it for every
/// holder, as in PyTorch.
///
/// ```swift
/// let w = Tensor.zeros([3, 1], requiresGrad: true)
/// let loss = ((x.matmul(w) - y).pow(2)).mean()
/// loss.backward()
/// noGrad { w -= 0.1 * w.grad! }
/// ```
///
/// The element type is a run-time ``DType``, so one function serves `float32` and `float64`.
/// Tensors are not `Sendable`: use each from one task at a time.
public final class Tensor {
  let storage: Storage
  /// The size of each dimension; `[]` for a 0-d (scalar) tensor.
  public let shape: [Int]
  /// Elements to skip along each dimension. Fresh contiguous tensors leave them to be
  /// computed on first use: most results of a training step are read only contiguously, and
  /// the array is one allocation fewer per operation.
  var strides: [Int] {
    if let storedStrides { return storedStrides }
    let computed = Shape.contiguousStrides(shape)
    storedStrides = computed
    return computed
  }
  private var storedStrides: [Int]?
  /// Whether the tensor was created contiguous (then ``isContiguous`` needs no strides).
  let createdContiguous: Bool
  let offset: Int

  /// Whether operations on this tensor are recorded for differentiation.
  ///
  /// Set it on leaves only (tensors you created); results of recorded operations require
  /// grad automatically. Only floating-point tensors can require grad.
  public var requiresGrad: Bool {
    get { _requiresGrad }
    set { setRequiresGrad(newValue, at: nil) }
  }
  var _requiresGrad = false

  /// The accumulated gradient of the last `backward()` calls with respect to this tensor.
  ///
  /// Filled for leaves that require grad and for non-leaves that called ``retainGrad()``.
  /// Each `backward()` adds to it; call ``zeroGrad()`` or set it to `nil` between steps.
  public var grad: Tensor?

  /// The operation that produced this tensor, when it was recorded for differentiation.
  var gradFn: Node?
  /// Whether ``retainGrad()`` was called.
  var retainsGrad = false

  init(storage: Storage, shape: [Int], strides: [Int], offset: Int) {
    self.storage = storage
    self.shape = shape
    self.storedStrides = strides
    self.offset = offset
    self.createdContiguous = false
  }

  /// Another tensor object over the same elements, laid out the same, outside the graph
  /// (`detach()`): a fresh contiguous tensor's view stays without a strides array too.
  init(sharing source: Tensor) {
    self.storage = source.storage
    self.shape = source.shape
    self.storedStrides = source.storedStrides
    self.offset = source.offset
    self.createdContiguous = source.createdContiguous
  }

  /// A fresh contiguous tensor owning new (uninitialized) storage.
  init(uninitializedShape shape: [Int], dtype: DType) {
    self.storage = Storage(dtype: dtype, count: Shape.count(shape))
    self.shape = shape
    self.storedStrides = nil
    self.offset = 0
    self.createdContiguous = true
  }

  /// The element type.
  public var dtype: DType { storage.dtype }
  /// The device holding the tensor's memory (always ``Device/cpu`` in this build).
  public var device: Device { .cpu }
  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Number of dimensions (PyTorch's `dim()`).
  public var ndim: Int { shape.count }
  /// Number of elements (PyTorch's `numel()`).
  public var count: Int { Shape.count(shape) }

  /// Number of elements, as PyTorch's `numel()`.
  public func numel() -> Int { count }

  /// The size of dimension `dim` (negative counts from the end), as PyTorch's `size(dim)`.
  public func size(_ dim: Int, file: StaticString = #fileID, line: UInt = #line) -> Int {
    guard let d = Shape.normalize(dim: dim, rank: rank), rank > 0 else {
      tensorError(
        "size", "dimension \(dim) is out of range for a tensor of shape \(describe(shape))",
        at: SourceLocation(file: file, line: line))
    }
    return shape[d]
  }

  /// Whether this tensor was created by the user rather than by a recorded operation.
  ///
  /// Tensors that do not require grad are leaves too, as in PyTorch.
  public var isLeaf: Bool { gradFn == nil }

  /// The name of the operation that produced this tensor (`MulBackward`), or `nil` for a leaf.
  public var gradFnName: String? { gradFn?.name }

  /// Whether the elements are laid out densely in row-major order.
  public var isContiguous: Bool {
    if createdContiguous { return true }
    var expected = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
      if strides[i] != expected { return false }
      expected &*= shape[i]
    }
    return true
  }

  /// A view of the same storage with another shape and strides, outside the graph.
  func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
    Tensor(storage: storage, shape: shape, strides: strides, offset: offset)
  }

  /// Pointer to the first element, typed.
  @inline(__always)
  func base<T>(_: T.Type) -> UnsafeMutablePointer<T> {
    storage.pointer(T.self) + offset
  }

  func setRequiresGrad(_ flag: Bool, at location: SourceLocation?) {
    if flag && !dtype.isFloatingPoint {
      tensorError(
        "requiresGrad",
        "only floating-point tensors can require gradients, this one is \(dtype)",
        at: location)
    }
    if !isLeaf && !flag {
      tensorError(
        "requiresGrad",
        "cannot turn off gradients of a non-leaf tensor (made by \(gradFn!.name)); "
          + "use detach() instead",
        at: location)
    }
    _requiresGrad = flag
  }

  /// Marks this leaf as requiring gradients and returns it, for chaining after a factory.
  ///
  /// ```swift
  /// let w = (0.01 * Tensor.randn([20, 5])).requireGrad()
  /// ```
  @discardableResult
  public func requireGrad(_ flag: Bool = true, file: StaticString = #fileID, line: UInt = #line)
    -> Tensor
  {
    setRequiresGrad(flag, at: SourceLocation(file: file, line: line))
    return self
  }
}
