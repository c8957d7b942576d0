import Foundation

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
