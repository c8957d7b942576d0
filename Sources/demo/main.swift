// A first look at the library: fit y = 3x − 1 from noisy samples with manual gradient
// descent, printing the loss as it falls and the parameters found.
import Autograd

var generator = Generator(seed: 0)
let x = Tensor.randn([256, 1], generator: &generator)
let y = 3 * x - 1 + 0.1 * Tensor.randn([256, 1], generator: &generator)

let w = Tensor.zeros([1, 1], requiresGrad: true)
let b = Tensor.zeros([1], requiresGrad: true)
let learningRate = 0.1

print("Fitting y = w·x + b to 256 samples of y = 3x − 1 + noise")
for step in 0...100 {
  let loss = (x.matmul(w) + b - y).pow(2).mean()
  loss.backward()
  noGrad {
    w -= learningRate * w.grad!
    b -= learningRate * b.grad!
  }
  w.zeroGrad()
  b.zeroGrad()
  if step % 20 == 0 {
    print("step \(step)  loss \(loss.item())")
  }
}
print("w =", w)
print("b =", b)
