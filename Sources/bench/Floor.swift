// The machine's floor for W1, measured in the same process as the workload.
import Autograd

/// What W1 cannot go below on this machine, as the spec counts it: its two N×N×D products
/// (S in forward, one product in backward) at the SGEMM rate, plus one pass over the N×N
/// matrix at the memory bandwidth, both measured now.
struct W1Floor {
  /// The floor in seconds.
  var seconds: Double
  /// SGEMM through the library on an N×D by D×N product, in GFLOP/s.
  var gflops: Double
  /// Streaming bandwidth of a 16M-element float32 add (two reads and one write per element).
  var gigabytesPerSecond: Double
}

/// Measures ``W1Floor`` for W1 of size `n` × `d`, each rate the best of `repeats` runs.
func w1Floor(n: Int, d: Int, repeats: Int) -> W1Floor {
  var g = Generator(seed: 1)
  // Two different operands: a product of a matrix with its own transpose would take the
  // SYRK route, which does half the multiply-adds and would overstate the rate.
  let left = Tensor.randn([n, d], generator: &g)
  let right = Tensor.randn([d, n], generator: &g)
  // At least 5 runs: one product is 40–60 ms, and a floor measured while another process
  // briefly took a core would be too high and flatter W1's ratio to it.
  let gemm = best(of: max(repeats, 5)) { _ = left.matmul(right) }.seconds
  let gflops = 2.0 * Double(n) * Double(n) * Double(d) / gemm / 1e9
  let elements = 16_777_216
  let a = Tensor.randn([elements], generator: &g)
  let b = Tensor.randn([elements], generator: &g)
  let add = best(of: max(repeats, 5)) { _ = a + b }.seconds
  let bandwidth = 3.0 * 4 * Double(elements) / add / 1e9
  let products = 2 * gemm
  let pass = 4.0 * Double(n) * Double(n) / (bandwidth * 1e9)
  return W1Floor(seconds: products + pass, gflops: gflops, gigabytesPerSecond: bandwidth)
}
