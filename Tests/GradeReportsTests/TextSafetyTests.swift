import Foundation
import GradeModel
import GradeReports
import Testing

/// Reports stay inert: student SVGs reduced to a safe subset, control characters and bidi
/// controls made visible everywhere a name or message is shown, CSV cells that a
/// spreadsheet would read as formulas neutralised.

/// Scalars that act instead of showing: ESC, CR, BEL, DEL, a C1 control, the bidi
/// embeddings, overrides, isolates and marks.
private let acting: [Unicode.Scalar] = [
  "\u{1B}", "\u{07}", "\u{0D}", "\u{7F}", "\u{9B}", "\u{202A}", "\u{202B}", "\u{202C}",
  "\u{202D}", "\u{202E}", "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}", "\u{200E}",
  "\u{200F}", "\u{061C}", "\u{2028}",
]

private func containsActing(_ text: String) -> Bool {
  text.unicodeScalars.contains { acting.contains($0) }
}

@Test func visibleShowsEveryControlAsItsCodePoint() {
  #expect(ReportText.visible("a\u{1B}[2Kb") == "a\\u{001B}[2Kb")
  #expect(ReportText.visible("x\u{202E}gnp.exe") == "x\\u{202E}gnp.exe")
  #expect(ReportText.visible("one\ntwo\tthree") == "one\\u{000A}two\\u{0009}three")
  #expect(ReportText.visible("one\r\ntwo\tthree", keepLineBreaks: true) == "one\ntwo\tthree")
  #expect(ReportText.visible("naïve — ünïcödé 数学") == "naïve — ünïcödé 数学")
  for scalar in acting {
    #expect(!containsActing(ReportText.visible("a\(scalar)b")), "U+\(scalar.value)")
  }
}

/// A result whose every student-controlled string carries terminal escapes and a bidi
/// override.
private func hostileResult() -> GradeResult {
  let trick = "\u{1B}[2K\u{1B}[1Aall passed\u{202E}txt.exe\u{2066}"
  var result = Fixtures.sample
  result.submission = "alice\(trick)"
  result.problems[0].output = "out\(trick)\r\nmore\u{07}"
  result.problems[0].diagnostics = "diag\(trick)"
  result.problems[0].cases[0].name = "case\(trick)"
  result.problems[0].cases[0].verdict = .failed(reason: "reason\(trick)")
  result.problems[0].cases[0].visibility = .visible
  result.problems[0].cases[0].measured = "m\(trick)"
  result.problems[0].cases[0].hint = "h\(trick)"
  return result
}

