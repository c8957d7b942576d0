import Autograd
import Foundation

func time(_ label: String, reps: Int, _ body: () -> Void) {
  let start = Date()
  for _ in 0..<reps { body() }
  let per = Date().timeIntervalSince(start) / Double(reps)
  print(label, String(format: "%.3f us", per * 1e6))
}
let big = Tensor.randn([4000, 4000])
let big2 = Tensor.randn([4000, 4000])
time("add16M", reps: 5) { _ = big + big2 }
time("exp16M", reps: 3) { _ = big.exp() }
time("sum16M", reps: 5) { _ = big.sum() }
time("rowbcast", reps: 5) { _ = big - big2[0..<1] }
let a = Tensor.randn([64, 64], requiresGrad: true)
let b = Tensor.randn([64, 64])
time("add64 grad", reps: 10000) { _ = a + b }
time("mul64 grad", reps: 10000) { _ = a * b }
let x = Tensor.randn([4000, 256])
time("gemm", reps: 3) { _ = x.matmul(x.T) }
