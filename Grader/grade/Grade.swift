import ArgumentParser
import Foundation
import GradeModel
import GradeReports
import GraderCore

/// `swift run grade <submission>`: grades a submission and writes its feedback reports.
@main
struct Grade: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Grade a submission (a folder shaped like Exercises/, or a .zip of one).",
    discussion: """
      Exit status: 0 when the reports were written, whatever the score; 64 for bad arguments;
      1 when the grader itself failed or the score is under --fail-under.
      """)

  @Argument(help: "The submission folder or .zip.")
  var submission: String

  @Option(help: "Where to write the reports (default: grade-reports/<submission name>).")
  var out: String?

  @Option(help: "Problems to grade, e.g. 1,3 (default: all).")
  var problems: String?

  @Option(help: "Report formats among md, html, json, junit.")
  var format = "md,html,json,junit"

  @Option(help: "Seed of the hidden cases (default: the rubric's).")
  var seed: UInt64?

  @Flag(name: .customLong("public"), help: "Run the visible cases only (what students run).")
  var publicOnly = false

  @Flag(help: "Also run each problem's own report and keep its figures and SVG plots.")
  var figures = false

  @Option(help: "Exit with status 1 when the score is under this percentage.")
  var failUnder: Double?

  @Option(help: "The rubric file (default: Grader/rubric.yaml of this package).")
  var rubric: String?

  func validate() throws {
    guard formats.allSatisfy({ ["md", "html", "json", "junit"].contains($0) }) else {
      throw ValidationError("--format takes md, html, json and junit, separated by commas.")
    }
    do {
      _ = try selectedProblems()
    } catch {
      throw ValidationError("--problems takes numbers from 1 to 5, separated by commas.")
    }
  }

  private var formats: [String] { format.split(separator: ",").map(String.init) }

  private func selectedProblems() throws -> Set<Int>? {
    guard let problems else { return nil }
    let numbers = problems.split(separator: ",").compactMap { Int($0) }
    guard numbers.count == problems.split(separator: ",").count,
      numbers.allSatisfy((1...5).contains)
    else { throw ValidationError("bad --problems") }
    return Set(numbers)
  }

  func run() throws {
    let result: GradeResult
    do {
      let root = Grader.defaultPackageRoot
      let grader = try Grader(
        packageRoot: root, rubric: try rubric.map { try Rubric.load(URL(fileURLWithPath: $0)) })
      result = try grader.grade(
        GradeOptions(
          submission: submission, problems: try selectedProblems(), publicOnly: publicOnly,
          seed: seed, figures: figures))
    } catch let error as GraderError {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode.failure
    }
    let folder = URL(fileURLWithPath: out ?? "grade-reports/\(result.submission)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var written: [String] = []
    for kind in formats {
      let (name, text) =
        switch kind {
        case "md": ("feedback.md", MarkdownReport.render(result))
        case "html": ("feedback.html", HTMLReport.render(result))
        case "json": ("results.json", GradescopeReport.render(result))
        default: ("junit.xml", JUnitReport.render(result))
        }
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
      written.append(name)
    }
    let plots = result.problems.flatMap { $0.plots.sorted { $0.key < $1.key } }
    if !plots.isEmpty {
      let plotFolder = folder.appendingPathComponent("plots")
      try FileManager.default.createDirectory(at: plotFolder, withIntermediateDirectories: true)
      for (name, svg) in plots {
        try svg.write(
          to: plotFolder.appendingPathComponent(name), atomically: true, encoding: .utf8)
      }
      written.append("plots/")
    }
    print(summary(result))
    print("Reports (\(written.joined(separator: ", "))) in \(folder.path)")
    if let failUnder, result.percent < failUnder { throw ExitCode.failure }
  }

  private func summary(_ result: GradeResult) -> String {
    var lines = [
      "\(result.submission): \(format(result.points)) / \(format(result.maxPoints)) points "
        + "(\(format(result.percent))%) in \(format(result.seconds)) s"
    ]
    for p in result.problems {
      let passed = p.cases.filter { $0.verdict == .passed }.count
      lines.append(
        "  Problem \(p.number): \(format(p.points)) / \(format(p.maxPoints))  "
          + "\(p.status == .graded ? "\(passed) of \(p.cases.count) cases passed" : p.status.rawValue)"
      )
    }
    lines.append("  Isolation: \(result.isolation.description)")
    return lines.joined(separator: "\n")
  }

  private func format(_ x: Double) -> String {
    x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
  }
}
