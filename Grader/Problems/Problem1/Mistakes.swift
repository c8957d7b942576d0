import Autograd
import GradeProtocol

/// Typical mistakes of problem 1, each the reference with one function written wrong.
enum Mistakes {
  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant))
  }

  static var all: [Mistake] {
    [
      mistake(
        "p1.biased-std",
        "The std divides by N (biased); torch.std and this problem use the unbiased std, "
          + "dividing by N − 1.",
        Reference(standardizeBy: { x in
          let centered = x - x.mean(dim: 0, keepDim: true)
          return centered / (centered * centered).mean(dim: 0, keepDim: true).sqrt()
        })),
      mistake(
        "p1.std-over-rows",
        "The mean or std is taken over dim 1 (each row); a column's statistics are over dim 0.",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 1, keepDim: true)) / x.std(dim: 1, keepDim: true)
        })),
      mistake(
        "p1.no-centering",
        "The column mean is not subtracted: standardizing is (X − mean) / std.",
        Reference(standardizeBy: { x in x / x.std(dim: 0, keepDim: true) })),
      mistake(
        "p1.variance-not-std",
        "The columns are divided by the variance instead of the standard deviation (its square "
          + "root).",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 0, keepDim: true)) / x.std(dim: 0, keepDim: true).pow(2)
        })),
      mistake(
        "p1.unnormalized-dot",
        "S holds raw dot products xᵢ·xⱼ: divide by the norms ‖xᵢ‖ ‖xⱼ‖.",
        Reference(cosineBy: { x in x.matmul(x.T) })),
      mistake(
        "p1.norm-over-columns",
        "The norms are taken over dim 0 (columns); each row xᵢ needs its own norm, over dim 1.",
        Reference(cosineBy: { x in
          let unit = x / x.norm(dim: 0, keepDim: true)
          return unit.matmul(unit.T)
        })),
      mistake(
        "p1.squared-norms",
        "The dot products are divided by the squared norms ‖xᵢ‖²‖xⱼ‖²; use the norms themselves.",
        Reference(cosineBy: { x in
          let sq = (x * x).sum(dim: 1, keepDim: true)
          return x.matmul(x.T) / sq.matmul(sq.T)
        })),
      mistake(
        "p1.diagonal-included",
        "The diagonal is included: the strictly upper triangle starts one above it "
          + "(triu(diagonal: 1)).",
        Reference(upperMeanBy: { s in
          let n = s.shape[0]
          return s.triu().sum() / Double(n * (n + 1) / 2)
        })),
      mistake(
        "p1.divided-by-n-squared",
        "The sum is divided by N² (the mean over the whole masked matrix) instead of by the "
          + "N(N − 1)/2 entries above the diagonal.",
        Reference(upperMeanBy: { s in s.triu(diagonal: 1).mean() })),
      mistake(
        "p1.whole-matrix-mean",
        "The mean is over every entry of S, not only the strictly upper triangle.",
        Reference(upperMeanBy: { s in s.mean() })),
      mistake(
        "p1.triangle-count-with-diagonal",
        "The sum above the diagonal is divided by N(N + 1)/2, the count with the diagonal; "
          + "there are N(N − 1)/2 entries strictly above it.",
        Reference(upperMeanBy: { s in
          let n = s.shape[0]
          return s.triu(diagonal: 1).sum() / Double(n * (n + 1) / 2)
        })),
    ]
  }
}
