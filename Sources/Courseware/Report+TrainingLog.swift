/// Per-epoch diagnostics in a report: the loss, gradient norm and weight norm of each run,
/// as JSON arrays, as a table of chosen epochs and as charts with one line per run.
extension TrainingLog {
  /// The three histories under the keys the reports use.
  public var jsonFields: [(String, JSON)] {
    [
      ("loss_history", .numbers(loss)), ("gradient_norm_history", .numbers(gradientNorm)),
      ("weight_norm_history", .numbers(weightNorm)),
    ]
  }

  /// The epochs a table shows (1-based): the first three, then 5, 10, 20, 50, … and the last,
  /// so that a long run still fits on a screen.
  public var tableEpochs: [Int] {
    let count = loss.count
    let marks = [1, 2, 3] + [5, 10, 20, 50, 100, 200, 500, 1000].filter { $0 < count }
    return Array(Set(marks.filter { $0 <= count } + (count > 0 ? [count] : []))).sorted()
  }
}

extension Report {
  /// Adds each run's per-epoch log: a table of ``TrainingLog/tableEpochs`` per run, and
  /// charts of the gradient norm (log scale) and the weight norm with one line per run,
  /// plus a chart of the loss unless `lossChart` is false (when the report already plots it).
  ///
  /// - Parameters:
  ///   - runs: (label, log) per run, labelled as in the report's other charts, so that a run
  ///     keeps its colour.
  ///   - lossLabel: The loss's axis title, with its unit.
  ///   - parameters: What the norms cover, for the titles (`w and b`).
  public mutating func addTrainingLogs(
    _ runs: [(String, TrainingLog)], lossLabel: String = "loss", parameters: String,
    lossChart: Bool = true
  ) {
    for (label, log) in runs {
      tables.append(
        Table(
          title: "Per-epoch log" + (runs.count > 1 ? ": \(label)" : ""),
          header: ["epoch", "loss", "‖gradient‖", "‖weights‖"],
          rows: log.tableEpochs.map { e in
            [
              "\(e)", formatFigure(log.loss[e - 1]), formatFigure(log.gradientNorm[e - 1]),
              formatFigure(log.weightNorm[e - 1]),
            ]
          }))
    }
    if lossChart {
      charts.append(
        Chart(
          name: "loss", title: "Training loss per epoch", xLabel: "epoch", yLabel: lossLabel,
          logScale: true, series: runs.map { Series(label: $0.0, values: $0.1.loss) }))
    }
    charts.append(
      Chart(
        name: "gradient-norm", title: "Gradient norm of the full training loss (\(parameters))",
        xLabel: "epoch", yLabel: "global gradient norm ‖∇L‖₂", logScale: true,
        series: runs.map { Series(label: $0.0, values: $0.1.gradientNorm) }))
    charts.append(
      Chart(
        name: "weight-norm", title: "Weight norm (\(parameters))", xLabel: "epoch",
        yLabel: "global weight norm ‖θ‖₂",
        series: runs.map { Series(label: $0.0, values: $0.1.weightNorm) }))
  }
}
