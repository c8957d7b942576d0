import Foundation
import GradeModel
import GraderCore
import Testing

// Each attack is graded beside the same submission without the trick: no trick may earn a
// point above the honest score. The honest submissions here are unimplemented stubs (0) or
// a deliberately wrong function, so every forged point would show.

private func grade(_ folder: URL, _ problems: Set<Int>) throws -> GradeResult {
  defer { try? FileManager.default.removeItem(at: folder) }
  return try Grader(packageRoot: packageRoot).grade(
    GradeOptions(submission: folder.path, problems: problems))
}

@Test func declaringTheHarnessesNamesChangesNothing() throws {
  // A stub that declares every name the harness, the case model and the old probe used.
  let shadows = """
    import Autograd
    import GradeProtocol
    public enum Probe { public static func run(_ x: Any) {} }
    public struct Harness { public static func serve(_ x: Any) {} }
    public enum Cases { public static func all(_ x: Any) -> [Int] { [] } }
    public struct Student {}
    public struct Reference {}
    public protocol API {}
    public struct Date { public init() {} }
    public enum JudgeProgram {}
    public struct CaseSpec {}
    """
  let honest = try grade(try makeSubmission([1], stubs: true), [1])
  let attack = try grade(
    try makeSubmission([1], stubs: true, extra: [1: ["Shadows.swift": shadows]]), [1])
  #expect(points(honest, 1) == 0)
  #expect(points(attack, 1) == 0)
  for c in attack.problems[0].cases where c.id != "p1.no-loops" {
    #expect(c.verdict != .passed, "\(c.id) passed")
  }
}

@Test func writingFramesOnTheChannelIsTamperingAndEarnsNothing() throws {
  // standardize finds the channel (any descriptor that is a pipe other than 0–2), writes a
  // forged answer for its own case and for another, then returns zeros.
  let forge = """
    import Autograd
    import GradeProtocol
    #if canImport(Glibc)
      import Glibc
    #endif

    func forgeFrames() {
      for fd in Int32(3)...Int32(64) {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { continue }
        for id in ["p1.standardize", "p1.cosine", "p1.upper-mean"] {
          let frame = Frame.outputs(id: id, digest: 0, values: ValueCoding.encode([:]))
          FrameIO(fd: fd).write(frame)
          FrameIO(fd: fd).write(.ready)
        }
      }
    }
    """
  let folder = try makeSubmission([1], extra: [1: ["Forge.swift": forge]]) { _, source in
    source.replacingOccurrences(
      of: "  let mean = x.mean(dim: 0, keepDim: true)",
      with:
        "  forgeFrames()\n  return Tensor.zeros(like: x)\n  let mean = x.mean(dim: 0, keepDim: true)"
    )
  }
  let result = try grade(folder, [1])
  let v = verdicts(result, 1)
  #expect(v["p1.standardize"] != .passed)
  if case .failed(let reason)? = v["p1.standardize"] {
    #expect(reason.contains("tampering") || reason.contains("differs"), "\(reason)")
  }
}

@Test func reenteringTheHarnessWithFakeCasesEarnsNothing() throws {
  // The student's cosine similarity moves fd 1 and serves the grader itself with cases that
  // answer zeros for everything.
  let hijack = """
    import Autograd
    import GradeProtocol
    #if canImport(Glibc)
      import Glibc
    #endif

    func hijack() -> Never {
      let ids = ["p1.standardize", "p1.cosine", "p1.upper-mean", "p1.gradient", "p1.properties"]
      Harness.serve(ids.map { id in
        CaseSpec(id, inputs: { _ in [:] }, run: { _ in ["out": .number(0)] }, judge: { _ in .pass() })
      })
    }
    """
  let folder = try makeSubmission([1], stubs: true, extra: [1: ["Hijack.swift": hijack]]) {
    _, source in
    source.replacingOccurrences(
      of: "public func cosineSimilarity(_ x: Tensor) -> Tensor {\n",
      with: "public func cosineSimilarity(_ x: Tensor) -> Tensor {\n  hijack()\n")
  }
  let result = try grade(folder, [1])
  #expect(points(result, 1) == 0, "\(result.problems[0].cases.map { ($0.id, $0.verdict) })")
}

