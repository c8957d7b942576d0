import Foundation
import GradeModel
import GraderCore
import Testing

/// One typical student mistake: a copy of a reference solution with one change, the case
/// that must lose its points, and what the feedback must say (in the hint or the verdict).
struct Mistake: Sendable, CustomStringConvertible {
  let name: String
  let problem: Int
  let find: String
  let replace: String
  let failingCase: String
  let mentions: String

  var description: String { name }
}

private let mistakes: [Mistake] = [
  // Problem 1
  Mistake(
    name: "biased std", problem: 1, find: "x.std(dim: 0, keepDim: true)",
    replace: "x.std(dim: 0, keepDim: true, unbiased: false)", failingCase: "p1.properties",
    mentions: "biased"),
  Mistake(
    name: "cosine without normalizing", problem: 1,
    find: "let unit = x / x.norm(dim: 1, keepDim: true)", replace: "let unit = x",
    failingCase: "p1.cosine", mentions: "norm"),
  Mistake(
    name: "diagonal included", problem: 1,
    find: "s.triu(diagonal: 1).sum() / Double(n * (n - 1) / 2)",
    replace: "s.triu(diagonal: 0).sum() / Double(n * (n + 1) / 2)", failingCase: "p1.upper-mean",
    mentions: "diagonal is included"),
  Mistake(
    name: "divided by N squared", problem: 1, find: "/ Double(n * (n - 1) / 2)",
    replace: "/ Double(n * n)", failingCase: "p1.upper-mean", mentions: "N²"),
  Mistake(
    name: "cosine built row by row", problem: 1, find: "  return unit.matmul(unit.T)",
    replace: "  return Tensor.stack((0..<unit.shape[0]).map { unit.matmul(unit[$0]) })",
    failingCase: "p1.no-loops", mentions: "map"),
  // Problem 2
  Mistake(
    name: "penalty on the bias", problem: 2, find: "lambda * (w * w).sum()",
    replace: "lambda * ((w * w).sum() + (b * b).sum())", failingCase: "p2.loss",
    mentions: "bias is penalized"),
  Mistake(
    name: "penalty missing", problem: 2,
    find: "(residual * residual).mean() + lambda * (w * w).sum()",
    replace: "(residual * residual).mean()", failingCase: "p2.loss", mentions: "penalty is missing"),
  Mistake(
    name: "sum instead of mean", problem: 2, find: "(residual * residual).mean()",
    replace: "(residual * residual).sum()", failingCase: "p2.loss", mentions: "mean((Xw + b − y)²)"),
  Mistake(
    name: "micro-batch loss not divided", problem: 2,
    find: "lambda: lambda) / count", replace: "lambda: lambda)", failingCase: "p2.accumulation",
    mentions: "4× too large"),
  Mistake(
    name: "gradients never zeroed", problem: 2, find: "  for p in parameters { p.zeroGrad() }",
    replace: "", failingCase: "p2.update", mentions: "zero them after each update"),
  Mistake(
    name: "update outside noGrad", problem: 2,
    find:
      "  noGrad {\n    for p in parameters {\n      guard let grad = p.grad else { continue }\n      p -= learningRate * grad\n    }\n  }",
    replace:
      "  for p in parameters {\n    guard let grad = p.grad else { continue }\n    p -= learningRate * grad\n  }",
    failingCase: "p2.update", mentions: "outside noGrad"),
  // Problem 3
  Mistake(
    name: "naive sigmoid", problem: 3,
    find: "  return Tensor.where(z .>= 0, 1 / (1 + e), e / (1 + e))",
    replace: "  _ = e\n  return 1 / (1 + (-z).exp())", failingCase: "p3.sigmoid-extremes",
    mentions: "overflows"),
  Mistake(
    name: "BCE without the minus sign", problem: 3,
    find: "return -(y * q.log() + (1 - y) * (1 - q).log()).mean()",
    replace: "return (y * q.log() + (1 - y) * (1 - q).log()).mean()", failingCase: "p3.bce",
    mentions: "BCE = −mean"),
  Mistake(
    name: "BCE from logits through log of sigmoid", problem: 3,
    find: "(z.relu() - z * y + (-z.abs()).exp().log1p()).mean()",
    replace: "binaryCrossEntropy(probabilities: 1 / (1 + (-z).exp()), targets: y)",
    failingCase: "p3.bce-extremes", mentions: "log1p"),
  Mistake(
    name: "L2 with the wrong sign", problem: 3, find: "targets: y) + l2 * (w * w).sum()",
    replace: "targets: y) - l2 * (w * w).sum()", failingCase: "p3.l2", mentions: "plus sign"),
  Mistake(
    name: "step without update", problem: 3,
    find:
      "    w -= learningRate * w.grad!\n    b -= learningRate * b.grad!\n  }\n  w.zeroGrad()\n  b.zeroGrad()\n  return loss.item()",
    replace: "  }\n  w.zeroGrad()\n  b.zeroGrad()\n  return loss.item()",
    failingCase: "p3.training",
    mentions: "gradient step"),
  // Problem 4
  Mistake(
    name: "softmax without the max", problem: 4,
    find: "let shifted = logits - logits.max(dim: 1, keepDim: true).values",
    replace: "let shifted = logits",
    failingCase: "p4.softmax", mentions: "max logit"),
  Mistake(
    name: "softmax over the wrong dimension", problem: 4,
    find: "return e / e.sum(dim: 1, keepDim: true)",
    replace: "return e / e.sum(dim: 0, keepDim: true)", failingCase: "p4.softmax",
    mentions: "own sum"),
  Mistake(
    name: "one-sided difference", problem: 4,
    find:
      "flat[i] = Tensor(original - epsilon, dtype: parameter.dtype)\n      let down = loss().item()\n"
      + "      flat[i] = Tensor(original, dtype: parameter.dtype)\n"
      + "      values.append((up - down) / (2 * epsilon))",
    replace:
      "flat[i] = Tensor(original, dtype: parameter.dtype)\n      let down = loss().item()\n"
      + "      values.append((up - down) / epsilon)",
    failingCase: "p4.numerical-gradient", mentions: "one-sided"),
  Mistake(
    name: "parameter not restored", problem: 4,
    find: "      flat[i] = Tensor(original, dtype: parameter.dtype)\n      values.append",
    replace: "      values.append", failingCase: "p4.numerical-gradient", mentions: "restored"),
  Mistake(
    name: "cross-entropy picks the wrong entries", problem: 4,
    find: "let picked = logits[Tensor.arange(logits.shape[0]), labels]",
    replace: "let picked = logits[.all, 0]", failingCase: "p4.cross-entropy", mentions: "logsumexp"),
  // Problem 5
  Mistake(
    name: "per-tensor clipping", problem: 5,
    find:
      "  let scale = maxNorm / (total + 1e-6)\n  if scale < 1 {\n    noGrad {\n      for g in grads { g *= scale }\n    }\n  }",
    replace:
      "  noGrad {\n    for g in grads {\n      let n = g.norm().item()\n      if n > maxNorm { g *= maxNorm / (n + 1e-6) }\n    }\n  }",
    failingCase: "p5.clip", mentions: "clipped on its own"),
  Mistake(
    name: "weight decay on the biases", problem: 5,
    find: "let penalty = (mlp.w1 * mlp.w1).sum() + (mlp.w2 * mlp.w2).sum()",
    replace:
      "let penalty = (mlp.w1 * mlp.w1).sum() + (mlp.w2 * mlp.w2).sum() + (mlp.b1 * mlp.b1).sum() + (mlp.b2 * mlp.b2).sum()",
    failingCase: "p5.loss", mentions: "biases are penalized"),
  Mistake(
    name: "weight decay missing", problem: 5,
    find: "return meanSquaredError(forward(mlp, x), y) + weightDecay * penalty",
    replace: "_ = penalty\n  return meanSquaredError(forward(mlp, x), y)", failingCase: "p5.loss",
    mentions: "term is missing"),
  Mistake(
    name: "no ReLU", problem: 5, find: "(x.matmul(mlp.w1) + mlp.b1).relu().matmul(mlp.w2)",
    replace: "(x.matmul(mlp.w1) + mlp.b1).matmul(mlp.w2)", failingCase: "p5.forward",
    mentions: "relu"),
  Mistake(
    name: "norm returned after clipping", problem: 5, find: "  return total\n  // END SOLUTION",
    replace: "  return Swift.min(total, maxNorm)\n  // END SOLUTION", failingCase: "p5.clip",
    mentions: "before clipping"),
]

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

