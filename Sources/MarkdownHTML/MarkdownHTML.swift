import CCmark
import Glibc

/// Converts CommonMark Markdown to HTML with cmark, the CommonMark reference implementation.
///
/// Raw HTML in the input is not passed through (cmark's default safe mode replaces it with a
/// comment), and `javascript:`, `vbscript:`, `file:` and `data:` links (other than images)
/// are dropped, so Markdown built from untrusted text cannot inject script into the page.
public enum MarkdownHTML {
  /// The HTML body for `markdown`.
  ///
  /// - Parameters:
  ///   - markdown: CommonMark text.
  ///   - smartPunctuation: Turn straight quotes and `--` into typographic ones.
  public static func render(_ markdown: String, smartPunctuation: Bool = false) -> String {
    var options = CMARK_OPT_DEFAULT
    if smartPunctuation { options |= CMARK_OPT_SMART }
    let bytes = Array(markdown.utf8)
    guard let html = cmark_markdown_to_html(bytes, bytes.count, options) else { return "" }
    // cmark allocates the result with malloc; the caller frees it.
    defer { free(html) }
    return String(cString: html)
  }
}
