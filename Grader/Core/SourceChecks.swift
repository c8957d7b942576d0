import GradeModel
import GradeProtocol
import SwiftParser

/// Cases judged on the student's source alone, without running it: no loops in the listed
/// functions, or in any helper of the submission they call.
enum SourceChecks {
  /// The judgement of a no-loops case over the problem's files.
  static func judge(functions: [String], sources: [String]) -> (
    verdict: Verdict, judgement: Judgement?
  ) {
    let names = Set(functions)
    // Each file parsed once for both questions.
    let trees = sources.map { Parser.parse(source: $0) }
    if let task = trees.lazy.compactMap({ LoopCheck.todoLabel(in: $0, functions: names) }).first {
      return (.notImplemented(task: task), nil)
    }
    let findings = LoopCheck.loops(in: trees, functions: names)
    guard let first = findings.first else { return (.passed, .pass()) }
    let list = findings.map { "`\($0.kind)` in \($0.function) (line \($0.line))" }
    let judgement = Judgement.fail(
      "found a loop: " + list.joined(separator: ", "),
      measured: "\(findings.count) loop\(findings.count == 1 ? "" : "s")", expected: "none",
      hint: "\(first.function) must work on whole tensors (broadcasting, matmul, reductions) "
        + "instead of iterating over rows or entries.")
    return (.failed(reason: judgement.reason ?? ""), judgement)
  }
}
