import Foundation
import GradeModel
import GraderCore
import Testing

/// The corpora of typical mistakes and correct variants (`Corpus/*.json`), graded as a whole
/// so that the rates are figures: a mistake is caught when its case loses points, and named
/// when the visible feedback carries its diagnosis or its words.
@Suite(.serialized) struct CorpusTests {
  /// The share of mistakes whose case must lose points.
  static let requiredCaughtRate = 0.95
  /// The share of mistakes whose visible feedback must name them.
  static let requiredNamedRate = 0.85
  /// At least this many mistakes per problem, and in all.
  static let minimumPerProblem = 15
  static let minimumMistakes = 100
  static let minimumVariants = 20
  /// One seed for the hidden cases, so that the rates are reproducible (visible cases use
  /// their fixed seed anyway).
  static let seed: UInt64 = 20_240_515
  /// Gradings run side by side: each already builds and runs its problems in parallel.
  static let workers = 2

  @Test func theCorporaAreWellFormed() throws {
    let mistakes = try Corpus.mistakes()
    let variants = try Corpus.variants()
    #expect(mistakes.count >= Self.minimumMistakes)
    #expect(variants.count >= Self.minimumVariants)
    for n in 1...5 {
      #expect(
        mistakes.filter { $0.problem == n }.count >= Self.minimumPerProblem,
        "problem \(n) has too few mistakes")
    }
    #expect(Set(mistakes.map(\.id)).count == mistakes.count, "mistake ids must be distinct")
    #expect(Set(variants.map(\.id)).count == variants.count, "variant ids must be distinct")
    let sources = try Dictionary(
      uniqueKeysWithValues: (1...5).map { ($0, try Corpus.solution($0)) })
    for m in mistakes {
      let edited = Corpus.apply(m.edits, to: sources[m.problem]!)
      #expect(edited != nil && edited != sources[m.problem], "\(m.id): an edit no longer applies")
      #expect(m.case.hasPrefix("p\(m.problem)."), "\(m.id): its case is another problem's")
      #expect(m.diagnosis != nil || !(m.words ?? []).isEmpty, "\(m.id): nothing to name it by")
    }
    for v in variants {
      let edited = Corpus.apply(v.edits, to: sources[v.problem]!)
      #expect(edited != nil && edited != sources[v.problem], "\(v.id): an edit no longer applies")
    }
  }

  /// One mistake's outcome.
  struct Outcome: Sendable {
    let mistake: CorpusMistake
    let caught: Bool
    let named: Bool
    let verdict: String
    let feedback: String
  }

  @Test func mistakesAreCaughtAndNamedInVisibleFeedback() throws {
    let all = try Corpus.mistakes()
    let graded = all.filter { Corpus.judged($0.problem) }
    let skipped = Set(all.filter { !Corpus.judged($0.problem) }.map(\.problem)).sorted()
    let groups = Corpus.submissions(graded, problem: \.problem)
    let grader = try Grader(packageRoot: packageRoot)
    let sources = try Dictionary(
      uniqueKeysWithValues: (1...5).map { ($0, try Corpus.solution($0)) })
    let results = CorpusResults<Outcome>()
    let failures = CorpusResults<String>()
    let start = Date()
    DispatchQueue.concurrentPerform(iterations: Self.workers) { worker in
      for g in groups.indices where g % Self.workers == worker {
        do {
          results.add(try Self.grade(groups[g], grader: grader, sources: sources))
        } catch {
          failures.add(["group \(g): \(error)"])
        }
      }
    }
    let seconds = Date().timeIntervalSince(start)
    #expect(failures.all.isEmpty, "\(failures.all)")
    let outcomes = results.all.sorted { $0.mistake.id < $1.mistake.id }
    #expect(outcomes.count == graded.count)
    let caught = outcomes.filter(\.caught).count
    let named = outcomes.filter(\.named).count
    let total = Double(Swift.max(outcomes.count, 1))
    var lines = [
      "corpus of mistakes: \(outcomes.count) graded in \(groups.count) submissions, "
        + String(format: "%.0f s", seconds)
        + (skipped.isEmpty ? "" : "; problems without cases yet, not graded: \(skipped)"),
      String(
        format: "caught %d/%d (%.1f%%), named %d/%d (%.1f%%)", caught, outcomes.count,
        100 * Double(caught) / total, named, outcomes.count, 100 * Double(named) / total),
    ]
    for n in 1...5 {
      let mine = outcomes.filter { $0.mistake.problem == n }
      guard !mine.isEmpty else { continue }
      lines.append(
        "  problem \(n): caught \(mine.filter(\.caught).count)/\(mine.count), "
          + "named \(mine.filter(\.named).count)/\(mine.count)")
    }
    let misses = outcomes.filter { !$0.caught || !$0.named }
    if !misses.isEmpty {
      lines.append("| mistake | case | caught | named | verdict | visible feedback |")
      lines.append("|---|---|---|---|---|---|")
      for o in misses {
        let said = o.feedback.replacingOccurrences(of: "\n", with: " ").prefix(160)
        lines.append(
          "| \(o.mistake.id) | \(o.mistake.case) | \(o.caught ? "yes" : "NO") | "
            + "\(o.named ? "yes" : "NO") | \(o.verdict) | \(said) |")
      }
    }
    print(lines.joined(separator: "\n"))
    #expect(Double(caught) / total >= Self.requiredCaughtRate, "caught \(caught)/\(outcomes.count)")
    #expect(Double(named) / total >= Self.requiredNamedRate, "named \(named)/\(outcomes.count)")
  }

  /// Grades one submission holding one mistake per problem.
  static func grade(_ group: [CorpusMistake], grader: Grader, sources: [Int: String]) throws
    -> [Outcome]
  {
    let files = group.map { ($0.problem, Corpus.apply($0.edits, to: sources[$0.problem]!) ?? "") }
    let folder = try Corpus.write(files)
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try grader.grade(
      GradeOptions(submission: folder.path, problems: Set(group.map(\.problem)), seed: seed))
    return group.map { m in
      guard let problem = result.problems.first(where: { $0.number == m.problem }) else {
        return Outcome(mistake: m, caught: false, named: false, verdict: "not graded", feedback: "")
      }
      let target = problem.cases.first { $0.id == m.case }
      return Outcome(
        mistake: m, caught: target.map { $0.points < $0.maxPoints } ?? false,
        named: Corpus.named(m, in: problem), verdict: target?.verdict.label ?? "no such case",
        feedback: Corpus.visibleFeedback(problem))
    }
  }

  @Test func correctVariantsScoreEveryPoint() throws {
    let all = try Corpus.variants()
    let graded = all.filter { Corpus.judged($0.problem) }
    let groups = Corpus.submissions(graded, problem: \.problem)
    let grader = try Grader(packageRoot: packageRoot)
    let sources = try Dictionary(
      uniqueKeysWithValues: (1...5).map { ($0, try Corpus.solution($0)) })
    let lost = CorpusResults<String>()
    let start = Date()
    DispatchQueue.concurrentPerform(iterations: Self.workers) { worker in
      for (g, group) in groups.enumerated() where g % Self.workers == worker {
        do {
          let files = group.map {
            ($0.problem, Corpus.apply($0.edits, to: sources[$0.problem]!) ?? "")
          }
          let folder = try Corpus.write(files)
          defer { try? FileManager.default.removeItem(at: folder) }
          let result = try grader.grade(
            GradeOptions(
              submission: folder.path, problems: Set(group.map(\.problem)), seed: Self.seed))
          for v in group {
            let problem = result.problems.first { $0.number == v.problem }
            for c in problem?.cases ?? [] where c.points < c.maxPoints {
              lost.add(["\(v.id): \(c.id) \(c.verdict.label): \(c.verdict.explanation)"])
            }
            if problem?.status != .graded {
              lost.add(["\(v.id): \(problem?.diagnostics ?? "not graded")"])
            }
          }
        } catch {
          lost.add(["group \(g): \(error)"])
        }
      }
    }
    print(
      "correct variants: \(graded.count) graded in \(groups.count) submissions, "
        + String(format: "%.0f s", Date().timeIntervalSince(start))
        + ", \(lost.all.count) lost cases")
    #expect(lost.all.isEmpty, "\(lost.all.joined(separator: "\n"))")
  }
}
