import Autograd
import Testing

// Exact snapshots of `description`. Each expected string is what PyTorch 2.x prints for the
// same values (torch/_tensor_str.py: 4 decimals, elements right-aligned to a common width,
// scientific notation when the nonzero finite magnitudes exceed 1e8, fall below 1e-4 or
// span more than a factor 1000, summarised with 3 edge items above 1000 elements), with
// this library's deliberate Swift spellings: `dtype=float64` for `dtype=torch.float64`,
// `requiresGrad=true` for `requires_grad=True`, `gradFn=<MulBackward>` for
// `grad_fn=<MulBackward0>`.
//
// Deliberately not snapshotted: floats whose values are all integers, which PyTorch prints
// as `tensor([1., 2.])` and this library as `tensor([1.0000, 2.0000])`.

@Suite struct DescriptionTests {}

extension DescriptionTests {
  @Suite struct Values {
    @Test func zeroDimensionalFloat32() {
      #expect(Tensor(-2.25).description == "tensor(-2.2500)")
      #expect(Tensor(0.5, dtype: .float64).description == "tensor(0.5000, dtype=float64)")
    }

    @Test func float32Vector() {
      let t = Tensor([1.5, -2.25, 3.125] as [Float])
      #expect(t.description == "tensor([ 1.5000, -2.2500,  3.1250])")
    }

    @Test func float64Matrix() {
      let t = Tensor(rows: [[1.25, -2.5, 0.125], [10.75, 3.5, -0.0625]])
      #expect(t.dtype == .float64)
      #expect(
        t.description == """
          tensor([[ 1.2500, -2.5000,  0.1250],
                  [10.7500,  3.5000, -0.0625]], dtype=float64)
          """)
    }

    @Test func int64Vector() {
      #expect(Tensor([3, -12, 450, 0]).description == "tensor([  3, -12, 450,   0])")
    }

    @Test func boolMask() {
      let t = Tensor([true, false, false, true])
      #expect(t.description == "tensor([ True, False, False,  True])")
      let m = Tensor([1.5, -1, 2] as [Float]) .> Tensor([0, 0, 3] as [Float])
      #expect(m.description == "tensor([ True, False, False])")
    }

    @Test func emptyTensors() {
      #expect(Tensor([] as [Float]).description == "tensor([])")
      #expect(Tensor([] as [Int]).description == "tensor([], dtype=int64)")
      #expect(Tensor([] as [Double]).description == "tensor([], dtype=float64)")
    }
  }
}

extension DescriptionTests {
  @Suite struct Gradients {
    @Test func leafThatRequiresGrad() {
      let x = Tensor([0.5, -1.25] as [Float], requiresGrad: true)
      #expect(x.description == "tensor([ 0.5000, -1.2500], requiresGrad=true)")
      let y = Tensor([0.5, -1.25], requiresGrad: true)
      #expect(y.description == "tensor([ 0.5000, -1.2500], dtype=float64, requiresGrad=true)")
    }

    @Test func resultOfARecordedOperation() {
      let x = Tensor([0.5, -1.25] as [Float], requiresGrad: true)
      let y = x * 3
      #expect(y.description == "tensor([ 1.5000, -3.7500], gradFn=<MulBackward>)")
      #expect(y.sum().description == "tensor(-2.2500, gradFn=<SumBackward>)")
      let z = Tensor([0.5, -1.25], requiresGrad: true) + 1
      #expect(z.description == "tensor([ 1.5000, -0.2500], dtype=float64, gradFn=<AddBackward>)")
      // Not recorded: no suffix at all.
      let w = noGrad { x * 3 }
      #expect(w.description == "tensor([ 1.5000, -3.7500])")
    }
  }
}

extension DescriptionTests {
  @Suite struct Formats {
    @Test func largeValuesUseScientificNotation() {
      let t = Tensor([1e10, 1.5] as [Float])
      #expect(t.description == "tensor([1.0000e+10, 1.5000e+00])")
    }

    @Test func smallValuesUseScientificNotation() {
      let t = Tensor([1e-5, 0.5, -3])
      #expect(t.description == "tensor([ 1.0000e-05,  5.0000e-01, -3.0000e+00], dtype=float64)")
    }

