import GradeProtocol
import Testing

/// The judge runs a case's reference only when the case's judge (or the diagnosis of a
/// failure) reads it, and a timed case's reference exactly once, timed.
@Suite struct JudgeReferenceTests {
  /// Counts the reference's runs.
  final class Runs {
    var count = 0
  }

  /// A case whose outputs are `{"x": value}` and whose reference answers `x = 1`.
  func spec(
    _ id: String = "t.case", timed: Bool = false, runs: Runs,
    judge: @escaping (JudgeContext) throws -> Judgement
  ) -> CaseSpec {
    CaseSpec(
      id, timed: timed, inputs: { _ in [:] },
      run: { _ in
        runs.count += 1
        return ["x": .number(1)]
      }, judge: judge)
  }

  func job(_ x: Double, id: String = "t.case", seconds: Double? = nil) -> JudgeJob {
    JudgeJob(
      id: id, seed: 7, outputs: ValueCoding.encode(["x": .number(x)]), seconds: seconds,
      threshold: nil)
  }

  /// Passes when the student's x is at most 2 on its own; otherwise compares with the
  /// reference's x.
  func bounded(_ c: JudgeContext) throws -> Judgement {
    let mine = try c.number("x")
    if mine <= 2 { return .pass() }
    return mine <= 2 * (try c.expectedNumber("x")) ? .pass() : .fail("x too large")
  }

  @Test func aBoundThatDecidesAloneNeverRunsTheReference() throws {
    let runs = Runs()
    let found = try JudgeProgram.judge(
      job(1.5), reference: [spec(runs: runs, judge: bounded)], mistakes: [])
    #expect(found.outcome == .passed)
    #expect(runs.count == 0)
  }

  @Test func theReferenceRunsOnceHoweverOftenItIsRead() throws {
    let runs = Runs()
    let found = try JudgeProgram.judge(
      job(1),
      reference: [
        spec(runs: runs) { c in
          try c.matches("x", tolerance: 1e-12, what: "x")
          _ = c.reference["x"]
          return .pass()
        }
      ],
      mistakes: [])
    #expect(found.outcome == .passed)
    #expect(runs.count == 1)
  }

  @Test func aFailureIsDiagnosedWithTheOneReferenceRun() throws {
    let runs = Runs()
    let wrongRuns = Runs()
    let mistake = Mistake(
      "t.triple", "x is tripled",
      cases: [
        CaseSpec(
          "t.case", inputs: { _ in [:] },
          run: { _ in
            wrongRuns.count += 1
            return ["x": .number(3)]
          }, judge: { _ in .pass() })
      ])
    let found = try JudgeProgram.judge(
      job(3), reference: [spec(runs: runs, judge: bounded)], mistakes: [mistake])
    #expect(found.outcome == .failed)
    #expect(found.diagnosis?.mistake == "t.triple")
    #expect(runs.count == 1)
    #expect(wrongRuns.count == 1)
  }

  @Test func aTimedCaseTimesItsReferenceOnce() throws {
    let runs = Runs()
    let found = try JudgeProgram.judge(
      job(1, seconds: 0.25),
      reference: [
        spec(timed: true, runs: runs) { c in
          guard let mine = c.seconds, let theirs = c.referenceSeconds, theirs >= 0 else {
            return .invalid("not timed")
          }
          try c.matches("x", tolerance: 1e-12, what: "x")
          return .pass(measured: "\(mine)")
        }
      ],
      mistakes: [])
    #expect(found.outcome == .passed)
    #expect(found.measured == "0.25")
    #expect(runs.count == 1)
  }

  /// A session judges with the inputs it made for the same case and seed instead of making
  /// them again.
  @Test func inputsAlreadyMadeAreNotMadeAgain() throws {
    let runs = Runs()
    let made = Runs()
    let spec = CaseSpec(
      "t.case",
      inputs: { _ in
        made.count += 1
        return ["n": .number(2)]
      },
      run: { i in
        runs.count += 1
        return ["x": .number(i.number("n"))]
      },
      judge: { c in
        try c.matches("x", tolerance: 1e-12, what: "x")
        return .pass()
      })
    let given = try JudgeProgram.judge(
      job(5), reference: [spec], mistakes: [], inputs: ["n": .number(5)])
    #expect(given.outcome == .passed)
    #expect(made.count == 0)
    let remade = try JudgeProgram.judge(job(5), reference: [spec], mistakes: [])
    #expect(remade.outcome == .failed)
    #expect(made.count == 1)
  }
}
