import MarkdownHTML
import Testing

@Test func rendersHeadingsEmphasisAndTables() {
  #expect(
    MarkdownHTML.render("# Title\n\nSome *emphasis*.")
      == "<h1>Title</h1>\n<p>Some <em>emphasis</em>.</p>\n")
}

@Test func rendersCodeBlocksEscaped() {
  let html = MarkdownHTML.render("```\na < b && c\n```")
  #expect(html == "<pre><code>a &lt; b &amp;&amp; c\n</code></pre>\n")
}

@Test func dropsRawHTMLAndScriptLinks() {
  let html = MarkdownHTML.render(
    "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
  #expect(!html.contains("<script"))
  #expect(!html.contains("javascript:"))
  #expect(!html.contains("<img"))
  #expect(html.contains("<!-- raw HTML omitted -->"))
}

@Test func smartPunctuationIsOptional() {
  #expect(MarkdownHTML.render("\"a\" -- b") == "<p>&quot;a&quot; -- b</p>\n")
  #expect(MarkdownHTML.render("\"a\" -- b", smartPunctuation: true) == "<p>“a” – b</p>\n")
}
