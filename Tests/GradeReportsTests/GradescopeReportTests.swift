import Foundation
import GradeModel
import GradeReports
import Testing

/// The JSON object of `text`.
private func object(_ text: String) throws -> [String: Any] {
  let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(value as? [String: Any])
}

/// `value` as a number.
private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

@Test func gradescopeIsValidJSONWithTheFields() throws {
  let json = try object(GradescopeReport.render(Fixtures.sample))
  #expect(number(json["score"]) == 3.5)
  #expect(number(json["max_score"]) == 40.5)
  #expect(number(json["execution_time"]) == 12.345)
  let output = try #require(json["output"] as? String)
  #expect(output.hasPrefix("alice_hw3 [v2]: 3.5 / 40.5 points (8.6%).\nIsolation: Sandboxed"))
  // The fixture's isolation has no whole-run bound, and the report must not claim one.
  #expect(output.contains("Limits per process only: 2048 MiB memory"))
  #expect(!output.contains("Limits per run"))
  #expect(output.contains("error: cannot find 'sigmoid' in scope"))
  #expect(json["output_format"] as? String == "text")
  #expect(json["test_output_format"] as? String == "text")

  let tests = try #require(json["tests"] as? [[String: Any]])
  let cases = Fixtures.sample.problems.flatMap { problem in problem.cases.map { (problem, $0) } }
  #expect(tests.count == cases.count)
  for (test, (problem, item)) in zip(tests, cases) {
    #expect(test["name"] as? String == "Problem \(problem.number): \(item.name)")
    #expect(number(test["score"]) == item.points)
    #expect(number(test["max_score"]) == item.maxPoints)
    #expect(test["status"] as? String == (item.verdict == .passed ? "passed" : "failed"))
    #expect(test["visibility"] as? String == item.visibility.rawValue)
    let output = try #require(test["output"] as? String)
    if item.visibility == .visible {
      #expect(output.hasPrefix(item.verdict.explanation))
    } else {
      #expect(output.hasSuffix("cases are not shown."))
    }
  }
  let gradient = try #require(tests.first { $0["name"] as? String == "Problem 1: gradient of `w`" })
  #expect(
    gradient["output"] as? String == """
      The gradient of w differs from finite differences by 0.5.
      Measured: dL/dw = 1.5 / expected: dL/dw = 1.0 (tolerance 1e-4)
      Hint: Check the sign of the residual *before* averaging.
      """)
}

@Test func gradescopeIsDeterministicWithSortedKeys() throws {
  let text = GradescopeReport.render(Fixtures.sample)
  #expect(text == GradescopeReport.render(Fixtures.sample))
  let keys = ["execution_time", "max_score", "output", "output_format", "score", "tests"]
  let positions = keys.map { text.range(of: "\n  \"\($0)\" : ")?.lowerBound }
  #expect(positions.allSatisfy { $0 != nil })
  #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
}

@Test func gradescopeStaysValidWithNonFiniteNumbersAndHostileText() throws {
  var result = Fixtures.hostile
  result.seconds = .infinity
  result.problems[0].cases[0].points = .nan
  result.problems[0].cases[1].verdict = .timedOut(limit: "wall-clock", seconds: .infinity)
  result.problems[0].cases[2].name = "quote \" backslash \\ nul \u{0} bell \u{7} \u{2028}"
  let json = try object(GradescopeReport.render(result))
  #expect(number(json["execution_time"]) == 0)
  let tests = try #require(json["tests"] as? [[String: Any]])
  #expect(number(tests[0]["score"]) == 0)
  #expect(tests[1]["output"] as? String == "Stopped by the wall-clock limit after ∞ s.")
  // Quotes and backslashes survive JSON; control characters show as their code points.
  #expect(
    tests[2]["name"] as? String
      == "Problem 1: quote \" backslash \\ nul \\u{0000} bell \\u{0007} \\u{2028}")
}

@Test func gradescopeCarriesEachProblemsTimingInExtraData() throws {
  // Without timings (the fixture has none), the key is absent.
  #expect(try object(GradescopeReport.render(Fixtures.sample))["extra_data"] == nil)
  var timed = Fixtures.sample
  timed.problems[0].timing = ProblemTiming(build: 1.23456, run: 0.5, judge: 0.25)
  let json = try object(GradescopeReport.render(timed))
  let extra = try #require(json["extra_data"] as? [String: Any])
  let timing = try #require(extra["timing"] as? [[String: Any]])
  // Only the problem that has a timing appears, rounded to milliseconds.
  #expect(timing.count == 1)
  #expect(number(timing[0]["problem"]) == Double(timed.problems[0].number))
  #expect(number(timing[0]["build_seconds"]) == 1.235)
  #expect(number(timing[0]["run_seconds"]) == 0.5)
  #expect(number(timing[0]["judge_seconds"]) == 0.25)
}
