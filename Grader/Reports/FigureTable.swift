/// A student's report's figures (`course run N --json`) as a table: the typed model the
/// Markdown and HTML feedback both render, built once from the JSON text.
///
/// The JSON comes from student code, so the model bounds what it keeps: at most `maxRows`
/// rows and `maxEntries` entries of an array of objects, names and strings cut at
/// `maxText` characters, and one level of nesting below the top (deeper objects and arrays
/// are described by their keys or length). Long arrays of numbers, such as the per-epoch
/// histories, are summarised (`SeriesSummary`) rather than listed.
public struct FigureTable: Equatable, Sendable {
  /// One figure: its name and value.
  public struct Row: Equatable, Sendable {
    /// The figure's name (the JSON key).
    public var name: String
    /// Its value.
    public var value: FigureCell
  }

  /// The rows, in the report's order.
  public var rows: [Row]
  /// How many rows were left out beyond `maxRows`.
  public var omittedRows: Int

  /// The most rows kept in one table.
  static let maxRows = 60
  /// The most entries of an array of objects kept (one column each).
  static let maxEntries = 8
  /// The longest name or string kept, in characters.
  static let maxText = 200
  /// The longest array of scalars listed in full; longer arrays of numbers are summarised.
  static let maxListed = 4

  /// The table of an object's members at `depth` (0 for the report's top level, where
  /// members may hold nested tables; 1 inside one, where they may not).
  init(members: [FigureJSON.Member], depth: Int) {
    rows = members.prefix(Self.maxRows).map {
      Row(name: Self.cut($0.key), value: FigureCell($0.value, depth: depth))
    }
    omittedRows = Swift.max(0, members.count - Self.maxRows)
  }

  /// The table of a report's figures: the members of its top-level object, without the
  /// `problem` member that repeats the problem's number; a top-level value that is not an
  /// object becomes one row named `value`.
  public init(json: FigureJSON, problem: Int) {
    guard case .object(let members) = json else {
      self.init(members: [FigureJSON.Member("value", json)], depth: 0)
      return
    }
    self.init(
      members: members.filter { $0.key != "problem" || $0.value != .number(Double(problem)) },
      depth: 0)
  }

  /// `text` cut to `maxText` characters, with an ellipsis when it was longer.
  static func cut(_ text: String) -> String {
    text.count <= maxText ? text : String(text.prefix(maxText)) + "…"
  }
}

/// A scalar JSON value.
public enum FigureScalar: Equatable, Sendable {
  /// A number.
  case number(Double)
  /// A string (cut to `FigureTable.maxText` characters).
  case text(String)
  /// A boolean.
  case bool(Bool)
  /// `null`: how the reports write a value that is not a finite number.
  case missing

  /// The scalar of `json`, or `nil` for an array or object.
  init?(_ json: FigureJSON) {
    switch json {
    case .number(let x): self = .number(x)
    case .string(let s): self = .text(FigureTable.cut(s))
    case .bool(let b): self = .bool(b)
    case .null: self = .missing
    case .array, .object: return nil
    }
  }
}

/// A long array of numbers described by its length and ends, as the per-epoch histories are.
public struct SeriesSummary: Equatable, Sendable {
  /// The number of values.
  public var count: Int
  /// The first value (`nil` when it is not a finite number).
  public var first: Double?
  /// The last value (`nil` when it is not a finite number).
  public var last: Double?
  /// The smallest and largest finite values (`nil` when there is none).
  public var range: ClosedRange<Double>?
  /// How many values are not finite numbers (`null` in the JSON).
  public var nonFinite: Int
  /// The 1-based position of the first value that is not finite, when there is one (where
  /// a run diverged).
  public var firstNonFinite: Int?

  /// The summary of `values`, where `nil` is a value that is not finite.
  init(_ values: [Double?]) {
    count = values.count
    first = values.first.flatMap { $0 }
    last = values.last.flatMap { $0 }
    let finite = values.compactMap { $0 }
    range = finite.min().flatMap { low in finite.max().map { low...$0 } }
    nonFinite = values.count - finite.count
    firstNonFinite = values.firstIndex { $0 == nil }.map { $0 + 1 }
  }
}

/// One value of a figures table.
public indirect enum FigureCell: Equatable, Sendable {
  /// A number, string, boolean or `null`.
  case scalar(FigureScalar)
  /// A short array of scalars, listed.
  case list([FigureScalar])
  /// A long array of numbers (and `null`s), summarised.
  case series(SeriesSummary)
  /// An object, as a nested table (only at the top level).
  case table(FigureTable)
  /// An array of objects, as a table with one column per entry (only at the top level).
  case records(FigureRecords)
  /// An object below the top level, described by its keys.
  case object(keys: [String])
  /// Any other array (of arrays, of objects below the top level, of long mixed values),
  /// described by its length.
  case array(count: Int)

  /// The cell of `json` in a table at `depth`.
  init(_ json: FigureJSON, depth: Int) {
    if let scalar = FigureScalar(json) {
      self = .scalar(scalar)
      return
    }
    switch json {
    case .object(let members):
      self =
        depth == 0
        ? .table(FigureTable(members: members, depth: depth + 1))
        : .object(keys: members.prefix(FigureTable.maxRows).map { FigureTable.cut($0.key) })
    case .array(let items):
      let scalars = items.compactMap(FigureScalar.init)
      let numeric = scalars.allSatisfy {
        if case .text = $0 { false } else if case .bool = $0 { false } else { true }
      }
      if scalars.count == items.count, items.count <= FigureTable.maxListed {
        self = .list(scalars)
      } else if scalars.count == items.count, numeric {
        self = .series(
          SeriesSummary(scalars.map { if case .number(let x) = $0 { x } else { nil } }))
      } else if depth == 0, !items.isEmpty,
        case let objects = items.compactMap({ if case .object(let m) = $0 { m } else { nil } }),
        objects.count == items.count
      {
        self = .records(FigureRecords(objects))
      } else {
        self = .array(count: items.count)
      }
    default:
      self = .array(count: 0)  // not reached: scalars are handled above
    }
  }
}

/// An array of objects (a report's runs, say) as a table: one row per field, one column
/// per entry, so that a run's settings and results read down a column.
public struct FigureRecords: Equatable, Sendable {
  /// A field and its value in each entry (`nil` where an entry lacks it).
  public struct Field: Equatable, Sendable {
    /// The field's name.
    public var name: String
    /// One cell per entry shown.
    public var values: [FigureCell?]
  }

  /// The fields, in order of first appearance over the entries.
  public var fields: [Field]
  /// How many entries are shown (the columns).
  public var entries: Int
  /// How many entries were left out beyond `FigureTable.maxEntries`.
  public var omittedEntries: Int
  /// How many fields were left out beyond `FigureTable.maxRows`.
  public var omittedFields: Int

  /// The records of `objects` (each an object's members).
  init(_ objects: [[FigureJSON.Member]]) {
    let shown = Array(objects.prefix(FigureTable.maxEntries))
    var names: [String] = []
    var seen: Set<String> = []
    for member in shown.joined() where seen.insert(member.key).inserted { names.append(member.key) }
    // Each entry's first value per key, looked up once (an entry may have many keys).
    let byKey = shown.map { members in
      Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
    fields = names.prefix(FigureTable.maxRows).map { name in
      Field(
        name: FigureTable.cut(name),
        values: byKey.map { values in values[name].map { FigureCell($0, depth: 1) } })
    }
    entries = shown.count
    omittedEntries = objects.count - shown.count
    omittedFields = Swift.max(0, names.count - FigureTable.maxRows)
  }
}
