import Autograd
import Problem1Solution
import Problem2Solution
import Problem3Solution
import Problem4Solution
import Problem5Solution
import Testing

@testable import Courseware

/// Every problem's report, as `course run N --json` and `--plots` give it: the per-epoch
/// loss, gradient norm and weight norm are in its JSON, and no plot's legend covers data.
@Suite struct ReportFiguresTests {
  static func report(_ problem: Int) -> Report {
    switch problem {
    case 1: Problem1Solution.report(seed: 0, n: 200, d: 16)
    case 2: Problem2Solution.report(seed: 0)
    case 3: Problem3Solution.report(seed: 0)
    case 4: Problem4Solution.report(seed: 0)
    default: Problem5Solution.report(seed: 0)
    }
  }

  /// The objects of a report's JSON that hold a training log: the top level for problems
  /// 1, 2 and 4 (one main run), and every entry of `runs` for problems 3 and 5.
  static func logs(_ json: JSON, problem: Int) -> [JSON] {
    switch problem {
    case 3, 5: json["runs"]?.array ?? []
    default: [json]
    }
  }

  @Test(arguments: 1...5)
  func jsonHoldsTheLogsAndNoLegendCoversData(problem: Int) throws {
    let report = Self.report(problem)
    let epochs = [1: 1, 2: 20, 3: 200, 4: 20, 5: 100][problem]!
    let logs = Self.logs(report.json, problem: problem)
    #expect(!logs.isEmpty)
    for log in logs {
      for key in ["loss_history", "gradient_norm_history", "weight_norm_history"] {
        #expect(log[key]?.array?.count == epochs, "problem \(problem): \(key)")
      }
    }
    // Every chart and boundary plot: the legend box touches no drawn segment or point.
    let colors = report.seriesColors
    let figures =
      report.charts.map { $0.figure(colors: colors) }
      + report.boundaries.map { $0.figure(colors: colors) }
    for figure in figures {
      let legend = try #require(figure.legend)
      #expect(!covers(legend.box, figure.marks), "problem \(problem): \(figure.title)")
    }
    if problem != 1 {
      #expect(report.charts.contains { $0.name == "gradient-norm" })
      #expect(report.charts.contains { $0.name == "weight-norm" })
      #expect(report.charts.contains { $0.name == "loss" })
    } else {
      #expect(report.charts.isEmpty && report.boundaries.isEmpty)
    }
  }

  @Test func problemOneLogsItsOneStep() throws {
    let report = Problem1Solution.report(seed: 0, n: 200, d: 16)
    // ‖X‖ from the same draws, summed in Float64 here.
    var generator = Generator(seed: 0)
    let x = Tensor.randn([200, 16], generator: &generator).toArray()
    let expected = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let weightNorm = try #require(report.json["weight_norm"]?.number)
    // float32 data summed in float64 by the library: agreement to float32 rounding.
    #expect(Swift.abs(weightNorm - expected) / expected < 1e-6)
    #expect(report.json["weight_norm_history"]?.array?.first?.number == weightNorm)
    #expect((report.json["gradient_norm"]?.number ?? 0) > 0)
    #expect(report.findings.contains { $0.contains("CUDA backend in Autograd") })
  }
}
