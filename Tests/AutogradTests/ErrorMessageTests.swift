import Autograd
import Testing

// Misuse of the library stops the program with a message naming the operation, the shapes or
// types, and the caller's file and line. Each test runs the misuse in a child process (an
// exit test) and checks the text written to standard error. The misuse sits in ordinary
// functions below, because inside an exit test's closure `#line` names the macro's line.

private let matmulLine = #line + 3
private func matmulMismatch() {
  let a = Tensor.zeros([4, 3])
  _ = a.matmul(Tensor.zeros([4, 2]))
}

private let addLine = #line + 3
private func addMismatch() {
  let a = Tensor.zeros([4, 3])
  _ = a + Tensor.zeros([5])
}

private let backwardLine = #line + 3
private func backwardNonScalar() {
  let w = Tensor.ones([3], requiresGrad: true)
  (w * 2).backward()
}

private let secondBackwardLine = #line + 5
private func backwardTwice() {
  let w = Tensor.ones([3], requiresGrad: true)
  let loss = (w * w).sum()
  loss.backward()
  loss.backward()
}

private let inPlaceLine = #line + 3
private func inPlaceOutsideNoGrad() {
  let w = Tensor.ones([3], requiresGrad: true)
  w -= Tensor.ones([3])
}

private let indexLine = #line + 3
private func indexOutOfRange() {
  let x = Tensor.zeros([2, 3])
  _ = x[0, 5]
}

private let sumLine = #line + 2
private func sumBadDimension() {
  _ = Tensor.zeros([2, 3]).sum(dim: 2)
}

/// The message written to standard error by a trapping child.
private func message(_ result: ExitTest.Result) -> String {
  String(decoding: result.standardErrorContent, as: UTF8.self)
}

@Test func matmulInnerDimensionMismatchNamesShapesAndCaller() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      matmulMismatch()
    })
  #expect(
    message(result).contains(
      "matmul: shapes [4, 3] and [4, 2] cannot be multiplied (inner dimensions 3 ≠ 4) at "
        + "ErrorMessageTests.swift:\(matmulLine)"))
}

@Test func broadcastMismatchInAnOperatorNamesShapesAndCaller() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      addMismatch()
    })
  #expect(
    message(result).contains(
      "add: shapes [4, 3] and [5] cannot be broadcast together (sizes must match or be 1, "
        + "aligned from the last dimension) at ErrorMessageTests.swift:\(addLine)"))
}

@Test func backwardOnNonScalarExplainsWhat() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      backwardNonScalar()
    })
  #expect(
    message(result).contains(
      "backward: grad can be implicitly created only for scalar outputs; this tensor has "
        + "shape [3]; reduce it first (e.g. .sum() or .mean()) or pass a gradient at "
        + "ErrorMessageTests.swift:\(backwardLine)"))
}

@Test func backwardWithoutGradExplainsWhy() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let w = Tensor.ones([3])
      (w * 2).sum().backward()
    })
  #expect(message(result).contains("backward: this tensor does not require grad and has no gradFn"))
}

@Test func secondBackwardThroughFreedGraphIsAnError() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      backwardTwice()
    })
  #expect(
    message(result).contains(
      "backward: trying to backward through the graph a second time (through SumBackward)"))
  #expect(message(result).contains("Pass retainGraph: true"))
  #expect(message(result).contains("ErrorMessageTests.swift:\(secondBackwardLine)"))
}

@Test func inPlaceOnLeafOutsideNoGradIsAnError() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      inPlaceOutsideNoGrad()
    })
  #expect(
    message(result).contains(
      "-=: a leaf tensor that requires grad is being used in an in-place operation outside "
        + "noGrad; write the update inside noGrad { … } at ErrorMessageTests.swift:\(inPlaceLine)"))
}

@Test func inPlaceThatWouldChangeTheShapeIsAnError() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let x = Tensor.zeros([3])
      x += Tensor.zeros([2, 3])
    })
  #expect(
    message(result).contains(
      "+=: cannot update a tensor of shape [3] in place with one of shape [2, 3]"))
}

@Test func dtypeMismatchInMatmulNamesTypes() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 2]).matmul(Tensor.zeros([2, 2], dtype: .float64))
    })
  #expect(
    message(result).contains(
      "matmul: operands must be floating point of the same type, got float32 and float64"))
}

@Test func requiresGradOnIntegerTensorIsAnError() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([1, 2, 3]).requireGrad()
    })
  #expect(
    message(result).contains(
      "requiresGrad: only floating-point tensors can require gradients, this one is int64"))
}

@Test func unavailableDeviceSaysWhy() async throws {
  #expect(!Device.cuda.isAvailable)
  #expect(Device.cpu.isAvailable)
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2]).to(Device.cuda)
    })
  #expect(
    message(result).contains(
      "to: device cuda:0 is not available: this build of Autograd has no CUDA backend"))
}

@Test func indexOutOfRangeNamesDimensionAndSize() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      indexOutOfRange()
    })
  #expect(
    message(result).contains(
      "index: index 5 is out of bounds for dimension 1 with size 3 (tensor of shape [2, 3]) "
        + "at ErrorMessageTests.swift:\(indexLine)"))
}

@Test func reductionDimensionOutOfRange() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      sumBadDimension()
    })
  #expect(
    message(result).contains(
      "sum: dimension 2 is out of range for a tensor of shape [2, 3] (expected a value in "
        + "-2...1) at ErrorMessageTests.swift:\(sumLine)"))
}

@Test func reshapeToWrongCount() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).reshape([4, 2])
    })
  #expect(
    message(result).contains(
      "reshape: shape [4, 2] is invalid for a tensor of shape [2, 3] (6 elements)"))
}

@Test func itemOnManyElements() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).item()
    })
  #expect(
    message(result).contains(
      "item: only a tensor with one element can be converted to a number; this one has shape "
        + "[2, 3] (6 elements)"))
}

@Test func creationWithWrongElementCount() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor([1, 2, 3] as [Float], shape: [2, 2])
    })
  #expect(
    message(result).contains("Tensor: 3 elements cannot fill shape [2, 2] (which holds 4)"))
}
