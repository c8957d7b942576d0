import Autograd
import Courseware
import Foundation
import Problem1
import Problem3
import Testing

// The generated stubs build (this target links all five) and stop cleanly with
// "not implemented" naming the first task a run reaches. Problem 1 and 3 stand for the rest:
// each problem's module is imported only where its names do not clash.

@Test func untouchedStubStopsWithNotImplementedAndTheTask() async throws {
  let result = try #require(
    await #expect(
      processExitsWith: .exitCode(notImplementedExitStatus), observing: [\.standardErrorContent]
    ) {
      _ = Problem3.stableSigmoid(Tensor.zeros([2]))
    })
  let message = String(decoding: result.standardErrorContent, as: UTF8.self)
  #expect(message.hasPrefix("not implemented: Problem 3, task 1: numerically stable sigmoid ("))
  #expect(message.contains("Problem3.swift:"))
}

@Test func stubReportStopsAtTheFirstTaskItNeeds() async throws {
  let result = try #require(
    await #expect(
      processExitsWith: .exitCode(notImplementedExitStatus), observing: [\.standardErrorContent]
    ) {
      _ = Problem1.report(seed: 0, n: 10, d: 3)
    })
  let message = String(decoding: result.standardErrorContent, as: UTF8.self)
  #expect(
    message.hasPrefix("not implemented: Problem 1, task 3: backward and the checks on X.grad"))
}
