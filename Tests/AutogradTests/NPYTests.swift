import Autograd
import AutogradTestSupport
import Foundation
import Testing

// MARK: - Helpers

/// The bytes of an `.npy` file assembled by hand from the format's specification: magic,
/// version, little-endian header length, the header dict padded with spaces and ended by a
/// newline so that the data starts on a 64-byte boundary, then the payload.
private func npyFile(header: String, payload: [UInt8], major: UInt8 = 1) -> Data {
  let prefixLength = major == 1 ? 10 : 12
  let unpadded = prefixLength + header.utf8.count + 1
  let text = header + String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
  let n = text.utf8.count
  var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
  bytes += major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : littleEndian(UInt32(n))
  return Data(bytes + Array(text.utf8) + payload)
}

private func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

private func littleEndian(_ values: [Double]) -> [UInt8] {
  values.flatMap { littleEndian($0.bitPattern) }
}

/// Every element as raw bits, so that NaN payloads and -0.0 compare exactly.
private func bits(_ t: Tensor) -> [UInt64] {
  switch t.dtype {
  case .float32: t.toArray(Float.self).map { UInt64($0.bitPattern) }
  case .float64: t.toArray(Double.self).map(\.bitPattern)
  case .int64: t.toArray(Int.self).map { UInt64(bitPattern: Int64($0)) }
  case .bool: t.toArray(Bool.self).map { $0 ? 1 : 0 }
  }
}

/// A tensor with distinct, non-trivial elements of each type.
private func sample(_ dtype: DType, _ shape: [Int]) -> Tensor {
  let n = shape.reduce(1, *)
  var g = Generator(seed: UInt64(n) &* 31 &+ UInt64(shape.count))
  switch dtype {
  case .float32, .float64:
    return Tensor.randn(shape, dtype: dtype, generator: &g)
  case .int64:
    return Tensor((0..<n).map { ($0 - n / 2) * 1_000_000_007 }, shape: shape)
  case .bool:
    return Tensor((0..<n).map { $0 % 3 != 1 }, shape: shape)
  }
}

private func expectSame(
  _ a: Tensor, _ b: Tensor, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  #expect(a.dtype == b.dtype, sourceLocation: sourceLocation)
  #expect(a.shape == b.shape, sourceLocation: sourceLocation)
  #expect(bits(a) == bits(b), sourceLocation: sourceLocation)
}

/// A fresh folder in the temporary directory, removed after `body`.
private func withTemporaryFolder(_ body: (URL) throws -> Void) throws {
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("NPYTests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  try body(folder)
}

private let allShapes: [[Int]] = [[], [5], [2, 3], [2, 3, 4]]
private let allTypes: [DType] = [.float32, .float64, .int64, .bool]

@Suite struct NPYTests {}

// MARK: - Round trips

extension NPYTests {
  @Suite struct RoundTrip {
    @Test(arguments: allTypes, allShapes)
    func throughData(_ dtype: DType, _ shape: [Int]) throws {
      let t = sample(dtype, shape)
      let data = t.npyData()
      // Version 1.0 puts the data on a 64-byte boundary and ends the header with "\n".
      let headerLength = Int(data[8]) | Int(data[9]) << 8
      #expect((10 + headerLength) % 64 == 0)
      #expect(data[10 + headerLength - 1] == UInt8(ascii: "\n"))
      #expect(data.count == 10 + headerLength + t.count * dtype.byteSize)
      expectSame(try Tensor(npyData: data), t)
    }

    @Test(arguments: allTypes, allShapes)
    func throughFiles(_ dtype: DType, _ shape: [Int]) throws {
      try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("t.npy")
        let t = sample(dtype, shape)
        try t.save(npy: url)
        expectSame(try Tensor.load(npy: url), t)
        #expect(try Data(contentsOf: url) == t.npyData())
      }
      // The folder is gone afterwards.
    }

    @Test func specialFloatingPointValuesSurvive() throws {
      let doubles: [Double] = [
        -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        -Double.leastNormalMagnitude / 4, .pi,
      ]
      let d = Tensor(doubles, shape: [2, 4])
      expectSame(try Tensor(npyData: d.npyData()), d)
      let f = Tensor(doubles.map { Float($0) }, shape: [4, 2])
      expectSame(try Tensor(npyData: f.npyData()), f)
      let i = Tensor([Int.min, -1, 0, Int.max])
      expectSame(try Tensor(npyData: i.npyData()), i)
    }

    /// Views are saved by value, in C order, not as their underlying storage.
    @Test func nonContiguousViewsAreSavedInLogicalOrder() throws {
      let m = Tensor((0..<12).map(Double.init), shape: [3, 4])
      let transposed = try Tensor(npyData: m.T.npyData())
      #expect(transposed.shape == [4, 3])
      #expect(transposed.toArray() == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
      let rows = try Tensor(npyData: m[1..<3].npyData())
      #expect(rows.shape == [2, 4])
      #expect(rows.toArray() == (4..<12).map(Double.init))
    }

    /// The exact bytes, written out by hand, for a small float32 vector.
    @Test func savedBytesFollowTheFormat() {
      let t = Tensor([1.5, -2] as [Float])
      let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
      let expected = npyFile(header: header, payload: [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0])
      #expect(expected.count == 128 + 8)
      #expect(t.npyData() == expected)
      let scalar = Tensor(0.5, dtype: .float64)
      let scalarHeader = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }"
      #expect(scalar.npyData() == npyFile(header: scalarHeader, payload: littleEndian([0.5])))
      let mask = Tensor([true, false, true], shape: [1, 3])
      let maskHeader = "{'descr': '|b1', 'fortran_order': False, 'shape': (1, 3), }"
      #expect(mask.npyData() == npyFile(header: maskHeader, payload: [1, 0, 1]))
    }
  }
}

