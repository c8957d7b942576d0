// Micro-benchmarks of the library, one JSON line each: per-operation overhead with
// autograd, SGEMM throughput and elementwise memory throughput. Run in release:
// `swift run -c release bench`.
import Autograd
import Foundation

/// Best wall time of `repeats` runs of `body`, in seconds.
func best(of repeats: Int, _ body: () -> Void) -> Double {
  var fastest = Double.infinity
  for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }
  return fastest
}

func emit(_ fields: [(String, Any)]) {
  let body = fields.map { key, value in
    let text = value is String ? "\"\(value)\"" : "\(value)"
    return "\"\(key)\":\(text)"
  }
  print("{" + body.joined(separator: ",") + "}")
}

var generator = Generator(seed: 0)

// Overhead of one small recorded operation: [64, 64] + [64, 64] with a leaf that requires grad.
let a = Tensor.randn([64, 64], requiresGrad: true, generator: &generator)
let b = Tensor.randn([64, 64], generator: &generator)
let ops = 10_000
let addSeconds = best(of: 5) { for _ in 0..<ops { _ = a + b } }
emit([("micro", "add_64x64_autograd"), ("microseconds_per_op", addSeconds / Double(ops) * 1e6)])

// SGEMM through the library: [4000, 256] · [256, 4000].
let m = Tensor.randn([4000, 256], generator: &generator)
let gemmSeconds = best(of: 3) { _ = m.matmul(m.T) }
emit([("micro", "sgemm_4000x256x4000"), ("gflops", 2.0 * 4000 * 4000 * 256 / gemmSeconds / 1e9)])

// Elementwise throughput on 16M float32 elements: two reads and one write per element.
let big1 = Tensor.randn([4096, 4096], generator: &generator)
let big2 = Tensor.randn([4096, 4096], generator: &generator)
let addBigSeconds = best(of: 5) { _ = big1 + big2 }
emit([
  ("micro", "add_16M_float32"),
  ("gigabytes_per_second", 3.0 * 4 * 16_777_216 / addBigSeconds / 1e9),
])
