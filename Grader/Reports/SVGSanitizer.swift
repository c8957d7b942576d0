import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Makes an SVG written by student code inert before it is copied next to a report.
///
/// The SVG is parsed as XML and written again keeping only a fixed set of drawing elements
/// and presentation attributes: no script, no `foreignObject`, no `image`, no links, no
/// animation, no `style` element, no event attribute (`on…`), and no reference outside the
/// document (a `url(…)` or `href` must point at `#an-id` of the same file). Comments,
/// processing instructions and the DOCTYPE (with any entity it declares) are dropped. Text
/// is escaped again, with control characters and bidi overrides made visible. Anything that
/// does not parse, or is over `maxBytes`, becomes a small placeholder SVG saying so.
public enum SVGSanitizer {
  /// The largest SVG accepted, in bytes.
  public static let maxBytes = 4 << 20

  /// Elements kept (with their allowed attributes); every other element is dropped with
  /// everything inside it.
  static let elements: Set<String> = [
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "title", "desc", "defs", "clipPath", "linearGradient", "radialGradient", "stop",
    "marker", "symbol", "use",
  ]

  /// Attributes kept, on any kept element.
  static let attributes: Set<String> = [
    "xmlns", "version", "viewBox", "preserveAspectRatio", "id", "class", "x", "y", "x1", "y1",
    "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height", "d", "points",
    "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "opacity", "font-family", "font-size",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "alignment-baseline",
    "letter-spacing", "dx", "dy", "rotate", "clip-path", "clip-rule", "clipPathUnits",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "markerUnits",
    "refX", "refY", "orient", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "shape-rendering", "vector-effect", "visibility",
    "display", "href", "xlink:href", "xmlns:xlink", "style",
  ]

  /// `svg` reduced to the safe subset, or a placeholder SVG when it cannot be read.
  public static func sanitize(_ svg: String) -> String {
    guard svg.utf8.count <= maxBytes else {
      return placeholder("the plot is larger than \(maxBytes >> 20) MiB")
    }
    // Entity declarations could expand without bound or reach outside; no plot needs one.
    guard svg.range(of: "<!ENTITY", options: .caseInsensitive) == nil else {
      return placeholder("the plot declares XML entities")
    }
    let builder = Builder()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.shouldResolveExternalEntities = false
    parser.shouldProcessNamespaces = false
    parser.delegate = builder
    guard parser.parse(), builder.sawRoot, builder.failure == nil else {
      return placeholder(builder.failure ?? "the plot is not a well-formed SVG document")
    }
    return builder.output
  }

  /// Whether an attribute value refers only to this document: no `url(` other than
  /// `url(#id)`, no scheme such as `javascript:` or `data:`, no CSS escape or import.
  static func isLocal(_ value: String) -> Bool {
    let lower = value.lowercased()
    if lower.contains("\\") || lower.contains("@import") || lower.contains("expression(")
      || lower.contains("javascript:") || lower.contains("data:")
    {
      return false
    }
    var rest = Substring(lower)
    while let range = rest.range(of: "url(") {
      let after = rest[range.upperBound...].drop { $0 == " " || $0 == "'" || $0 == "\"" }
      guard after.first == "#" else { return false }
      rest = after
    }
    return true
  }

  /// A placeholder image naming why the plot was not kept.
  static func placeholder(_ reason: String) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="480" height="60">\
    <text x="10" y="35" font-family="sans-serif" font-size="13">Plot not shown: \
    \(ReportText.xmlEscaped(ReportText.visible(reason)))</text></svg>

    """
  }

  /// Rebuilds the document from the parser's events.
  private final class Builder: NSObject, XMLParserDelegate {
    var output = ""
    var sawRoot = false
    var failure: String?
    /// Depth inside a dropped element (0: not inside one).
    private var dropped = 0
    private var depth = 0
    /// Whether the element being written is still open with no content yet.
    private var pendingOpen = false

    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
      qualifiedName: String?, attributes: [String: String] = [:]
    ) {
      if depth == 0 {
        guard name == "svg" else {
          failure = "the document is not an SVG image"
          parser.abortParsing()
          return
        }
        sawRoot = true
      }
      depth += 1
      closePending()
      if dropped > 0 || !SVGSanitizer.elements.contains(name) {
        dropped += 1
        return
      }
      var tag = "<" + name
      for key in attributes.keys.sorted() {
        guard SVGSanitizer.attributes.contains(key), let value = attributes[key] else { continue }
        if key == "href" || key == "xlink:href" {
          guard name == "use", value.hasPrefix("#") else { continue }
        }
        guard SVGSanitizer.isLocal(value) else { continue }
        tag += " \(key)=\"\(ReportText.xmlEscaped(ReportText.visible(value), attribute: true))\""
      }
      output += tag
      pendingOpen = true
    }

    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
      qualifiedName: String?
    ) {
      depth -= 1
      if dropped > 0 {
        dropped -= 1
        return
      }
      if pendingOpen {
        output += "/>"
        pendingOpen = false
      } else {
        output += "</\(name)>"
      }
      if depth == 0 { output += "\n" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
      guard dropped == 0, depth > 0 else { return }
      closePending()
      output += ReportText.xmlEscaped(ReportText.visible(string, keepLineBreaks: true))
    }

    func parser(_ parser: XMLParser, foundCDATA block: Data) {
      self.parser(parser, foundCharacters: String(decoding: block, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
      if failure == nil { failure = "the plot is not a well-formed SVG document" }
    }

    private func closePending() {
      if pendingOpen {
        output += ">"
        pendingOpen = false
      }
    }
  }
}
