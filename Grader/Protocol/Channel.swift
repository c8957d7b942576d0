#if canImport(Glibc)
  import Glibc
#endif

/// The frames of the private channel between the grader and a student's program.
///
/// The grader writes one request at a time on the program's standard input, and only after
/// the program said it is ready, so it can time each call from the moment the inputs exist
/// for the program. The program answers on a private descriptor (its original standard
/// output) with a begin marker and the raw outputs. Frames are a kind byte, an 8-byte
/// little-endian length and the payload.
public enum Frame: Sendable, Equatable {
  /// Program → grader: waiting for the next request.
  case ready
  /// Program → grader: starting the case (so a death during it is attributed to it).
  case begin(id: String)
  /// Program → grader: the raw outputs of a case, with the digest of the request it answers.
  case outputs(id: String, digest: UInt64, values: [UInt8])
  /// Grader → program: run case `id` on `inputs` (encoded ``Values``); `nonce` makes each
  /// request's digest unpredictable.
  case request(id: String, nonce: UInt64, inputs: [UInt8])

  /// The frame's bytes.
  public var bytes: [UInt8] {
    var payload = ByteWriter()
    let kind: UInt8
    switch self {
    case .ready:
      kind = 1
    case .begin(let id):
      kind = 2
      payload.string(id)
    case .outputs(let id, let digest, let values):
      kind = 3
      payload.string(id)
      payload.uint64(digest)
      payload.int(values.count)
      payload.bytes += values
    case .request(let id, let nonce, let inputs):
      kind = 4
      payload.string(id)
      payload.uint64(nonce)
      payload.int(inputs.count)
      payload.bytes += inputs
    }
    var out = ByteWriter()
    out.byte(kind)
    out.int(payload.bytes.count)
    return out.bytes + payload.bytes
  }

  /// The largest frame accepted (a problem's largest input is a few MB).
  public static let maxPayload = 256 << 20

  /// Decodes a frame from its kind and payload; `nil` when malformed.
  public static func decode(kind: UInt8, payload: [UInt8]) -> Frame? {
    var input = ByteReader(payload)
    let frame: Frame?
    switch kind {
    case 1: frame = .ready
    case 2: frame = input.string().map { .begin(id: $0) }
    case 3, 4:
      guard let id = input.string(), let word = input.uint64(), let n = input.int(),
        n == input.remaining
      else { return nil }
      let body = Array(payload[input.offset...])
      input.offset += n
      frame =
        kind == 3
        ? .outputs(id: id, digest: word, values: body) : .request(id: id, nonce: word, inputs: body)
    default: frame = nil
    }
    return input.remaining == 0 ? frame : nil
  }

  /// The digest an outputs frame carries: of the request's nonce and inputs.
  public static func digest(nonce: UInt64, inputs: [UInt8]) -> UInt64 {
    var w = ByteWriter()
    w.uint64(nonce)
    return ValueCoding.digest(w.bytes + inputs)
  }
}

/// Blocking frame I/O on a file descriptor (used by the program's harness).
public struct FrameIO {
  /// The descriptor.
  public let fd: Int32

  /// Wraps a descriptor.
  public init(fd: Int32) { self.fd = fd }

  /// Writes a whole frame.
  public func write(_ frame: Frame) {
    let bytes = frame.bytes
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
  }

  /// Reads exactly `count` bytes, or `nil` at the end of the stream.
  func readExactly(_ count: Int) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: count)
    var offset = 0
    while offset < count {
      let n = buffer.withUnsafeMutableBytes { raw in
        Glibc.read(fd, raw.baseAddress! + offset, count - offset)
      }
      if n <= 0 { return nil }
      offset += n
    }
    return buffer
  }

  /// Reads the next frame, or `nil` at the end of the stream or on a malformed frame.
  public func read() -> Frame? {
    guard let header = readExactly(9) else { return nil }
    var reader = ByteReader(Array(header[1...]))
    guard let length = reader.int(), length <= Frame.maxPayload,
      let payload = length == 0 ? [] : readExactly(length)
    else { return nil }
    return Frame.decode(kind: header[0], payload: payload)
  }
}