@Test func theCorpusHoldsAtLeastTwentyFiveMistakesOverEveryProblem() {
  #expect(mistakes.count >= 25)
  #expect(Set(mistakes.map(\.problem)) == [1, 2, 3, 4, 5])
}

@Test(arguments: mistakes)
func eachMistakeLosesPointsOnItsCaseWithAHintThatNamesIt(_ mistake: Mistake) throws {
  let source = try String(
    contentsOf: root.appendingPathComponent(
      "Solutions/Problem\(mistake.problem)/Problem\(mistake.problem).swift"), encoding: .utf8)
  #expect(source.contains(mistake.find), "the mutation no longer applies")
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("mistake-\(UUID().uuidString)/Problem\(mistake.problem)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
  try source.replacingOccurrences(of: mistake.find, with: mistake.replace).write(
    to: folder.appendingPathComponent("Problem\(mistake.problem).swift"), atomically: true,
    encoding: .utf8)
  let result = try Grader(packageRoot: root).grade(
    GradeOptions(submission: folder.deletingLastPathComponent().path, problems: [mistake.problem]))
  let problem = try #require(result.problems.first)
  #expect(problem.status == .graded, "\(problem.diagnostics)")
  let failing = try #require(problem.cases.first { $0.id == mistake.failingCase })
  #expect(failing.verdict != .passed)
  #expect(failing.points == 0)
  let feedback = [failing.verdict.explanation, failing.hint ?? ""].joined(separator: " ")
  #expect(feedback.contains(mistake.mentions), "feedback: \(feedback)")
}