// MARK: - NumPy's files

extension NPYTests {
  @Suite struct NumPyFixtures {
    private static func fixtureFiles() throws -> [URL] {
      let folder = Fixtures.folder
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      return names.filter { $0.hasSuffix(".npy") }.sorted().map {
        folder.appendingPathComponent($0)
      }
    }

    /// NumPy wrote every fixture; loading and saving again must reproduce its bytes.
    /// Files NumPy stored in Fortran order come back in C order (the only order `save`
    /// writes), so for those the header must differ only in `fortran_order` and the payload
    /// must be the same elements, reordered.
    @Test func resavingReproducesNumPysBytes() throws {
      let files = try Self.fixtureFiles()
      #expect(files.count > 300, "expected the PyTorch fixtures in \(Fixtures.folder.path)")
      var fortranFiles = 0
      for url in files {
        let original = try Data(contentsOf: url)
        let t = try Tensor(npyData: original, path: url.lastPathComponent)
        let resaved = t.npyData()
        let headerLength = Int(original[8]) | Int(original[9]) << 8
        let header = String(decoding: original[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'fortran_order': True") else {
          #expect(resaved == original, "\(url.lastPathComponent)")
          continue
        }
        fortranFiles += 1
        let newLength = Int(resaved[8]) | Int(resaved[9]) << 8
        let newHeader = String(decoding: resaved[10..<(10 + newLength)], as: UTF8.self)
        let trimmed = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(
          trimmed(newHeader)
            == trimmed(header).replacingOccurrences(of: "True", with: "False"),
          "\(url.lastPathComponent)")
        // Element at C-order multi-index i sits at Σ i[d]·Π shape[<d] in Fortran order.
        let item = t.dtype.byteSize
        let payload = Array(original[(10 + headerLength)...])
        var expected: [UInt8] = []
        for flat in 0..<t.count {
          var rest = flat
          var index = Array(repeating: 0, count: t.rank)
          for d in stride(from: t.rank - 1, through: 0, by: -1) {
            index[d] = rest % t.shape[d]
            rest /= t.shape[d]
          }
          var fortranOffset = 0
          var scale = 1
          for d in 0..<t.rank {
            fortranOffset += index[d] * scale
            scale *= t.shape[d]
          }
          expected += payload[(fortranOffset * item)..<((fortranOffset + 1) * item)]
        }
        #expect(Array(resaved[(10 + newLength)...]) == expected, "\(url.lastPathComponent)")
      }
      // Whether NumPy chose Fortran order for any fixture depends on how they were made;
      // the count is only reported.
      print("NPY fixtures: \(files.count) files, \(fortranFiles) in Fortran order")
    }

    @Test func fortranOrderTransposeFixtureHoldsTheTranspose() throws {
      let c = try Fixtures.named("transpose")
      let a = try c.input("a")
      let out = try c.tensor(c.output!)
      #expect(out.shape == [a.shape[1], a.shape[0]])
      #expect(out.toArray() == a.T.contiguous().toArray())
    }
  }
}

// MARK: - Hand-made files

extension NPYTests {
  @Suite struct HandMade {
    /// [[1, 2, 3], [4, 5, 6]] stored column by column.
    @Test func fortranOrderFloat64() throws {
      let data = npyFile(
        header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
        payload: littleEndian([1, 4, 2, 5, 3, 6]))
      let t = try Tensor(npyData: data)
      #expect(t.dtype == .float64)
      #expect(t.shape == [2, 3])
      #expect(t.toArray() == [1, 2, 3, 4, 5, 6])
    }

