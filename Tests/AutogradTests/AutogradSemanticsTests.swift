import Autograd
import AutogradTestSupport
import Foundation
import Testing

@Test func backwardFillsGradOfLetLeaf() {
  let w = Tensor([1, 2, 3] as [Double], requiresGrad: true)
  let loss = (w * w).sum()  // d/dw = 2w
  loss.backward()
  #expect(w.grad?.toArray() == [2, 4, 6])
  #expect(w.isLeaf)
  #expect(!loss.isLeaf)
}

@Test func gradientsAccumulateOverTwoBackwardCalls() {
  let w = Tensor([1, -2] as [Double], requiresGrad: true)
  (3 * w).sum().backward()
  (w * w).sum().backward()
  // 3 + 2w
  #expect(w.grad?.toArray() == [5, -1])
}

@Test func zeroGradKeepsATensorOfZeros() {
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  (w * 5).sum().backward()
  w.zeroGrad()
  #expect(w.grad?.toArray() == [0, 0])
  (w * 5).sum().backward()
  #expect(w.grad?.toArray() == [5, 5])
}

@Test func gradientsOfSeparateLeavesDoNotShareStorage() {
  // One upstream gradient flows unchanged to both operands of an add.
  let a = Tensor([1, 2] as [Double], requiresGrad: true)
  let b = Tensor([3, 4] as [Double], requiresGrad: true)
  (a + b).sum().backward()
  noGrad { a.grad!.fill(7) }
  #expect(b.grad?.toArray() == [1, 1])
}

@Test func noGradRecordsNothing() {
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  let y = noGrad { w * 2 }
  #expect(!y.requiresGrad)
  #expect(y.isLeaf)
  #expect(GradMode.isEnabled)
  let z = noGrad { enableGrad { w * 2 } }
  #expect(z.requiresGrad)
}

@Test func noGradWorksAcrossAwait() async {
  let w = Tensor([1] as [Double], requiresGrad: true)
  let y = await noGrad {
    await Task.yield()
    return w * 2
  }
  #expect(!y.requiresGrad)
}

@Test func gradModeIsPerTask() async {
  let w = Tensor([1] as [Double], requiresGrad: true)
  // A noGrad scope in one task does not leak into a task started elsewhere.
  let outside = Task { GradMode.isEnabled }
  let inside = noGrad { GradMode.isEnabled }
  #expect(await outside.value)
  #expect(!inside)
  #expect((w * 2).requiresGrad)
}

@Test func detachSharesStorageButNotHistory() {
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  let y = w * 3
  let d = y.detach()
  #expect(!d.requiresGrad)
  #expect(d.isLeaf)
  d += 1
  #expect(y.toArray() == [4, 7])
  // Gradient stops at the detached tensor.
  let loss = (d * w).sum()
  loss.backward()
  #expect(w.grad?.toArray() == [4, 7])
}

@Test func retainGraphAllowsASecondBackward() {
  let w = Tensor([2] as [Double], requiresGrad: true)
  let loss = (w * w * w).sum()  // 3w² = 12
  loss.backward(retainGraph: true)
  loss.backward()
  #expect(w.grad?.toArray() == [24])
}

@Test func retainGradKeepsNonLeafGradient() {
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  let h = w * 3
  h.retainGrad()
  let other = w * 4
  (h * h).sum().backward()
  // d/dh (h²) = 2h = [6, 12]
  #expect(h.grad?.toArray() == [6, 12])
  #expect(other.grad == nil)
  #expect(w.grad?.toArray() == [18, 36])
}

@Test func inPlaceUpdateInsideNoGradChangesParameter() {
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  (w * w).sum().backward()
  noGrad {
    w -= 0.5 * w.grad!
    w.zeroGrad()
  }
  #expect(w.toArray() == [0, 0])
  #expect(w.requiresGrad)
  #expect(w.isLeaf)
  #expect(w.grad?.toArray() == [0, 0])
}

