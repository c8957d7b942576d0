/// What a problem's `report` produces: figures, narrative, comparison tables and curves.
///
/// It is plain data. The `course` tool renders it for a terminal, as JSON and as SVG plots.
public struct Report: Sendable {
  /// The problem number, 1 to 5.
  public var problem: Int
  /// The problem's title.
  public var title: String
  /// Named figures, in order; they make up the `--json` object.
  public var figures: [(String, JSON)]
  /// Sentences that interpret the figures (what the runs show).
  public var findings: [String]
  /// Tables comparing runs.
  public var tables: [Table]
  /// Curves over epochs or steps.
  public var charts: [Chart]
  /// Scatter plots with decision boundaries.
  public var boundaries: [BoundaryPlot]

  /// Creates a report; everything but the number and title may be filled in later.
  public init(
    problem: Int, title: String, figures: [(String, JSON)] = [], findings: [String] = [],
    tables: [Table] = [], charts: [Chart] = [], boundaries: [BoundaryPlot] = []
  ) {
    self.problem = problem
    self.title = title
    self.figures = figures
    self.findings = findings
    self.tables = tables
    self.charts = charts
    self.boundaries = boundaries
  }

  /// The figures as one JSON object, with the problem number first.
  public var json: JSON {
    .object([("problem", .number(Double(problem)))] + figures)
  }
}

/// A table of runs: a header and rows of preformatted cells.
public struct Table: Sendable {
  /// What the table compares.
  public var title: String
  /// Column names.
  public var header: [String]
  /// Rows, one cell per column.
  public var rows: [[String]]

  /// Creates a table.
  public init(title: String, header: [String], rows: [[String]]) {
    self.title = title
    self.header = header
    self.rows = rows
  }
}

/// One or more curves sharing axes, e.g. the loss per epoch of several runs.
public struct Chart: Sendable {
  /// A short file-friendly name (`loss`, `accuracy`); SVG files are named after it.
  public var name: String
  /// The title shown above the chart.
  public var title: String
  /// The horizontal axis title, with its unit where it has one (`epoch`).
  public var xLabel: String
  /// The vertical axis title, with its unit where it has one (`loss (nats)`).
  public var yLabel: String
  /// Plot the vertical axis on a log scale (for losses spanning decades).
  public var logScale: Bool
  /// The curves; point i of each is at x = i + 1.
  public var series: [Series]

  /// Creates a chart.
  public init(
    name: String, title: String, xLabel: String, yLabel: String, logScale: Bool = false,
    series: [Series]
  ) {
    self.name = name
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.logScale = logScale
    self.series = series
  }
}

/// A named curve.
public struct Series: Sendable {
  /// The legend label.
  public var label: String
  /// The values, one per step. A non-finite value marks the run as diverged there: the
  /// curve stops at the last finite value, with a cross, and the legend says where.
  public var values: [Double]

  /// Creates a series.
  public init(label: String, values: [Double]) {
    self.label = label
    self.values = values
  }
}

/// Two-class points in the plane with linear decision boundaries w·x + b = 0.
public struct BoundaryPlot: Sendable {
  /// A short file-friendly name.
  public var name: String
  /// The title.
  public var title: String
  /// Points as (x₁, x₂, class 0 or 1).
  public var points: [(Double, Double, Int)]
  /// Boundaries as (label, w₁, w₂, b).
  public var boundaries: [(String, Double, Double, Double)]
  /// The horizontal axis title.
  public var xLabel: String
  /// The vertical axis title.
  public var yLabel: String
  /// The legend names of class 0 and class 1.
  public var classLabels: (String, String)

  /// Creates a plot.
  public init(
    name: String, title: String, points: [(Double, Double, Int)],
    boundaries: [(String, Double, Double, Double)], xLabel: String = "x₁", yLabel: String = "x₂",
    classLabels: (String, String) = ("class 0", "class 1")
  ) {
    self.name = name
    self.title = title
    self.points = points
    self.boundaries = boundaries
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.classLabels = classLabels
  }
}
