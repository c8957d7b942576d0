import Foundation
import GradeProtocol
import Testing

@testable import GraderCore

/// The grader's side of a judge session, against stand-in judges written as shell scripts:
/// answers are read past anything else the judge prints, and a judge that fails, stops or
/// hangs is the grader's error, naming the problem and the reason.
@Suite struct JudgeSessionTests {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("judge-session-\(UUID().uuidString)")

  /// A session with a judge whose every command runs `script` (the command's words are `$1`
  /// to `$3`).
  func session(_ script: String, timeout: Double = 30, scratch: URL? = nil) throws
    -> JudgeSession
  {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let program = folder.appendingPathComponent("judge")
    let text = """
      #!/bin/sh
      while IFS="$(printf '\\t')" read -r command job out; do
        set -- "$command" "$job" "$out"
      \(script)
      done
      """
    try text.write(to: program, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
    if let scratch {
      try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }
    return try JudgeSession(
      program: program, problem: "Problem9", scratch: scratch ?? folder, timeout: timeout)
  }

  let job = JudgeJob(id: "p9.case", seed: 1, outputs: [], seconds: nil, threshold: nil)

  func reason(_ body: () throws -> Void) -> String? {
    do {
      try body()
    } catch GraderError.judgeFailed(let problem, let reason) {
      #expect(problem == "Problem9")
      return reason
    } catch {
      Issue.record("unexpected error \(error)")
    }
    return nil
  }

  @Test func answersAreReadPastWhatTheJudgePrints() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let judgement = #"[{"id":"p9.case","judgement":{"outcome":"passed"}}]"#
    let judge = try session(
      """
        echo "training: epoch 1"
        printf '%s' '\(judgement)' > "$3"
        echo "\(JudgeProgram.replyOK)"
      """)
    // Two commands in one process: the session stays open between them.
    for _ in 0..<2 {
      let found = try judge.judge([job])
      #expect(found["p9.case"]?.outcome == .passed)
    }
    judge.close()
  }

  @Test func aCommandTheJudgeRefusesNamesItsReason() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let judge = try session(#"  echo "\#(JudgeProgram.replyError)no case p9.case is defined""#)
    #expect(reason { _ = try judge.judge([job]) } == "no case p9.case is defined")
  }

  @Test func aJudgeThatStopsIsReportedWithWhatItSaid() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let judge = try session(#"  echo "judge: out of memory" >&2; exit 3"#)
    #expect(reason { _ = try judge.judge([job]) }?.contains("judge: out of memory") == true)
  }

  @Test func aJudgeThatHangsIsStoppedAtTheTimeout() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    // `exec`: the judge is one process, as a real judge program is.
    let judge = try session("  exec sleep 60", timeout: 1)
    let start = Date()
    #expect(reason { _ = try judge.judge([job]) } == "it ran for over 1 s")
    #expect(Date().timeIntervalSince(start) < 30)
    judge.close()
  }

  @Test func aPathThatCannotBeSentIsRefused() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let judge = try session(
      #"  echo "\#(JudgeProgram.replyOK)""#, scratch: folder.appendingPathComponent("a\tb"))
    #expect(reason { _ = try judge.judge([job]) }?.contains("holds a tab or line break") == true)
    judge.close()
  }

  @Test func aJudgeThatCannotStartIsNamed() throws {
    let missing = folder.appendingPathComponent("no-such-judge")
    var reason: String?
    do {
      _ = try JudgeSession(program: missing, problem: "Problem9", scratch: folder)
    } catch GraderError.judgeFailed(let problem, let why) {
      #expect(problem == "Problem9")
      reason = why
    }
    #expect(reason?.hasPrefix("it could not start") == true)
  }

  @Test func aJudgeThatExitsBeforeReadingIsNamed() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let program = folder.appendingPathComponent("judge")
    try "#!/bin/sh\necho 'judge: cannot load its library' >&2\nexit 127\n".write(
      to: program, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
    let judge = try JudgeSession(program: program, problem: "Problem9", scratch: folder)
    // Long enough for the judge to have exited, so that the command meets a closed pipe.
    Thread.sleep(forTimeInterval: 0.3)
    let found = reason { _ = try judge.judge([job]) }
    #expect(found?.contains("cannot load its library") == true)
    judge.close()
  }
}
