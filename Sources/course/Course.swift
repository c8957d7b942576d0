import ArgumentParser
import Assign
import CourseCatalog
import Courseware
import Foundation

/// `swift run course`: the instructor's and student's course tool.
@main
struct Course: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Course tool for the manual-ML problems of Solutions/catalog.txt.",
    subcommands: [Assign.self, Run.self, Release.self])
}

extension Course {
  /// `course assign`: regenerates Exercises/ from Solutions/.
  struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Generate the exercise stubs (Exercises/) from the reference solutions.")

    @Option(help: "The folder of reference solutions.")
    var solutions = "Solutions"

    @Option(help: "The folder to write the exercises to.")
    var exercises = "Exercises"

    @Option(help: "The course tool's generated table of problems.")
    var registry = "Sources/course/Problems.swift"

    @Flag(help: "Only check that the exercises are up to date; exit 1 if not.")
    var check = false

    func run() throws {
      let solutionsURL = URL(fileURLWithPath: solutions)
      let folders = try Catalog.load(file: solutionsURL.appendingPathComponent("catalog.txt"))
        .problems.map(\.folder)
      let files =
        try StubGenerator.exercises(fromSolutions: solutionsURL).map {
          (
            path: URL(fileURLWithPath: exercises).appendingPathComponent($0.path).path,
            text: $0.text
          )
        } + [(path: registry, text: StubGenerator.courseRegistry(folders: folders))]
      var stale: [String] = []
      for (path, text) in files {
        let url = URL(fileURLWithPath: path)
        let current = try? String(contentsOf: url, encoding: .utf8)
        guard current != text else { continue }
        stale.append(path)
        if !check {
          try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
          try text.write(to: url, atomically: true, encoding: .utf8)
        }
      }
      if check && !stale.isEmpty {
        print("Out of date: \(stale.joined(separator: ", ")). Run `swift run course assign`.")
        throw ExitCode.failure
      }
      print(
        check
          ? "Exercises are up to date (\(files.count) files)."
          : "Wrote \(stale.count) of \(files.count) files.")
    }
  }

  /// `course release --out DIR`: writes the students' package.
  struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the students' package: library, exercises, guides and public checks.")

    @Option(help: "The folder to write the package to (new or empty).")
    var out: String

    func run() throws {
      let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
      do {
        try StudentRelease.write(packageRoot: root, to: URL(fileURLWithPath: out))
      } catch let failure as StudentRelease.Failure {
        FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
        throw ExitCode.failure
      }
      print("Wrote the students' package to \(out). Its README has the two commands to start.")
    }
  }

  /// `course run N`: runs a problem's report.
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a problem end to end and print its report.")

    @Argument(help: "The problem number (see Solutions/catalog.txt).")
    var problem: Int

    @Flag(help: "Run the reference solution instead of the exercise.")
    var solution = false

    @Flag(help: "Print one JSON object instead of the text report.")
    var json = false

    @Option(help: "Write SVG plots into this folder.")
    var plots: String?

    @Option(help: "The data seed.")
    var seed: UInt64 = 0

    func validate() throws {
      guard Problems.reports[problem] != nil else {
        let known = Problems.reports.keys.sorted().map(String.init).joined(separator: ", ")
        throw ValidationError("There is no problem \(problem); choose one of \(known).")
      }
    }

    func run() throws {
      relaunchWithoutBacktraces()
      if !solution {
        // The report stops at the first todo it reaches, which need not be the first task:
        // name the unfinished tasks in task order instead, before running anything.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
          .deletingLastPathComponent().deletingLastPathComponent()
        let tasks = unfinishedTasks(in: root.appendingPathComponent("Exercises/Problem\(problem)"))
        guard tasks.isEmpty else {
          FileHandle.standardError.write(Data(unfinishedTasksText(tasks).utf8))
          throw ExitCode(notImplementedExitStatus)
        }
      }
      let report = makeReport()
      if json {
        print(report.json.text)
      } else {
        print(report.terminalText(), terminator: "")
      }
      if let plots {
        let message = try report.writePlots(to: URL(fileURLWithPath: plots))
        // With --json, standard output holds only the JSON object.
        if json {
          FileHandle.standardError.write(Data((message + "\n").utf8))
        } else {
          print(message)
        }
      }
    }

    private func makeReport() -> Report {
      Problems.reports[problem]!(solution, seed)
    }
  }
}