    /// v[i, j, k] = 100i + 10j + k - 50, stored with i varying fastest, as '<i4'.
    @Test func fortranOrderInt32ThreeDimensional() throws {
      var payload: [UInt8] = []
      for k in 0..<4 {
        for j in 0..<3 {
          for i in 0..<2 { payload += littleEndian(Int32(100 * i + 10 * j + k - 50)) }
        }
      }
      let data = npyFile(
        header: "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }",
        payload: payload)
      let t = try Tensor(npyData: data)
      #expect(t.dtype == .int64)
      #expect(t.shape == [2, 3, 4])
      var expected: [Int] = []
      for i in 0..<2 {
        for j in 0..<3 {
          for k in 0..<4 { expected.append(100 * i + 10 * j + k - 50) }
        }
      }
      #expect(t.toArray(Int.self) == expected)
    }

    /// '<i4' loads as int64, sign-extended.
    @Test func int32LoadsAsInt64() throws {
      let values: [Int32] = [0, 1, -1, .max, .min, 123_456]
      let data = npyFile(
        header: "{'descr': '<i4', 'fortran_order': False, 'shape': (6,), }",
        payload: values.flatMap { littleEndian($0) })
      let t = try Tensor(npyData: data)
      #expect(t.dtype == .int64)
      #expect(t.shape == [6])
      #expect(t.toArray(Int.self) == values.map { Int($0) })
    }

    @Test func version2HeaderLoads() throws {
      let data = npyFile(
        header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
        payload: littleEndian([0.25, -8]), major: 2)
      let t = try Tensor(npyData: data)
      #expect(t.shape == [2])
      #expect(t.toArray() == [0.25, -8])
    }
  }
}

// MARK: - Malformed input

extension NPYTests {
  @Suite struct Malformed {
    @Test func wrongMagicIsNotNPY() throws {
      let text = Data("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }".utf8)
      #expect(throws: NPYError.notNPY(path: "<data>")) { try Tensor(npyData: text) }
      var flipped = npyFile(
        header: "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
        payload: littleEndian([1]))
      flipped[1] = UInt8(ascii: "n")
      #expect(throws: NPYError.notNPY(path: "x.npy")) {
        try Tensor(npyData: flipped, path: "x.npy")
      }
      #expect(throws: NPYError.notNPY(path: "<data>")) { try Tensor(npyData: Data([0x93])) }
    }

    @Test func wrongMagicInAFileNamesTheFile() throws {
      try withTemporaryFolder { folder in
        let url = folder.appendingPathComponent("garbage.npy")
        try Data("PK\u{3}\u{4} this is a zip file, not an array".utf8).write(to: url)
        #expect(throws: NPYError.notNPY(path: url.path)) { try Tensor.load(npy: url) }
      }
    }

    @Test func truncatedDataReportsTheSizes() throws {
      let full = Tensor((0..<6).map(Double.init), shape: [2, 3]).npyData()
      let short = full.prefix(full.count - 8)
      #expect(throws: NPYError.truncated(path: "<data>", expected: 48, actual: 40)) {
        try Tensor(npyData: short)
      }
      let empty = full.prefix(full.count - 48)
      #expect(throws: NPYError.truncated(path: "<data>", expected: 48, actual: 0)) {
        try Tensor(npyData: empty)
      }
    }

    @Test func unsupportedDTypes() throws {
      for descr in ["<c16", ">f8", "<u2", "<f2"] {
        let data = npyFile(
          header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (1,), }",
          payload: Array(repeating: 0, count: 16))
        #expect(throws: NPYError.unsupportedDType(path: "<data>", descr: descr)) {
          try Tensor(npyData: data)
        }
      }
    }

    @Test func unparsableHeaders() throws {
      let headers = [
        "{'descr': '<f8', 'fortran_order': False, }",
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }",
        "{'fortran_order': False, 'shape': (2,), }",
      ]
      for header in headers {
        let data = npyFile(header: header, payload: littleEndian([1, 2]))
        let error = #expect(throws: NPYError.self) { try Tensor(npyData: data) }
        guard case .badHeader(let path, let text)? = error else {
          Issue.record("expected badHeader for \(header), got \(String(describing: error))")
          continue
        }
        #expect(path == "<data>")
        #expect(text.hasPrefix(header))
      }
    }
  }
}
