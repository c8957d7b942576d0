import Foundation
import GradeModel

/// What the feedback shows of one problem's own report (`grade --figures`): its figures as
/// a table and its SVG plots, each with the file it is written to next to the feedback.
/// Built once per problem from the result; the Markdown and HTML renderers and the writer of
/// the plot files all read this, so they agree on every name.
public struct ReportFigures: Equatable, Sendable {
  /// The figures as the report gave them.
  public enum Figures: Equatable, Sendable {
    /// Read as JSON and laid out as a table.
    case table(FigureTable)
    /// Not valid JSON: the start of the text (`FigureJSON.parse` says what is accepted).
    case unreadable(excerpt: String)
  }

  /// The figures, when the report gave any.
  public var figures: Figures?
  /// The plots, in order of file name.
  public var plots: [PlotFile]

  /// The longest excerpt of figures that are not valid JSON, in characters.
  static let maxExcerpt = 2000

  /// The figures and plots of `problem`.
  public init(_ problem: ProblemResult) {
    figures = problem.figures.map { text in
      FigureJSON.parse(text).map { .table(FigureTable(json: $0, problem: problem.number)) }
        ?? .unreadable(excerpt: FigureTable.cut(String(text.prefix(Self.maxExcerpt + 1))))
    }
    plots = PlotFile.files(of: problem)
  }

  /// Whether there is nothing to show.
  public var isEmpty: Bool { figures == nil && plots.isEmpty }
}

/// One SVG plot of a student's report.
public struct PlotFile: Equatable, Sendable {
  /// The name the report gave it (student-controlled: shown only escaped, never used as a
  /// path).
  public var name: String
  /// Where it is written, relative to the feedback's folder: `plots/` and a file name of
  /// `[A-Za-z0-9._-]` only (`fileName`).
  public var path: String
  /// The SVG as the student's program wrote it: pass it through `SVGSanitizer` before
  /// writing or showing it.
  public var svg: String

  /// The plots of `problem`, in order of name, each with its file (what the feedback links
  /// to and the report writer writes; neither needs the figures read for it).
  public static func files(of problem: ProblemResult) -> [PlotFile] {
    var used: Set<String> = []
    return problem.plots.sorted { $0.key < $1.key }.map { name, svg in
      let file = fileName(name, problem: problem.number, avoiding: used)
      used.insert(file)
      return PlotFile(name: name, path: "plots/" + file, svg: svg)
    }
  }

  /// The longest file name stem kept, in characters.
  static let maxStem = 60

  /// A safe file name for the plot `name` of problem `number`, distinct from those in
  /// `used`: its characters other than `[A-Za-z0-9._-]` become `_`, runs of dots become
  /// one and leading dots are dropped, it is cut to `maxStem` characters, starts with `problem<number>-` (so that no
  /// two problems' plots can share a file, whatever names their programs chose) and ends in
  /// `.svg`; `-2`, `-3`, … are added when the name is taken. It therefore has no `/`, is
  /// never `.` or `..` and cannot leave the `plots` folder.
  static func fileName(_ name: String, problem number: Int, avoiding used: Set<String>) -> String {
    var stem = name
    if stem.lowercased().hasSuffix(".svg") { stem.removeLast(4) }
    stem = String(
      stem.unicodeScalars.map { scalar -> Character in
        let safe =
          scalar.isASCII
          && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
        return safe ? Character(scalar) : "_"
      })
    while stem.contains("..") { stem = stem.replacingOccurrences(of: "..", with: ".") }
    while stem.hasPrefix(".") { stem.removeFirst() }
    let prefix = "problem\(number)-"
    if !stem.hasPrefix(prefix) { stem = prefix + stem }
    stem = String(stem.prefix(maxStem))
    var file = stem + ".svg"
    var copy = 2
    while used.contains(file) {
      file = "\(stem)-\(copy).svg"
      copy += 1
    }
    return file
  }
}
