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

  /// The loops in the functions called `functions` and in every function of the submission
  /// they call, directly or through other helpers: a loop moved into a helper is still a loop.
  /// Functions are found by name across all `sources` (top level, in types and extensions,
  /// and closures stored in variables).
  public static func loops(in sources: [String], functions: Set<String>) -> [Finding] {
    loops(in: sources.map { Parser.parse(source: $0) }, functions: functions)
  }

  /// ``loops(in:functions:)`` on files already parsed (parsing, with the grader's debug build
  /// of swift-syntax, was most of a source case's time).
  public static func loops(in trees: [SourceFileSyntax], functions: Set<String>) -> [Finding] {
    var bodies: [String: [(Syntax, SourceLocationConverter)]] = [:]
    for tree in trees {
      let converter = SourceLocationConverter(fileName: "", tree: tree)
      let collector = DeclarationCollector(viewMode: .sourceAccurate)
      collector.walk(tree)
      for (name, body) in collector.bodies { bodies[name, default: []].append((body, converter)) }
    }
    var findings: [Finding] = []
    var seen = Set<String>()
    var work = functions.sorted().map { (name: $0, via: $0) }
    while let (name, via) = work.first {
      work.removeFirst()
      guard seen.insert(name).inserted else { continue }
      for (body, converter) in bodies[name] ?? [] {
        let visitor = LoopVisitor(viewMode: .sourceAccurate)
        visitor.walk(body)
        for (kind, node) in visitor.found {
          let line = node.startLocation(converter: converter).line
          let label = name == via ? name : "\(name) (called from \(via))"
          findings.append(Finding(function: label, kind: kind, line: line))
        }
        let calls = CallCollector(viewMode: .sourceAccurate)
        calls.walk(body)
        for callee in calls.names.sorted() where bodies[callee] != nil && !seen.contains(callee) {
          work.append((callee, via))
        }
      }
    }
    return findings
  }
}

/// Every function body and stored closure of a file, by name.
private final class DeclarationCollector: SyntaxVisitor {
  var bodies: [(String, Syntax)] = []

  override func visit(_ node: FunctionDeclSyntax) -> SyntaxVisitorContinueKind {
    if let body = node.body { bodies.append((node.name.text, Syntax(body))) }
    return .visitChildren
  }

  override func visit(_ node: VariableDeclSyntax) -> SyntaxVisitorContinueKind {
    for binding in node.bindings {
      guard let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text else {
        continue
      }
      if let value = binding.initializer?.value { bodies.append((name, Syntax(value))) }
      if let accessors = binding.accessorBlock { bodies.append((name, Syntax(accessors))) }
    }
    return .visitChildren
  }
}

/// The names a body calls or refers to (a helper can be passed as a value, too).
private final class CallCollector: SyntaxVisitor {
  var names = Set<String>()

  override func visit(_ node: DeclReferenceExprSyntax) -> SyntaxVisitorContinueKind {
    names.insert(node.baseName.text)
    return .visitChildren
  }
}

extension LoopCheck {
  /// The label of the first `todo("…")` call in the named functions, if any: an unwritten
  /// function has no loops, but it has no credit either.
  public static func todoLabel(in source: String, functions: Set<String>) -> String? {
    todoLabel(in: Parser.parse(source: source), functions: functions)
  }

  /// ``todoLabel(in:functions:)`` on a file already parsed.
  public static func todoLabel(in tree: SourceFileSyntax, functions: Set<String>) -> String? {
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
