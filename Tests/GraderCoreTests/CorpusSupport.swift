import Foundation
import GradeModel
import GraderCore

/// One edit of a corpus entry: `find` must occur exactly once in the text it is applied to.
struct CorpusEdit: Codable, Sendable {
  let find: String
  let replace: String
}

/// A typical mistake of the corpus (`Corpus/mistakes.json`): edits to a reference solution,
/// the case that must lose points, and what the visible feedback must say.
struct CorpusMistake: Codable, Sendable {
  let id: String
  let problem: Int
  let description: String
  /// Where the mistake was found (a guide's warning, a forum question, a PyTorch pitfall).
  let source: String
  let edits: [CorpusEdit]
  /// The case that must lose points.
  let `case`: String
  /// The diagnosis id the visible feedback should carry.
  let diagnosis: String?
  /// Words the visible feedback should contain, all of them (compared without case).
  let words: [String]?
}

/// A correct variant (`Corpus/variants.json`): edits that must still score every point.
struct CorpusVariant: Codable, Sendable {
  let id: String
  let problem: Int
  let description: String
  let edits: [CorpusEdit]
}

/// The two corpus files.
enum Corpus {
  struct MistakeFile: Codable { let mistakes: [CorpusMistake] }
  struct VariantFile: Codable { let variants: [CorpusVariant] }

  static let folder = packageRoot.appendingPathComponent("Tests/GraderCoreTests/Corpus")

  static func mistakes() throws -> [CorpusMistake] {
    try JSONDecoder().decode(
      MistakeFile.self, from: Data(contentsOf: folder.appendingPathComponent("mistakes.json"))
    ).mistakes
  }

  static func variants() throws -> [CorpusVariant] {
    try JSONDecoder().decode(
      VariantFile.self, from: Data(contentsOf: folder.appendingPathComponent("variants.json"))
    ).variants
  }

  /// The reference solution of problem `n`.
  static func solution(_ n: Int) throws -> String {
    try String(
      contentsOf: packageRoot.appendingPathComponent("Solutions/Problem\(n)/Problem\(n).swift"),
      encoding: .utf8)
  }

  /// `source` with every edit applied in order; nil when a `find` does not occur exactly once.
  static func apply(_ edits: [CorpusEdit], to source: String) -> String? {
    var text = source
    for edit in edits {
      guard text.components(separatedBy: edit.find).count == 2 else { return nil }
      text = text.replacingOccurrences(of: edit.find, with: edit.replace)
    }
    return text
  }

  /// Whether problem `n` has cases the grader can judge (its case file exists).
  static func judged(_ n: Int) -> Bool {
    FileManager.default.fileExists(
      atPath: packageRoot.appendingPathComponent("Grader/Problems/Problem\(n)/Cases.swift").path)
  }

  /// Groups entries into submissions of at most one entry per problem: the k-th submission
  /// holds the k-th entry of every problem, so each grading builds and runs every problem
  /// once and no entry can affect another.
  static func submissions<T>(_ entries: [T], problem: (T) -> Int) -> [[T]] {
    let byProblem = Dictionary(grouping: entries, by: problem)
    let depth = byProblem.values.map(\.count).max() ?? 0
    return (0..<depth).map { k in
      byProblem.keys.sorted().compactMap { p in
        let list = byProblem[p]!
        return k < list.count ? list[k] : nil
      }
    }
  }

  /// Writes a submission folder holding one `ProblemN/ProblemN.swift` per (problem, text).
  static func write(_ files: [(problem: Int, text: String)]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("corpus-\(UUID().uuidString)")
    for (n, text) in files {
      let dir = folder.appendingPathComponent("Problem\(n)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try text.write(
        to: dir.appendingPathComponent("Problem\(n).swift"), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// What a student sees about a problem: compiler diagnostics, and for every visible case
  /// that lost points its verdict, measured and expected values, hint and diagnosis.
  static func visibleFeedback(_ problem: ProblemResult) -> String {
    var parts = [problem.diagnostics]
    for c in problem.cases where c.visibility == .visible && c.points < c.maxPoints {
      parts += [c.verdict.explanation, c.measured ?? "", c.expected ?? "", c.hint ?? ""]
      if let d = c.diagnosis { parts += [d.id, d.message, d.evidence] }
    }
    return parts.joined(separator: "\n")
  }

  /// Whether the visible feedback names the mistake: a visible case carries its diagnosis,
  /// or the feedback contains every expected word.
  static func named(_ mistake: CorpusMistake, in problem: ProblemResult) -> Bool {
    if let id = mistake.diagnosis,
      problem.cases.contains(where: {
        $0.visibility == .visible && $0.points < $0.maxPoints && $0.diagnosis?.id == id
      })
    {
      return true
    }
    guard let words = mistake.words, !words.isEmpty else { return false }
    let text = visibleFeedback(problem).lowercased()
    return words.allSatisfy { text.contains($0.lowercased()) }
  }
}

/// Results gathered from concurrent gradings.
final class CorpusResults<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T] = []

  func add(_ new: [T]) {
    lock.lock()
    items += new
    lock.unlock()
  }

  var all: [T] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
