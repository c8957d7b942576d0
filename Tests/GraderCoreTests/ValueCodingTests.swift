import Foundation
import GradeProtocol
import Testing

/// Doubles cross the channel as 8 little-endian bytes each, written here byte by byte as
/// the format says, independently of the encoder's bulk copy.
@Test func tensorsEncodeAsLittleEndianDoublesOneByOne() {
  let data: [Double] = [1.5, -0.0, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude]
  var expected: [UInt8] = []
  func append(_ v: UInt64) {
    for i in 0..<8 { expected.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
  }
  func append(_ s: String) {
    append(UInt64(s.utf8.count))
    expected += Array(s.utf8)
  }
  append(1)
  append("k")
  expected.append(1)
  append("float64")
  append(1)
  append(5)
  append(5)
  for x in data { append(x.bitPattern) }
  let bytes = ValueCoding.encode(["k": .tensor(shape: [5], dtype: "float64", data: data)])
  #expect(bytes == expected)
  guard case .tensor(_, _, let back)? = ValueCoding.decode(bytes)?["k"] else {
    Issue.record("no tensor decoded")
    return
  }
  #expect(back.map(\.bitPattern) == data.map(\.bitPattern))
  // A length that runs past the end is refused.
  #expect(ValueCoding.decode(Array(bytes.dropLast())) == nil)
}
