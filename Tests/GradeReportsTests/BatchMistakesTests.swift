import GradeModel
import GradeReports
import Testing

/// The batch summary counts recognised mistakes by diagnosis: once per student, most
/// frequent first.
private func result(_ diagnoses: [String?]) -> GradeResult {
  let cases = diagnoses.enumerated().map { i, id in
    CaseResult(
      id: "p1.case\(i)", name: "case \(i)", visibility: .visible, points: 0, maxPoints: 1,
      verdict: .failed(reason: "wrong"),
      diagnosis: id.map { MistakeDiagnosis(id: $0, message: "message of \($0)", evidence: "e") })
  }
  return GradeResult(
    submission: "s",
    problems: [ProblemResult(number: 1, title: "One", status: .graded, cases: cases)],
    isolation: Isolation(
      sandboxed: false, description: "none",
      limits: Limits(
        wallSeconds: 1, cpuSeconds: 1, memoryMiB: 1, processes: 1, fileSizeMiB: 1, outputBytes: 1)
    ), publicOnly: false, seconds: 0)
}

@Test func mistakesAreCountedOncePerStudentMostFrequentFirst() {
  let entries = [
    // The same mistake in two cases of one student counts once.
    BatchEntry(student: "a", contentHash: "1", result: result(["p1.biased-std", "p1.biased-std"])),
    BatchEntry(
      student: "b", contentHash: "2", result: result(["p1.biased-std", "p1.no-centering"])),
    BatchEntry(student: "c", contentHash: "3", result: result([nil, "p1.biased-std"])),
    BatchEntry(student: "d", contentHash: "4", result: nil, error: "not gradable"),
  ]
  let counted = BatchSummary.mistakes(entries)
  #expect(counted.map(\.id) == ["p1.biased-std", "p1.no-centering"])
  #expect(counted.map(\.students) == [3, 1])
  let markdown = BatchSummary.markdown(entries)
  #expect(markdown.contains("## Mistakes recognised"))
  #expect(markdown.contains("- 3 students: `p1.biased-std` — message of p1.biased-std"))
  #expect(markdown.contains("- 1 student: `p1.no-centering` — message of p1.no-centering"))
}

@Test func noSectionWhenNoMistakeWasRecognised() {
  let entries = [BatchEntry(student: "a", contentHash: "1", result: result([nil]))]
  #expect(BatchSummary.mistakes(entries).isEmpty)
  #expect(!BatchSummary.markdown(entries).contains("Mistakes recognised"))
}
