import GradeModel
import MarkdownHTML

/// The feedback as a complete HTML5 page: the Markdown report rendered by cmark in its safe
/// mode, with a small inline style sheet and no scripts or external resources.
public enum HTMLReport {
  /// The HTML page for `result`; the same result always gives the same text.
  public static func render(_ result: GradeResult) -> String {
    let title = ReportText.xmlEscaped(
      result.submission.isEmpty ? "Feedback" : "Feedback for \(result.submission)")
    let body = MarkdownHTML.render(MarkdownReport.render(result))
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(title)</title>
      <style>
      \(style)
      </style>
      </head>
      <body>
      <main>
      \(body)</main>
      </body>
      </html>

      """
  }

  /// The page's style sheet: readable width, system fonts, tables and code blocks.
  private static let style = """
    body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; }
    main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
    h1, h2 { line-height: 1.25; }
    h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #ccc; padding: 0.2rem 0.6rem; }
    pre { background: #f5f5f5; padding: 0.75rem; overflow-x: auto; white-space: pre; }
    code { font-family: ui-monospace, monospace; font-size: 0.9em; }
    """
}
