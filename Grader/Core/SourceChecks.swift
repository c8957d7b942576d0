import GradeModel

/// Cases judged on the student's source alone, without running it.
enum SourceChecks {
  /// The judgement of source case `id` over the problem's files.
  static func judge(_ id: String, sources: [String]) -> Judgement {
    switch id {
    case "p1.no-loops":
      if let task = sources.lazy.compactMap({
        LoopCheck.todoLabel(in: $0, functions: Judge1.vectorized)
      }).first {
        return Judgement(verdict: .notImplemented(task: task))
      }
      let findings = sources.flatMap { LoopCheck.loops(in: $0, functions: Judge1.vectorized) }
      guard let first = findings.first else { return .pass() }
      let list = findings.map { "`\($0.kind)` in \($0.function) (line \($0.line))" }
      return .fail(
        "found a loop: " + list.joined(separator: ", "),
        measured: "\(findings.count) loop\(findings.count == 1 ? "" : "s")", expected: "none",
        hint: "\(first.function) must work on whole tensors: broadcasting, one matmul, triu and "
          + "sum instead of iterating over rows or entries.")
    default:
      return Judgement(verdict: .invalidObservation(reason: "unknown source check \(id)"))
    }
  }
}
