import GradeModel
import GradeReports
import Testing

/// The tags of `html`: every `<…>` span (cmark writes a literal `<` in text as `&lt;`).
private func tags(in html: String) -> [Substring] {
  var tags: [Substring] = []
  var rest = html[...]
  while let open = rest.firstIndex(of: "<") {
    guard let close = rest[open...].firstIndex(of: ">") else {
      tags.append(rest[open...])
      break
    }
    tags.append(rest[open...close])
    rest = rest[rest.index(after: close)...]
  }
  return tags
}

@Test func htmlDoesNotLetStudentTextInjectMarkup() {
  let html = HTMLReport.render(Fixtures.hostile)
  #expect(!html.lowercased().contains("<script"))
  #expect(!html.lowercased().contains("<img"))
  for tag in tags(in: html) {
    let lowered = tag.lowercased()
    #expect(!lowered.contains("onerror"), "event handler in \(tag)")
    #expect(!lowered.contains("javascript:"), "script link in \(tag)")
    #expect(!lowered.contains("href"), "link in \(tag)")
    #expect(!lowered.contains("src"), "resource in \(tag)")
  }
  // The text was escaped before cmark saw it, so its safe mode had nothing to drop …
  #expect(!html.contains("raw HTML omitted"))
  // … and the student's text is shown as text.
  #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
  #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
  #expect(html.contains("[x](javascript:alert(1))"))
}

@Test func htmlIsACompletePageWithoutExternalResources() {
  let html = HTMLReport.render(Fixtures.hostile)
  #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"))
  #expect(html.contains("<meta charset=\"utf-8\">"))
  #expect(
    html.contains(
      "<title>Feedback for &lt;script&gt;alert(1)&lt;/script&gt; "
        + "&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))</title>"))
  #expect(html.contains("<style>"))
  #expect(html.hasSuffix("</body>\n</html>\n"))
  #expect(!html.contains("<link"))
  #expect(!html.contains("@import"))
  #expect(!html.contains("url("))
}

@Test func htmlBodyIsTheMarkdownReport() {
  let html = HTMLReport.render(Fixtures.sample)
  #expect(html.contains("<h1>Feedback for alice_hw3 [v2]</h1>"))
  #expect(html.contains("<h2>Problem 2: Logistic regression</h2>"))
  #expect(html.contains("<pre><code>Problem2/Model.swift:12:5: error:"))
  #expect(html.contains("<pre><code>epoch 1: loss 0.70\nepoch 2: loss 0.50\n</code></pre>"))
  #expect(HTMLReport.render(Fixtures.sample) == html)
}
