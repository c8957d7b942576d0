import Autograd
import GradeProtocol
import Problem1Solution

/// Typical mistakes of problem 1, each the reference with one function written wrong.
enum Mistakes {
  /// Cases the mistakes are not run on: the timed case at N = 4000 would cost seconds per mistake, and every
  /// mistake already shows in a function's own case.
  static let expensive: Set<String> = ["p1.speed"]

  static func mistake(_ id: String, _ message: String, _ variant: Reference) -> Mistake {
    Mistake(id, message, cases: Cases.all(variant).filter { !expensive.contains($0.id) })
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
        "p1.stats-over-rows",
        "The mean and std are taken over dim 1 (each row); a column's statistics are over dim 0.",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 1, keepDim: true)) / x.std(dim: 1, keepDim: true)
        })),
      mistake(
        "p1.std-over-rows",
        "The std is taken over dim 1 (each row's std); divide by each column's std, over dim 0.",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 0, keepDim: true)) / x.std(dim: 1, keepDim: true)
        })),
      mistake(
        "p1.mean-over-rows",
        "The mean is taken over dim 1 (each row's mean); subtract each column's mean, over dim 0.",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 1, keepDim: true)) / x.std(dim: 0, keepDim: true)
        })),
      mistake(
        "p1.global-mean",
        "The mean of the whole matrix is subtracted (mean() without dim); each column needs its "
          + "own mean, mean(dim: 0, keepDim: true).",
        Reference(standardizeBy: { x in (x - x.mean()) / x.std(dim: 0, keepDim: true) })),
      mistake(
        "p1.global-std",
        "The columns are divided by the std of the whole matrix (std() without dim); each column "
          + "needs its own std, std(dim: 0, keepDim: true).",
        Reference(standardizeBy: { x in (x - x.mean(dim: 0, keepDim: true)) / x.std() })),
      mistake(
        "p1.range-not-std",
        "The columns are divided by their range (max − min): that is min-max scaling. "
          + "Standardizing divides by the column's standard deviation.",
        Reference(standardizeBy: { x in
          (x - x.mean(dim: 0, keepDim: true))
            / (x.max(dim: 0, keepDim: true).values - x.min(dim: 0, keepDim: true).values)
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
        "p1.gram-of-columns",
        "S is Xᵀ·X, of shape [D, D] (the columns against each other); the rows' similarities "
          + "are X·Xᵀ, of shape [N, N].",
        Reference(cosineBy: { x in
          let unit = x / x.norm(dim: 1, keepDim: true)
          return unit.T.matmul(unit)
        })),
      mistake(
        "p1.one-norm-only",
        "xᵢ·xⱼ is divided by ‖xᵢ‖ only; the cosine divides by both norms, ‖xᵢ‖ ‖xⱼ‖ (normalize "
          + "every row before the product).",
        Reference(cosineBy: { x in x.matmul(x.T) / x.norm(dim: 1, keepDim: true) })),
      mistake(
        "p1.diagonal-in-sum",
        "The diagonal is in the sum (triu() keeps it): the strictly upper triangle is "
          + "triu(diagonal: 1).",
        Reference(upperMeanBy: { s in
          let n = s.shape[0]
          return s.triu().sum() / Double(n * (n - 1) / 2)
        })),
      mistake(
        "p1.count-without-half",
        "The sum is divided by N(N − 1); there are N(N − 1)/2 entries strictly above the "
          + "diagonal.",
        Reference(upperMeanBy: { s in
          let n = s.shape[0]
          return s.triu(diagonal: 1).sum() / Double(n * (n - 1))
        })),
      mistake(
        "p1.lower-triangle",
        "The entries below the diagonal are averaged (tril); the loss takes S[i, j] with j > i, "
          + "above it (triu(diagonal: 1)). They differ whenever the matrix is not symmetric.",
        Reference(upperMeanBy: { s in
          let n = s.shape[0]
          return s.tril(diagonal: -1).sum() / Double(n * (n - 1) / 2)
        })),
      mistake(
        "p1.stale-gradient",
        "x.grad is not cleared before backward, so a second call adds a second gradient to the "
          + "first: set x.grad = nil first.",
        Reference(checkBy: { x in
          Problem1Solution.similarityLoss(x).backward()
          let g = x.grad!
          return (
            true, g.shape, g.toArray().allSatisfy { $0 == 0 }, g.min().item(), g.max().item(),
            g.mean().item()
          )
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