@Test func exitingAfterWritingAForgedAnswerEarnsNothing() throws {
  // An atexit handler writes a forged answer on every descriptor after the program exits
  // with status 0 in the middle of a case.
  let exitTrick = """
    import Autograd
    import GradeProtocol
    #if canImport(Glibc)
      import Glibc
    #endif

    func exitWithForgery() -> Never {
      atexit {
        for fd in Int32(3)...Int32(64) {
          let frame = Frame.outputs(id: "p2.loss", digest: 0, values: ValueCoding.encode(["loss": .number(1)]))
          FrameIO(fd: fd).write(frame)
        }
      }
      exit(0)
    }
    """
  let folder = try makeSubmission([2], stubs: true, extra: [2: ["Exit.swift": exitTrick]]) {
    _, source in
    source.replacingOccurrences(
      of:
        "public func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor {\n",
      with:
        "public func ridgeLoss(x: Tensor, y: Tensor, w: Tensor, b: Tensor, lambda: Double) -> Tensor {\n  exitWithForgery()\n"
    )
  }
  let result = try grade(folder, [2])
  #expect(points(result, 2) == 0, "\(result.problems[0].cases.map { ($0.id, $0.verdict) })")
}

@Test func aTimedShortcutFailsOnItsValue() throws {
  // similarityLoss answers the timed shape at once with a made-up number.
  let folder = try makeSubmission([1]) { _, source in
    source.replacingOccurrences(
      of: "public func similarityLoss(_ x: Tensor) -> Tensor {\n",
      with:
        "public func similarityLoss(_ x: Tensor) -> Tensor {\n  if x.shape == [4000, 256] { return (x * 0).sum() + 0.5 }\n"
    )
  }
  let result = try grade(folder, [1])
  #expect(verdicts(result, 1)["p1.speed"] != .passed)
}

@Test func aLoopMovedIntoAHelperIsStillALoop() throws {
  let folder = try makeSubmission([1]) { _, source in
    source.replacingOccurrences(
      of: "  let mean = x.mean(dim: 0, keepDim: true)  // [1, D], broadcast over the N rows",
      with: "  let mean = columnMeans(x)") + """

        func columnMeans(_ x: Tensor) -> Tensor {
          var rows: [Tensor] = []
          for i in 0..<x.shape[0] { rows.append(x[i]) }
          return Tensor.stack(rows).mean(dim: 0, keepDim: true)
        }
        """
  }
  let result = try grade(folder, [1])
  guard case .failed(let reason)? = verdicts(result, 1)["p1.no-loops"] else {
    Issue.record("no-loops: \(String(describing: verdicts(result, 1)["p1.no-loops"]))")
    return
  }
  #expect(reason.contains("columnMeans"))
}

@Test func trainingThatTrainsNothingEarnsNothing() throws {
  // trainRidge returns zeros with a perfect-looking loss history.
  let folder = try makeSubmission([2]) { _, source in
    source.replacingOccurrences(
      of: "  let d = data.x.shape[1]\n",
      with: """
          let d = data.x.shape[1]
          if d > 0 {
            var log = TrainingLog(enabled: true)
            for _ in 0..<20 { log.loss.append(0) }
            return RidgeRun(
              w: Tensor.zeros([d, 1], dtype: data.x.dtype), b: Tensor.zeros([1], dtype: data.x.dtype),
              log: log)
          }

        """)
  }
  let result = try grade(folder, [2])
  #expect(verdicts(result, 2)["p2.training"] != .passed)
}

@Test func aConstructorThatRunsBeforeMainEarnsNothing() throws {
  // Code placed in .init_array runs before the harness: it impersonates the harness on the
  // original descriptors, answering every request with the right digest and made-up values.
  let constructor = """
    import Autograd
    import GradeProtocol
    #if canImport(Glibc)
      import Glibc
    #endif

    @used @section(".init_array") let impersonate: @convention(c) () -> Void = {
      let channel = FrameIO(fd: 1)
      let requests = FrameIO(fd: 0)
      while true {
        channel.write(.ready)
        guard case .request(let id, let nonce, let inputs)? = requests.read() else { break }
        channel.write(.begin(id: id))
        let made: Values = ["out": .number(0.5), "loss": .number(0.5), "grad": .numbers([0])]
        channel.write(
          .outputs(
            id: id, digest: Frame.digest(nonce: nonce, inputs: inputs),
            values: ValueCoding.encode(made)))
      }
      exit(0)
    }
    """
  let honest = try grade(try makeSubmission([1], stubs: true), [1])
  let attack = try grade(
    try makeSubmission([1], stubs: true, extra: [1: ["Constructor.swift": constructor]]), [1])
  #expect(points(honest, 1) == 0)
  // Only the source check can pass (the stub has no loops, but it is not implemented).
  #expect(points(attack, 1) == 0, "\(attack.problems[0].cases.map { ($0.id, $0.verdict) })")
}
