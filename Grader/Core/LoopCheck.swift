import SwiftParser
import SwiftSyntax

/// Finds loops in named functions of a student's source, on the syntax tree: `for`,
/// `while` and `repeat` statements, and iteration through closures (`forEach`, `map`,
/// `reduce`, …). Comments and strings that mention loops do not count.
public enum LoopCheck {
  /// A loop found in a function.
  public struct Finding: Sendable, Equatable {
    /// The function's name.
    public var function: String
    /// What kind of loop (`for`, `while`, `map`, …).
    public var kind: String
    /// The 1-based line in the source.
    public var line: Int
  }

  /// Member calls that iterate with a closure.
  static let iterating: Set<String> = [
    "forEach", "map", "flatMap", "compactMap", "reduce", "filter", "allSatisfy", "contains",
  ]

  /// The loops in the top-level functions called `functions` in `source`.
  public static func loops(in source: String, functions: Set<String>) -> [Finding] {
    let tree = Parser.parse(source: source)
    let converter = SourceLocationConverter(fileName: "", tree: tree)
    var findings: [Finding] = []
    for statement in tree.statements {
      guard let function = statement.item.as(FunctionDeclSyntax.self),
        functions.contains(function.name.text), let body = function.body
      else { continue }
      let visitor = LoopVisitor(viewMode: .sourceAccurate)
      visitor.walk(body)
      for (kind, node) in visitor.found {
        let line = node.startLocation(converter: converter).line
        findings.append(Finding(function: function.name.text, kind: kind, line: line))
      }
    }
    return findings
  }
}

extension LoopCheck {
  /// The label of the first `todo("…")` call in the named functions, if any: an unwritten
  /// function has no loops, but it has no credit either.
  public static func todoLabel(in source: String, functions: Set<String>) -> String? {
    let tree = Parser.parse(source: source)
    for statement in tree.statements {
      guard let function = statement.item.as(FunctionDeclSyntax.self),
        functions.contains(function.name.text), let body = function.body
      else { continue }
      let visitor = TodoVisitor(viewMode: .sourceAccurate)
      visitor.walk(body)
      if let label = visitor.label { return label }
    }
    return nil
  }
}

private final class TodoVisitor: SyntaxVisitor {
  var label: String?

  override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
    if label == nil, node.calledExpression.as(DeclReferenceExprSyntax.self)?.baseName.text == "todo"
    {
      let argument = node.arguments.first?.expression.as(StringLiteralExprSyntax.self)
      label =
        argument?.segments.compactMap { $0.as(StringSegmentSyntax.self)?.content.text }.joined()
        ?? "a task"
    }
    return .visitChildren
  }
}

private final class LoopVisitor: SyntaxVisitor {
  var found: [(String, Syntax)] = []

  override func visit(_ node: ForStmtSyntax) -> SyntaxVisitorContinueKind {
    found.append(("for", Syntax(node)))
    return .visitChildren
  }

  override func visit(_ node: WhileStmtSyntax) -> SyntaxVisitorContinueKind {
    found.append(("while", Syntax(node)))
    return .visitChildren
  }

  override func visit(_ node: RepeatStmtSyntax) -> SyntaxVisitorContinueKind {
    found.append(("repeat", Syntax(node)))
    return .visitChildren
  }

  override func visit(_ node: FunctionCallExprSyntax) -> SyntaxVisitorContinueKind {
    if let member = node.calledExpression.as(MemberAccessExprSyntax.self),
      LoopCheck.iterating.contains(member.declName.baseName.text),
      node.trailingClosure != nil
        || node.arguments.contains(where: { $0.expression.is(ClosureExprSyntax.self) })
    {
      found.append((member.declName.baseName.text, Syntax(node)))
    }
    return .visitChildren
  }
}
