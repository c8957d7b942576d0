import GradeModel
import GradeReports
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#else
  import Foundation
#endif

@Test func junitHasASuitePerProblemAndACasePerCase() {
  let xml = JUnitReport.render(Fixtures.sample)
  #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name="))
  #expect(
    xml.contains(
      "<testsuites name=\"alice_hw3 [v2]\" tests=\"16\" failures=\"4\" errors=\"6\" "
        + "skipped=\"4\" time=\"12.345\">"))
  #expect(
    xml.contains(
      "<testsuite name=\"Problem 1: Linear regression | fit\" tests=\"12\" failures=\"4\" "
        + "errors=\"4\" skipped=\"2\">"))
  #expect(
    xml.contains(
      "<testsuite name=\"Problem 2: Logistic regression\" tests=\"2\" failures=\"0\" "
        + "errors=\"2\" skipped=\"0\">"))
  #expect(
    xml.contains(
      "<testsuite name=\"Problem 3: Softmax\" tests=\"2\" failures=\"0\" errors=\"0\" "
        + "skipped=\"2\">"))
  #expect(xml.contains("<testcase classname=\"Problem1\" name=\"forward values\"/>"))
  #expect(
    xml.contains(
      "<failure message=\"No usable result: expected shape [4, 1], got [1, 4]\" "
        + "type=\"invalid output\"/>"))
  #expect(xml.contains("<skipped message=\"The problem is missing from the submission.\""))
  #expect(xml.hasSuffix("</testsuites>\n"))
}

@Test func junitEscapesMarkupAndShowsControlCharacters() {
  var result = Fixtures.hostile
  let nasty = "a & b < c > d \"e\" 'f' ]]> nul\u{0} bell\u{7} esc\u{1B} \u{FFFE}\u{FFFF}end"
  result.problems[0].cases[0].name = nasty
  result.problems[0].output = "line 1\r\n" + nasty
  let xml = JUnitReport.render(result)
  #expect(
    xml.contains(
      "name=\"a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos; ]]&gt; nul\\u{0000} "
        + "bell\\u{0007} esc\\u{001B} end\""))
  #expect(xml.contains("<system-err>line 1&#13;\na &amp; b"))
  #expect(!xml.contains("<script"))
  #expect(!xml.contains("<img"))
  #expect(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
  // No character that XML 1.0 forbids is left.
  let forbidden = xml.unicodeScalars.filter {
    ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r")
      || $0.value == 0xFFFE || $0.value == 0xFFFF
  }
  #expect(forbidden.isEmpty)
  // Every `<` opens markup this renderer writes.
  let starts = [
    "<?xml ", "<testsuites ", "</testsuites>", "<testsuite ", "</testsuite>",
    "<testcase ", "</testcase>", "<failure ", "</failure>", "<error ", "</error>",
    "<skipped ", "</skipped>", "<system-err>", "</system-err>",
  ]
  var rest = xml[...]
  while let open = rest.firstIndex(of: "<") {
    let tail = rest[open...]
    #expect(starts.contains { tail.hasPrefix($0) }, "stray < at \(tail.prefix(30))")
    rest = rest[rest.index(after: open)...]
  }
}

#if canImport(FoundationXML) || os(macOS)
  @Test func junitParsesAsXML() throws {
    var result = Fixtures.hostile
    let name = "a & b < c > d \"e\" 'f'\ttab\nnewline"
    result.problems[0].cases[0].name = name + "\u{1}"
    for xml in [JUnitReport.render(Fixtures.sample), JUnitReport.render(result)] {
      let document = try XMLDocument(xmlString: xml, options: [])
      let root = try #require(document.rootElement())
      #expect(root.name == "testsuites")
      #expect(root.elements(forName: "testsuite").count == 3 || xml.contains("&lt;script"))
    }
    let document = try XMLDocument(xmlString: JUnitReport.render(result), options: [])
    let suites = try #require(document.rootElement()).elements(forName: "testsuite")
    #expect(suites.count == 2)
    let first = try #require(suites.first?.elements(forName: "testcase").first)
    // Tab and line feed stay (as character references); U+0001 shows as its code point.
    #expect(first.attribute(forName: "name")?.stringValue == name + "\\u{0001}")
    #expect(first.elements(forName: "failure").count == 1)
    let suite = try #require(
      try XMLDocument(xmlString: JUnitReport.render(Fixtures.sample), options: [])
        .rootElement()?.elements(forName: "testsuite").first)
    #expect(suite.attribute(forName: "name")?.stringValue == "Problem 1: Linear regression | fit")
    #expect(suite.elements(forName: "testcase").count == 12)
  }
#endif

@Test func junitTimeIsANumberEvenWhenSecondsAreNot() {
  var result = Fixtures.sample
  result.seconds = .nan
  #expect(JUnitReport.render(result).contains("skipped=\"4\" time=\"0\">"))
}
