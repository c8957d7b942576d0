/// A point in SVG pixels (y grows downwards).
struct Point: Equatable {
  var x: Double
  var y: Double
}

/// An axis-aligned rectangle in SVG pixels.
struct Rect: Equatable {
  var x: Double
  var y: Double
  var width: Double
  var height: Double

  var right: Double { x + width }
  var bottom: Double { y + height }

  /// The rectangle grown by `d` on every side.
  func inset(by d: Double) -> Rect {
    Rect(x: x - d, y: y - d, width: width + 2 * d, height: height + 2 * d)
  }

  /// Whether `p` lies inside or on the border.
  func contains(_ p: Point) -> Bool { p.x >= x && p.x <= right && p.y >= y && p.y <= bottom }

  /// Whether the disc of radius `r` around `c` touches the rectangle.
  func touches(circle c: Point, radius r: Double) -> Bool {
    let dx = c.x - Swift.min(Swift.max(c.x, x), right)
    let dy = c.y - Swift.min(Swift.max(c.y, y), bottom)
    return dx * dx + dy * dy <= r * r
  }

  /// Whether the segment from `a` to `b` crosses or touches the rectangle.
  func touches(segment a: Point, _ b: Point) -> Bool {
    clip(a, b, to: self) != nil
  }
}

/// The part of the segment `a`–`b` inside `rect` (Liang–Barsky), or nil when none is.
func clip(_ a: Point, _ b: Point, to rect: Rect) -> (Point, Point)? {
  let (dx, dy) = (b.x - a.x, b.y - a.y)
  var (t0, t1) = (0.0, 1.0)
  // Each pair is (−direction, distance to the edge) for the left, right, top, bottom edges.
  let edges = [
    (-dx, a.x - rect.x), (dx, rect.right - a.x), (-dy, a.y - rect.y), (dy, rect.bottom - a.y),
  ]
  for (p, q) in edges {
    if p == 0 {
      if q < 0 { return nil }  // parallel to this edge and outside it
    } else {
      let t = q / p
      if p < 0 {
        t0 = Swift.max(t0, t)
      } else {
        t1 = Swift.min(t1, t)
      }
      if t0 > t1 { return nil }
    }
  }
  return (Point(x: a.x + t0 * dx, y: a.y + t0 * dy), Point(x: a.x + t1 * dx, y: a.y + t1 * dy))
}

/// An estimate of a text's width in pixels at `fontSize`, for sans-serif: about 0.6 em per
/// character, which is wider than the average glyph, so that boxes sized with it hold their
/// text in any common sans-serif font.
func textWidth(_ text: String, fontSize: Double) -> Double {
  Double(text.count) * fontSize * 0.6
}