    /// PyTorch also switches to scientific notation when the largest nonzero magnitude is
    /// more than 1000 times the smallest, so that small values keep their digits
    /// (`torch.tensor([0.00123, 12.5])` prints `tensor([1.2300e-03, 1.2500e+01])`).
    @Test func wideDynamicRangeUsesScientificNotation() {
      let t = Tensor([0.00123, 12.5] as [Float])
      #expect(t.description == "tensor([1.2300e-03, 1.2500e+01])")
    }

    @Test func nanAndInfinity() {
      let t = Tensor([1.5, .nan, .infinity, -.infinity] as [Float])
      #expect(t.description == "tensor([1.5000,    nan,    inf,   -inf])")
    }

    /// Nested brackets line up under the brackets above them, one column per level, and
    /// blocks of a 3-D tensor are separated by an empty line.
    @Test func threeDimensionalAlignment() {
      let t = Tensor((0..<8).map { Float($0) + 0.5 }, shape: [2, 2, 2])
      #expect(
        t.description == """
          tensor([[[0.5000, 1.5000],
                   [2.5000, 3.5000]],

                  [[4.5000, 5.5000],
                   [6.5000, 7.5000]]])
          """)
    }
  }
}

extension DescriptionTests {
  @Suite struct Summaries {
    /// 1 + (40i + j) / 1000, so every shown value says where it came from.
    private static var matrix: Tensor {
      Tensor((0..<1600).map { Float(1 + Double($0) / 1000) }, shape: [40, 40])
    }

    /// PyTorch's exact output: inside a row the ellipsis is the element " ...", so it
    /// follows two spaces; between rows it is "..." on a line of its own.
    @Test func fortyByFortyMatchesPyTorch() {
      #expect(
        Self.matrix.description == """
          tensor([[1.0000, 1.0010, 1.0020,  ..., 1.0370, 1.0380, 1.0390],
                  [1.0400, 1.0410, 1.0420,  ..., 1.0770, 1.0780, 1.0790],
                  [1.0800, 1.0810, 1.0820,  ..., 1.1170, 1.1180, 1.1190],
                  ...,
                  [2.4800, 2.4810, 2.4820,  ..., 2.5170, 2.5180, 2.5190],
                  [2.5200, 2.5210, 2.5220,  ..., 2.5570, 2.5580, 2.5590],
                  [2.5600, 2.5610, 2.5620,  ..., 2.5970, 2.5980, 2.5990]])
          """)
    }

    /// The structure of the summary, independent of the spacing around the ellipsis:
    /// three edge rows and columns on each side, in order.
    @Test func fortyByFortyShowsThreeEdgeItems() {
      let lines = Self.matrix.description.split(separator: "\n").map(String.init)
      #expect(lines.count == 7)
      guard lines.count == 7 else { return }
      #expect(lines[3] == "        ...,")
      let rows = [0, 1, 2, 37, 38, 39]
      for (line, i) in zip(lines[0..<3] + lines[4...], rows) {
        let values = line.split(whereSeparator: { ", []()tensor".contains($0) })
          .map(String.init)
        let expected = [0, 1, 2, 37, 38, 39].map {
          String(format: "%.4f", 1 + Double(40 * i + $0) / 1000)
        }
        #expect(values == Array(expected[0..<3] + ["..."] + expected[3...]), "row \(i)")
      }
    }

    /// More than 1000 elements are summarised, exactly 1000 are not (PyTorch's threshold).
    @Test func summaryThreshold() {
      let full = Tensor((0..<1000).map { Float($0) / 8 + 0.5 }, shape: [10, 100])
      #expect(!full.description.contains("..."))
      #expect(full.description.contains("124.8750"))
      let summarised = Tensor((0..<1001).map { Float($0) / 8 + 0.5 }, shape: [1001])
      let text = summarised.description
      #expect(text.contains("0.7500,") && text.contains("..., 125.2500"))
      #expect(!text.contains("0.8750") && !text.contains("125.1250"))
    }
  }
}
