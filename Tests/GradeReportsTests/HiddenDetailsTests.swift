import GradeModel
import GradeReports
import Testing

/// The four reports of `result`, by name.
private func reports(_ result: GradeResult) -> [(String, String)] {
  [
    ("Markdown", MarkdownReport.render(result)),
    ("HTML", HTMLReport.render(result)),
    ("Gradescope", GradescopeReport.render(result)),
    ("JUnit", JUnitReport.render(result)),
  ]
}

@Test func hiddenCaseDetailsNeverAppear() {
  for (format, text) in reports(Fixtures.sample) {
    for secret in Fixtures.secrets {
      #expect(!text.contains(secret), "\(format) shows \(secret)")
    }
    // The cases themselves are still listed, by name.
    for name in ["held-out data", "large batch", "many epochs", "tiny batch"] {
      #expect(text.contains(name), "\(format) omits \(name)")
    }
  }
}

@Test func visibleCaseDetailsDoAppear() {
  for (format, text) in reports(Fixtures.sample) {
    for detail in ["dL/dw = 1.5", "dL/dw = 1.0 (tolerance 1e-4)", "Check the sign"] {
      #expect(text.contains(detail), "\(format) omits \(detail)")
    }
  }
}
