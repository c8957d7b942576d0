import Foundation

// NumPy's `.npy` format, version 1.0: a magic string, a Python-dict header giving dtype,
// order and shape, then the raw little-endian elements.

/// Why an `.npy` file could not be read or written.
public enum NPYError: Error, Equatable, CustomStringConvertible {
  /// The file does not start with the `.npy` magic string.
  case notNPY(path: String)
  /// The header could not be parsed.
  case badHeader(path: String, header: String)
  /// The element type is not one this library stores.
  case unsupportedDType(path: String, descr: String)
  /// The file is shorter than its header says.
  case truncated(path: String, expected: Int, actual: Int)

  /// A message naming the file and the problem.
  public var description: String {
    switch self {
    case .notNPY(let path): "\(path): not a NumPy .npy file (missing the \\x93NUMPY magic)"
    case .badHeader(let path, let header): "\(path): cannot parse the .npy header \(header)"
    case .unsupportedDType(let path, let descr):
      "\(path): unsupported element type '\(descr)' (supported: <f4, <f8, <i8, <i4, |b1)"
    case .truncated(let path, let expected, let actual):
      "\(path): expected \(expected) bytes of data, found \(actual)"
    }
  }
}

extension Tensor {
  /// Reads a tensor from a NumPy `.npy` file (float32, float64, int64, int32 and bool;
  /// C or Fortran order).
  public static func load(npy url: URL) throws -> Tensor {
    let data = try Data(contentsOf: url)
    return try Tensor(npyData: data, path: url.path)
  }

  /// Parses the bytes of an `.npy` file.
  public convenience init(npyData data: Data, path: String = "<data>") throws {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
      throw NPYError.notNPY(path: path)
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    if major == 1 {
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    } else {
      guard bytes.count >= 12 else { throw NPYError.notNPY(path: path) }
      headerLength =
        Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      headerStart = 12
    }
    guard bytes.count >= headerStart + headerLength,
      let header = String(
        bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .ascii)
    else { throw NPYError.notNPY(path: path) }
    guard let descr = Tensor.headerValue(header, key: "descr"),
      let order = Tensor.headerValue(header, key: "fortran_order"),
      let shapeText = Tensor.headerValue(header, key: "shape")
    else { throw NPYError.badHeader(path: path, header: header) }
    let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
      .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let shape = dims.compactMap { Int($0) }
    guard shape.count == dims.count else { throw NPYError.badHeader(path: path, header: header) }
    let fortran = order == "True"
    let payload = Array(bytes[(headerStart + headerLength)...])
    let n = Shape.count(shape)
    let type: DType
    let itemSize: Int
    switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) {
    case "<f4": (type, itemSize) = (.float32, 4)
    case "<f8": (type, itemSize) = (.float64, 8)
    case "<i8": (type, itemSize) = (.int64, 8)
    case "<i4": (type, itemSize) = (.int64, 4)
    case "|b1": (type, itemSize) = (.bool, 1)
    case let other: throw NPYError.unsupportedDType(path: path, descr: other)
    }
    guard payload.count >= n * itemSize else {
      throw NPYError.truncated(path: path, expected: n * itemSize, actual: payload.count)
    }
    // Fortran order is the reversed shape stored in C order, then transposed back.
    let storedShape = fortran ? Array(shape.reversed()) : shape
    self.init(uninitializedShape: storedShape, dtype: type)
    payload.withUnsafeBytes { raw in
      if itemSize == 4 && type == .int64 {
        let dst = base(Int.self)
        for i in 0..<n { dst[i] = Int(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)) }
      } else {
        storage.raw.copyMemory(from: raw.baseAddress!, byteCount: n * itemSize)
      }
    }
    if fortran {
      let transposed = permute(Array((0..<shape.count).reversed()), at: nil).copy()
      self.init(storage: transposed.storage, shape: shape, strides: transposed.strides, offset: 0)
    }
  }

  /// The text of `key`'s value in an `.npy` header dict.
  private static func headerValue(_ header: String, key: String) -> String? {
    guard let keyRange = header.range(of: "'\(key)':") else { return nil }
    let rest = header[keyRange.upperBound...].drop(while: { $0 == " " })
    if rest.first == "(" {
      guard let close = rest.firstIndex(of: ")") else { return nil }
      return String(rest[...close])
    }
    let end = rest.firstIndex(where: { $0 == "," || $0 == "}" }) ?? rest.endIndex
    return String(rest[..<end]).trimmingCharacters(in: .whitespaces)
  }

  /// The bytes of this tensor as an `.npy` file (version 1.0, C order, little-endian).
  public func npyData() -> Data {
    let descr: String
    switch dtype {
    case .float32: descr = "<f4"
    case .float64: descr = "<f8"
    case .int64: descr = "<i8"
    case .bool: descr = "|b1"
    }
    let shapeText =
      rank == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    // Pad so that the data starts on a 64-byte boundary, ending the header with a newline.
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    let c = copy()
    data.append(Data(bytes: c.storage.raw, count: c.count * dtype.byteSize))
    return data
  }

  /// Writes this tensor to a NumPy `.npy` file.
  public func save(npy url: URL) throws {
    try npyData().write(to: url)
  }
}
