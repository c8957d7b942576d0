// Benchmarks, one JSON line each. The five workloads W1–W5 are those of
// shared/spec/workloads.md, run with the reference solutions' own functions (their
// per-epoch diagnostics, which the workloads do not include, turned off); the
// micro-benchmarks measure per-operation overhead, SGEMM and elementwise throughput.
//
//   swift run -c release bench                 # everything
//   swift run -c release bench --workload W3   # one workload (or micro)
//   swift run -c release bench --repeats 5     # best of 5 instead of 3
import Autograd
import Foundation
import Problem1Solution
import Problem2Solution
import Problem3Solution
import Problem4Solution
import Problem5Solution

/// Best wall time of `repeats` runs of `body`, in seconds, with the last run's result.
func best<R>(of repeats: Int, _ body: () -> R) -> (seconds: Double, result: R) {
  var fastest = Double.infinity
  var last: R?
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    let r = body()
    fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    last = r
  }
  return (fastest, last!)
}

func emit(_ fields: [(String, Any)]) {
  let body = fields.map { key, value in
    let text = value is String ? "\"\(value)\"" : "\(value)"
    return "\"\(key)\":\(text)"
  }
  print("{" + body.joined(separator: ",") + "}")
}

let arguments = CommandLine.arguments
let only = arguments.firstIndex(of: "--workload").map { arguments[$0 + 1].uppercased() }
func wanted(_ name: String) -> Bool { only == nil || only == name.uppercased() }
/// How many runs each workload's best is taken over (the spec's 3 unless asked).
let repeats = arguments.firstIndex(of: "--repeats").flatMap { Int(arguments[$0 + 1]) } ?? 3

if wanted("W1") {
  // Standardize, cosine similarity, strictly-upper-triangular mean, backward: N = 4000, D = 256.
  var g = Generator(seed: 0)
  let x = Tensor.randn([4000, 256], requiresGrad: true, generator: &g)
  let (seconds, grad) = best(of: repeats) { () -> Tensor in
    x.grad = nil
    similarityLoss(x).backward()
    return x.grad!
  }
  // W1 runs first, so the process's peak resident memory so far is W1's (with its input).
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  let floor = w1Floor(n: 4000, d: 256, repeats: repeats)
  emit([
    ("workload", "W1"), ("seconds", seconds), ("grad_min", grad.min().item()),
    ("grad_max", grad.max().item()), ("grad_mean", grad.mean().item()),
    ("peak_rss_megabytes", Double(usage.ru_maxrss) / 1024),
    ("floor_seconds", floor.seconds), ("floor_sgemm_gflops", floor.gflops),
    ("floor_gigabytes_per_second", floor.gigabytesPerSecond),
    ("seconds_over_floor", seconds / floor.seconds),
    ("blas_kernels", Device.cpu.blasKernels ?? "none"),
  ])
}

if wanted("W2") {
  let problem = makeRidgeProblem(seed: 0)
  var config = RidgeConfig()
  config.diagnostics = false
  let (seconds, run) = best(of: repeats) { trainRidge(problem.data, config: config) }
  emit([("workload", "W2"), ("seconds", seconds), ("w_error", run.wError(problem))])
}

if wanted("W3") {
  let (x, y) = makeBlobs(seed: 0)
  var config = LogisticConfig(learningRate: 0.1)
  config.diagnostics = false
  let (seconds, run) = best(of: repeats) { trainLogistic(x: x, y: y, config: config) }
  emit([("workload", "W3"), ("seconds", seconds), ("accuracy", run.accuracy.last!)])
}

if wanted("W4") {
  let (x, labels) = makeClusters(seed: 0)
  var config = SoftmaxConfig()
  config.diagnostics = false
  let (seconds, figures) = best(of: repeats) { () -> (Double, Double) in
    let run = trainSoftmax(x: x, labels: labels, classes: 5, config: config)
    let error = gradientCheck(x: x[0..<64], labels: labels[0..<64], w: run.w, b: run.b)
    return (run.accuracy.last!, error)
  }
  emit([
    ("workload", "W4"), ("seconds", seconds), ("accuracy", figures.0),
    ("max_relative_error", figures.1),
  ])
}

if wanted("W5") {
  let data = makeRegressionData(seed: 0)
  var config = MLPConfig(
    epochs: 100, batchSize: 64, learningRate: 0.1, weightDecay: 1e-4, clip: 1.0)
  config.diagnostics = false
  let (seconds, run) = best(of: repeats) {
    trainMLP(
      xTrain: data.xTrain, yTrain: data.yTrain, xVal: data.xVal, yVal: data.yVal, config: config)
  }
  emit([("workload", "W5"), ("seconds", seconds), ("val_mse", run.valMSE.last!)])
}

/// Whether a micro-benchmark runs: all of them with `--workload micro`, or one by its name.
func wantedMicro(_ name: String) -> Bool { wanted("micro") || only == name.uppercased() }

/// The time of one recorded `a + b` on `shape`, with `a` a leaf that requires grad.
func microAdd(_ shape: [Int], named name: String) {
  var g = Generator(seed: 0)
  let a = Tensor.randn(shape, requiresGrad: true, generator: &g)
  let b = Tensor.randn(shape, generator: &g)
  let ops = 10_000
  let add = best(of: 5) { for _ in 0..<ops { _ = a + b } }.seconds
  emit([("micro", name), ("microseconds_per_op", add / Double(ops) * 1e6)])
}

// One small recorded operation, and the same on [2, 2]: the per-operation cost alone, with
// almost no arithmetic.
if wantedMicro("add_64x64_autograd") { microAdd([64, 64], named: "add_64x64_autograd") }
if wantedMicro("add_2x2_autograd") { microAdd([2, 2], named: "add_2x2_autograd") }

if wanted("micro") {
  var g = Generator(seed: 1)
  // SGEMM through the library: [4000, 256] · [256, 4000], two different operands (a product
  // of a matrix with its own transpose would take the SYRK path, half the work).
  let m1 = Tensor.randn([4000, 256], generator: &g)
  let m2 = Tensor.randn([256, 4000], generator: &g)
  let gemm = best(of: repeats) { _ = m1.matmul(m2) }.seconds
  emit([("micro", "sgemm_4000x256x4000"), ("gflops", 2.0 * 4000 * 4000 * 256 / gemm / 1e9)])
  // Elementwise throughput on 16M float32 elements: two reads and one write per element.
  let big1 = Tensor.randn([4096, 4096], generator: &g)
  let big2 = Tensor.randn([4096, 4096], generator: &g)
  let addBig = best(of: 5) { _ = big1 + big2 }.seconds
  emit([
    ("micro", "add_16M_float32"), ("gigabytes_per_second", 3.0 * 4 * 16_777_216 / addBig / 1e9),
  ])
}
