import Foundation
import SwiftParser
import SwiftSyntax

/// The Swift source of a student program's harness, from the problem's binding
/// (`Grader/Problems/<folder>/Student.swift`, which refers to the student's module as
/// `SubmissionModule`) and its compiled case library.
///
/// Two layouts give the same program:
/// - **in the student's module** (``inModule(binding:module:cases:)``): the binding and the
///   entry point are one more file of the student's module, so one compiler frontend builds
///   the whole program. Any clash with a student's declaration (a type named like a case
///   type, `Student`, or a second `@main`) is a compile error, never a silent change, and
///   the grader then builds the other layout;
/// - **a module of its own** (``separateBinding(_:module:cases:)`` and
///   ``separateMain(cases:)``): the harness imports the student's module and calls it by
///   qualified name, so no declaration of the student's can clash with it.
enum HarnessSource {
  /// The name the bindings use for the student's module.
  static let placeholder = "SubmissionModule"

  /// The binding and the program's entry point as one file of the student's module `module`.
  static func inModule(binding: String, module: String, cases: Builder.CaseLibrary) -> String {
    // The module's own name still qualifies the student's functions; importing it is not
    // allowed from inside it.
    let lines = binding.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { $0.trimmingCharacters(in: .whitespaces) != "import \(placeholder)" }
    let body = lines.joined(separator: "\n").replacingOccurrences(of: placeholder, with: module)
    return """
      import GradeProtocol
      @testable import \(cases.module)

      \(aliases(for: cases))
      \(body)

      @main
      enum GradworkHarnessEntry {
        static func main() { GradeProtocol.Harness.serve(Cases.all(Student())) }
      }

      """
  }

  /// The binding as a file of the harness's own module, which imports `module`.
  static func separateBinding(_ binding: String, module: String, cases: Builder.CaseLibrary)
    -> String
  {
    "@testable import \(cases.module)\n\(binding)".replacingOccurrences(
      of: placeholder, with: module)
  }

  /// The `main.swift` of the harness's own module.
  static func separateMain(cases: Builder.CaseLibrary) -> String {
    """
    import GradeProtocol
    @testable import \(cases.module)

    \(aliases(for: cases))
    Harness.serve(Cases.all(Student()))

    """
  }

  /// Declarations that stand for the case library's types: a module's own declarations
  /// shadow imported ones, so a student type named `Cases` or `API` cannot take their place
  /// (in the student's module it clashes with them instead).
  static func aliases(for cases: Builder.CaseLibrary) -> String {
    cases.types.map { "typealias \($0) = \(cases.module).\($0)\n" }.joined()
  }
}

// MARK: - The given report, left out of a grading's build

extension HarnessSource {
  /// The line that starts an exercise's given report section (`Solutions/ProblemN`, copied
  /// into `Exercises/ProblemN`): the code from it to the end of the file only draws the
  /// problem's report (`course run N`), which a grading runs only with `--figures`.
  static let reportMarker = "// MARK: - The report"

  /// The given report section of an exercise file: from the marker's line to the end; nil
  /// when the file has none.
  static func givenReport(inExercise text: String) -> String? {
    if text.hasPrefix(reportMarker) { return text }
    return text.range(of: "\n" + reportMarker).map {
      String(text[text.index(after: $0.lowerBound)...])
    }
  }

  /// `source` without `given` when it ends with exactly that section, starting on a line of
  /// its own; nil otherwise. Only the course's own text is ever left out, so what remains
  /// means what it meant with it (or fails to compile, and everything is compiled).
  static func withoutGivenReport(_ source: String, given: String) -> String? {
    guard !given.isEmpty, source.hasSuffix(given) else { return nil }
    let rest = source.dropLast(given.count)
    guard rest.isEmpty || rest.hasSuffix("\n") else { return nil }
    return String(rest)
  }

  /// The binding with the body of its `report` method replaced by a trap, for a program built
  /// without the given report; nil unless the binding has exactly one such method.
  static func withoutReport(binding: String) -> String? {
    final class ReportBodies: SyntaxVisitor {
      var ranges: [Range<Int>] = []
      override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
        if node.name.text == "report", let body = node.body {
          ranges.append(
            body.positionAfterSkippingLeadingTrivia
              .utf8Offset..<body.endPositionBeforeTrailingTrivia.utf8Offset)
        }
        return .skipChildren
      }
    }
    let finder = ReportBodies(viewMode: .sourceAccurate)
    finder.walk(Parser.parse(source: binding))
    guard finder.ranges.count == 1, let range = finder.ranges.first else { return nil }
    var bytes = Array(binding.utf8)
    bytes.replaceSubrange(
      range, with: Array("{ fatalError(\"the report is built only for --figures\") }".utf8))
    return String(decoding: bytes, as: UTF8.self)
  }
}
