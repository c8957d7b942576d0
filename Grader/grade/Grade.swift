import ArgumentParser
import CourseCatalog
import Foundation
import GradeModel
import GradeReports
import GraderCore

/// `swift run grade`: grade one submission or a batch, or merge the outputs of batch shards.
@main
struct Grade: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Grade submissions of the five problems.",
    subcommands: [Run.self, Merge.self], defaultSubcommand: Run.self)
}

/// `swift run grade <submission or folder>`.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Grade a submission (a folder shaped like Exercises/, or a .zip of one), or a "
      + "folder holding one sub-folder or .zip per student.",
    discussion: """
      Exit status: 0 when the reports were written, whatever the score; 64 for bad arguments;
      1 when the grader itself failed or the score is under --fail-under.
      """)

  @Argument(help: "The submission folder or .zip, or a folder of submissions.")
  var submission: String

  @Option(help: "Submissions graded at once in a batch (default: the number of cores).")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Grade only slice i of n of a batch's students, e.g. 2/3.")
  var shard: String?

  @Flag(help: "In a batch, grade again what is already graded and unchanged.")
  var force = false

  @Flag(
    help: ArgumentHelp(
      "Treat the folder as a batch: one entry per student folder, .zip or other file in it. "
        + "Without it, a folder holding more than one submission folder or .zip is a batch."))
  var batch = false

  @Option(help: "Where to write the reports (default: grade-reports/<submission name>).")
  var out: String?

  @Option(help: "Problems to grade, e.g. 1,3 (default: all).")
  var problems: String?

  @Option(help: "Report formats among md, html, json, junit.")
  var format = "md,html,json,junit"

  @Option(help: "Fix every case's inputs with this seed (default: fresh inputs every grading).")
  var seed: UInt64?

  @Flag(name: .customLong("public"), help: "Run the visible cases only (what students run).")
  var publicOnly = false

  @Flag(help: "Also run each problem's own report and keep its figures and SVG plots.")
  var figures = false

  @Option(help: "Exit with status 1 when the score is under this percentage.")
  var failUnder: Double?

  @Option(
    help: "The course package whose catalog, solutions and rubric grade (default: this one).")
  var course: String?

  private var packageRoot: URL {
    course.map { URL(fileURLWithPath: $0) } ?? Grader.defaultPackageRoot
  }

  func validate() throws {
    if let shard {
      guard parseShard(shard) != nil else {
        throw ValidationError("--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/3.")
      }
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    guard formats.allSatisfy({ ["md", "html", "json", "junit"].contains($0) }) else {
      throw ValidationError("--format takes md, html, json and junit, separated by commas.")
    }
    do {
      _ = try selectedProblems()
    } catch {
      throw ValidationError(
        "--problems takes problem numbers of the course's catalog, separated by commas.")
    }
  }

  private var formats: [String] { format.split(separator: ",").map(String.init) }

  private func selectedProblems() throws -> Set<Int>? {
    guard let problems else { return nil }
    let numbers = problems.split(separator: ",").compactMap { Int($0) }
    let known = Set(try Catalog.load(packageRoot: packageRoot).problems.map(\.number))
    guard numbers.count == problems.split(separator: ",").count, numbers.allSatisfy(known.contains)
    else { throw ValidationError("bad --problems") }
    return Set(numbers)
  }

  private func parseShard(_ text: String) -> (index: Int, count: Int)? {
    let parts = text.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 2, parts[1] >= 1, (1...parts[1]).contains(parts[0]) else { return nil }
    return (parts[0], parts[1])
  }

  /// Writes the chosen report formats for `result` into `folder`; returns the file names.
  @discardableResult
  static func writeReports(_ result: GradeResult, to folder: URL, formats: [String]) throws
    -> [String]
  {
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
    // The files feedback.md links to: PlotFile makes the paths safe (`plots/problemN-…svg`,
    // no separator or leading dot) and distinct per problem.
    let plots = result.problems.flatMap { PlotFile.files(of: $0) }
    if !plots.isEmpty {
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("plots"), withIntermediateDirectories: true)
      for plot in plots {
        // Student code drew these: only the inert subset of SVG is written.
        try SVGSanitizer.sanitize(plot.svg).write(
          to: folder.appendingPathComponent(plot.path), atomically: true, encoding: .utf8)
      }
      written.append("plots/")
    }
    return written
  }

  func run() throws {
    if batch || BatchGrader.isBatch(submission) { return try runBatch() }
    let result: GradeResult
    do {
      let grader = try Grader(packageRoot: packageRoot, runtimePackage: Grader.defaultPackageRoot)
      result = try grader.grade(
        GradeOptions(
          submission: submission, problems: try selectedProblems(), publicOnly: publicOnly,
          seed: seed, figures: figures))
    } catch let error as GraderError {
      FileHandle.standardError.write(Data("error: \(ReportText.visible(error.description))\n".utf8))
      throw ExitCode.failure
    }
    let folder = URL(
      fileURLWithPath: out ?? "grade-reports/\(BatchGrader.safeID(result.submission))")
    let written = try Run.writeReports(result, to: folder, formats: formats)
    print(summary(result))
    print("Reports (\(written.joined(separator: ", "))) in \(ReportText.visible(folder.path))")
    if let failUnder, result.percent < failUnder { throw ExitCode.failure }
  }

  private func runBatch() throws {
    let name = BatchGrader.safeID(URL(fileURLWithPath: submission).lastPathComponent)
    let folder = URL(fileURLWithPath: out ?? "grade-reports/\(name)")
    let formats = self.formats
    let options = BatchOptions(
      folder: submission, out: folder, jobs: jobs, shard: shard.flatMap(parseShard), force: force,
      grading: GradeOptions(
        submission: submission, problems: try selectedProblems(), publicOnly: publicOnly,
        seed: seed,
        figures: figures))
    let terminal = isatty(1) == 1
    let entries: [BatchEntry]
    do {
      let grader = try Grader(packageRoot: packageRoot, runtimePackage: Grader.defaultPackageRoot)
      entries = try BatchGrader(grader: grader).run(
        options,
        report: { result, folder in try Run.writeReports(result, to: folder, formats: formats) },
        progress: { p in Run.show(p, terminal: terminal) })
    } catch let error as GraderError {
      FileHandle.standardError.write(Data("error: \(ReportText.visible(error.description))\n".utf8))
      throw ExitCode.failure
    }
    if terminal { print("") }
    try Merge.writeSummary(entries, to: folder)
    let notGraded = entries.filter { $0.result == nil }.count
    print(
      "\(entries.count) entries (\(notGraded) not graded) in \(ReportText.visible(folder.path)): "
        + "gradebook.csv, summary.md, summary.html; each student's reports in students/")
    if let failUnder {
      let mean = entries.compactMap(\.result?.percent).reduce(0, +) / Double(max(entries.count, 1))
      if mean < failUnder { throw ExitCode.failure }
    }
  }

  /// A progress bar on a terminal, plain lines elsewhere (CI logs). The entry's name is
  /// shown with its control characters and bidi controls made visible, so it cannot move
  /// the cursor or rewrite the line.
  private static func show(_ p: BatchProgress, terminal: Bool) {
    let score =
      p.entry.result.map { "\(Int($0.percent.rounded()))%" }
      ?? (p.entry.graderFault == true ? "grader error" : "not gradable")
    let shown = ReportText.visible(p.entry.entry ?? p.student)
    let what = "\(shown): \(score)\(p.skipped ? " (unchanged, skipped)" : "")"
    if terminal {
      let width = 30
      let filled = p.total == 0 ? width : p.done * width / p.total
      let bar =
        String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
      FileHandle.standardOutput.write(Data("\r[\(bar)] \(p.done)/\(p.total) \(what)\u{1B}[K".utf8))
    } else {
      print("graded \(p.done)/\(p.total): \(what)")
    }
  }

  private func summary(_ result: GradeResult) -> String {
    var lines = [
      "\(ReportText.visible(result.submission)): \(format(result.points)) / \(format(result.maxPoints)) points "
        + "(\(format(result.percent))%) in \(format(result.seconds)) s"
    ]
    for p in result.problems {
      let passed = p.cases.filter { $0.verdict == .passed }.count
      lines.append(
        "  Problem \(p.number): \(format(p.points)) / \(format(p.maxPoints))  "
          + "\(p.status == .graded ? "\(passed) of \(p.cases.count) cases passed" : p.status.rawValue)"
      )
    }
    lines.append("  Isolation: \(ReportText.isolation(result.isolation))")
    return ReportText.visible(lines.joined(separator: "\n"), keepLineBreaks: true)
  }

  private func format(_ x: Double) -> String {
    x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
  }
}

/// `swift run grade merge <report folders…>`: one gradebook and summary from several shards.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the output folders of batch shards into one gradebook and summary.")

  @Argument(help: "The output folders of the shards.")
  var folders: [String]

  @Option(help: "Where to write the merged gradebook and summary.")
  var out = "grade-reports/merged"

  func validate() throws {
    guard !folders.isEmpty else { throw ValidationError("Give at least one report folder.") }
    for folder in folders where !FileManager.default.fileExists(atPath: folder) {
      throw ValidationError("No such folder: \(folder)")
    }
  }

  func run() throws {
    let entries = BatchGrader.entries(in: folders.map { URL(fileURLWithPath: $0) })
    let folder = URL(fileURLWithPath: out)
    try Merge.writeSummary(entries, to: folder)
    print("\(entries.count) submissions merged into \(folder.path)")
  }

  /// Writes gradebook.csv, summary.md, summary.html and histogram.svg.
  static func writeSummary(_ entries: [BatchEntry], to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let files = [
      ("gradebook.csv", Gradebook.csv(entries)), ("summary.md", BatchSummary.markdown(entries)),
      ("summary.html", BatchSummary.html(entries)),
      ("histogram.svg", BatchSummary.histogram(entries)),
    ]
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
  }
}