@Test func noReportCarriesAControlCharacterOrBidiControl() throws {
  let result = hostileResult()
  let reports = [
    ("Markdown", MarkdownReport.render(result)), ("HTML", HTMLReport.render(result)),
    ("Gradescope", GradescopeReport.render(result)), ("JUnit", JUnitReport.render(result)),
  ]
  for (format, text) in reports {
    #expect(!containsActing(text), "\(format) holds a raw control")
    #expect(text.contains("u{202E}"), "\(format) does not show the override")
  }
  // JSON escapes controls itself; once decoded, the strings must still be inert.
  let json =
    try JSONSerialization.jsonObject(
      with: Data(GradescopeReport.render(result).utf8)) as? [String: Any]
  let tests = json?["tests"] as? [[String: Any]] ?? []
  var strings = [json?["output"] as? String ?? ""]
  for test in tests {
    strings += [test["name"] as? String ?? "", test["output"] as? String ?? ""]
  }
  #expect(strings.count > 2)
  for string in strings { #expect(!containsActing(string), "\(string)") }
  let entry = BatchEntry(
    student: "alice", contentHash: "0", result: nil, error: "bad\u{1B}[31m\u{202E}",
    entry: "alice\u{1B}]0;owned\u{07}")
  for text in [
    Gradebook.csv([entry]), BatchSummary.markdown([entry]), BatchSummary.html([entry]),
  ] {
    #expect(!containsActing(text))
  }
}

@Test func csvCellsThatStartAFormulaAreNeutralised() {
  for cell in [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", " =1+1", "\r\n=cmd|' /C calc'!A0",
  ] {
    let field = Gradebook.field(cell)
    let unquoted =
      field.hasPrefix("\"")
      ? String(field.dropFirst().dropLast()).replacingOccurrences(
        of: "\"\"", with: "\"") : field
    #expect(unquoted.hasPrefix("'"), "\(cell.debugDescription) → \(field)")
    #expect(!field.contains("\t") && !field.contains("\r") && !field.contains("\n"))
  }
  #expect(Gradebook.field("alice") == "alice")
  #expect(Gradebook.field("a,b") == "\"a,b\"")
  #expect(Gradebook.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
}

@Test func hostileSVGBecomesInert() {
  let svg = """
    <?xml version="1.0"?>
    <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">
      <script>alert('x')</script>
      <script xlink:href="https://evil.example/x.js"/>
      <style>@import url(https://evil.example/a.css);</style>
      <image href="https://evil.example/track.png" width="1" height="1"/>
      <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://evil.example"/></div></foreignObject>
      <a href="javascript:alert(1)"><text x="1" y="2">link</text></a>
      <rect x="1" y="2" width="3" height="4" fill="url(https://evil.example/p#x)" onclick="alert(2)" style="fill: red"/>
      <rect x="5" y="6" width="7" height="8" fill="url(#grad)" style="background: url('https://evil.example/b')"/>
      <use href="https://evil.example/sprite.svg#a"/>
      <use xlink:href="#local"/>
      <animate attributeName="href" to="javascript:alert(3)"/>
      <set attributeName="onmouseover" to="alert(4)"/>
      <!-- a comment -->
      <text x="10" y="20" font-size="12">loss &lt; 0.5 \u{202E}txt</text>
      <polyline points="0,0 1,1 2,0" stroke="#1f77b4" fill="none"/>
    </svg>
    """
  let clean = SVGSanitizer.sanitize(svg)
  let lower = clean.lowercased()
  for banned in [
    "<script", "<style", "<image", "<foreignobject", "<iframe", "<a ", "<animate", "<set",
    "onload", "onclick", "onmouseover", "javascript:", "evil.example", "http://www.w3.org/graphics",
    "<!--", "<!doctype",
  ] {
    #expect(!lower.contains(banned), "\(banned) survived")
  }
  // The drawing survives: shapes, local references, escaped text.
  #expect(clean.contains(##"<svg height="50" width="100" xmlns="http://www.w3.org/2000/svg""##))
  #expect(clean.contains(##"<rect fill="url(#grad)" height="8" width="7" x="5" y="6"/>"##))
  #expect(clean.contains(##"<use xlink:href="#local"/>"##))
  #expect(clean.contains(##"<polyline fill="none" points="0,0 1,1 2,0" stroke="#1f77b4"/>"##))
  #expect(clean.contains("loss &lt; 0.5 \\u{202E}txt"))
  #expect(!containsActing(clean))
}

@Test func unreadableOrEntityLadenSVGBecomesAPlaceholder() {
  let cases = [
    "<svg><rect></svg>",
    "<html><body>not an svg</body></html>",
    """
    <!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
    <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>
    """,
    String(repeating: "<svg>", count: 1) + String(repeating: " ", count: SVGSanitizer.maxBytes),
  ]
  for svg in cases {
    let clean = SVGSanitizer.sanitize(svg)
    #expect(clean.contains("Plot not shown"), "\(clean.prefix(200))")
    #expect(!clean.contains("aaaaaaaaaa"))
  }
}

@Test func theCourseOwnPlotsSurviveSanitizingUnchangedInContent() {
  let svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="480" height="320" font-family="sans-serif">
    <rect width="100%" height="100%" fill="white"/>
    <line x1="40" y1="280" x2="460" y2="280" stroke="#333"/>
    <text x="240" y="20" text-anchor="middle" font-size="14" font-weight="bold">Loss</text>
    <path d="M 40 280 L 100 200 L 160 150" fill="none" stroke="#1f77b4" stroke-width="2"/>
    <circle cx="100" cy="200" r="3" fill="#ff7f0e"/>
    </svg>
    """
  let clean = SVGSanitizer.sanitize(svg)
  for part in [
    ##"<path d="M 40 280 L 100 200 L 160 150" fill="none" stroke="#1f77b4" stroke-width="2"/>"##,
    ##"<circle cx="100" cy="200" fill="#ff7f0e" r="3"/>"##, ">Loss</text>",
    ##"<rect fill="white" height="100%" width="100%"/>"##,
  ] {
    #expect(clean.contains(part), "\(part)")
  }
}