@Test func inPlaceScalarOperatorsAndSubscriptUpdates() {
  let w = Tensor([1, 2, 3, 4] as [Double], shape: [2, 2], requiresGrad: true)
  noGrad {
    w *= 2
    w += 1
    w[0, 1] += 0.5
    w[1] = Tensor([0, 0] as [Double])
  }
  #expect(w.toArray() == [3, 5.5, 0, 0])
}

@Test func inPlaceOnTensorsWithoutGradIsAllowedAnywhere() {
  let x = Tensor.zeros([3], dtype: .float64)
  x += Tensor([1, 2, 3] as [Double])
  x.zero()
  #expect(x.toArray() == [0, 0, 0])
}

@Test func modifyingASavedTensorBeforeBackwardIsDetected() async throws {
  let result = try #require(
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let w = Tensor([1, 2] as [Double], requiresGrad: true)
      let loss = (w * w).sum()
      noGrad { w -= 1 }
      loss.backward()
    })
  let stderr = String(decoding: result.standardErrorContent, as: UTF8.self)
  #expect(stderr.contains("backward: a tensor needed by MulBackward was modified by an in-place"))
}

@Test func graphIsReleasedAfterBackward() {
  weak var intermediate: Tensor?
  let w = Tensor([1, 2] as [Double], requiresGrad: true)
  var loss: Tensor? = nil
  do {
    let h = w * 3
    intermediate = h
    loss = (h * h).sum()
  }
  #expect(intermediate != nil)  // held by the graph until backward
  loss!.backward()
  #expect(intermediate == nil)
  #expect(loss!.gradFnName == "SumBackward")
}

@Test func hundredThousandOpChainBackwardAndTeardownDoNotOverflow() {
  let w = Tensor([1] as [Double], requiresGrad: true)
  var y = w
  for _ in 0..<100_000 { y = y * 1.0 + 0.0 }
  y.sum().backward()
  #expect(w.grad?.toArray() == [1])
  // A chain dropped without backward is torn down iteratively too.
  var z: Tensor? = w
  for _ in 0..<100_000 { z = z! + 1.0 }
  z = nil
  #expect(z == nil)
}

/// Resident memory of this process in bytes, from /proc.
private func residentBytes() -> Int {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
    let pages = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
  else { return 0 }
  return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Trains a small linear model for 10,000 steps and returns how much resident memory grew.
private func residentGrowthOverTrainingSteps() -> (growth: Int, loss: Double) {
  var generator = Generator(seed: 3)
  let x = Tensor.randn([64, 8], generator: &generator)
  let y = Tensor.randn([64, 1], generator: &generator)
  let w = Tensor.zeros([8, 1], requiresGrad: true)
  let b = Tensor.zeros([1], requiresGrad: true)
  func step() -> Double {
    let loss = ((x.matmul(w) + b - y).pow(2)).mean()
    loss.backward()
    noGrad {
      w -= 0.01 * w.grad!
      b -= 0.01 * b.grad!
      w.zeroGrad()
      b.zeroGrad()
    }
    return loss.item()
  }
  for _ in 0..<1_000 { _ = step() }  // warm up allocator caches
  let before = residentBytes()
  var last = 0.0
  for _ in 0..<10_000 { last = step() }
  return (residentBytes() - before, last)
}

@Test func memoryStaysFlatOverTenThousandTrainingSteps() async {
  // Measured in a child process of its own: tests running in parallel in this process
  // would move its resident size.
  await #expect(processExitsWith: .success) {
    let (growth, loss) = residentGrowthOverTrainingSteps()
    // A graph leaked per step would hold at least the 64×8 and 64×1 intermediates
    // (≈ 3 KB a step, 30 MB over 10,000 steps); 4 MB leaves room for allocator noise.
    if growth >= 4 << 20 || !loss.isFinite {
      print("resident memory grew by \(growth) bytes; final loss \(loss)")
      exit(1)
    }
  }
}
