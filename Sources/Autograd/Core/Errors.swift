import Runtime

/// Where in the caller's code a tensor operation was called.
///
/// Methods take `#fileID` and `#line` as default arguments. Operators cannot, so for them the
/// location is recovered from the call stack when (and only when) an error is reported.
public struct SourceLocation: Sendable, CustomStringConvertible {
  // A literal location costs nothing to create (it is made on every method call); the
  // text is formed only when an error is reported.
  private let literalFile: StaticString?
  private let recoveredPath: String?
  /// The line in ``file``.
  public let line: UInt

  /// Creates a location from literal file and line values.
  public init(file: StaticString, line: UInt) {
    literalFile = file
    recoveredPath = nil
    self.line = line
  }

  init(path: String, line: UInt) {
    literalFile = nil
    recoveredPath = path
    self.line = line
  }

  /// The file, as `#fileID` gives it (`Module/File.swift`) or a path from debug info.
  public var file: String { recoveredPath ?? literalFile.map { "\($0)" } ?? "?" }

  /// `File.swift:41`: the file name without its module or folder, and the line.
  public var description: String {
    let name = file.split(separator: "/").last.map(String.init) ?? file
    return "\(name):\(line)"
  }
}

/// The directory of this library's sources, used to skip its own frames in a backtrace.
private let librarySourceDirectory: String = {
  let path = "\(#filePath)"
  // .../Sources/Autograd/Core/Errors.swift -> .../Sources/Autograd/
  var parts = path.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(2)
  return parts.joined(separator: "/") + "/"
}()

/// The first frame of the call stack that lies outside this library, if debug info names it.
func callerLocationFromStack() -> SourceLocation? {
  guard let backtrace = try? Backtrace.capture(limit: 64),
    let symbolicated = backtrace.symbolicated()
  else { return nil }
  for frame in symbolicated.frames {
    guard let location = frame.symbol?.sourceLocation else { continue }
    let path = location.path
    if path.isEmpty || location.line == 0 || path.contains("<") { continue }
    if path.hasPrefix(librarySourceDirectory) { continue }
    if path.contains("/swift/stdlib/") || path.hasPrefix("/opt/swift") { continue }
    return SourceLocation(path: path, line: UInt(location.line))
  }
  return nil
}

/// Stops the program with a message naming the operation, what was wrong and the caller's
/// location: `matmul: shapes [4, 3] and [4, 2] cannot be multiplied … at Problem2.swift:41`.
///
/// Misuse of the library is a programming error, as an out-of-bounds array index is, so it
/// traps rather than throws; the message is written to be acted on.
func tensorError(_ op: String, _ message: String, at location: SourceLocation?) -> Never {
  let place = location ?? callerLocationFromStack()
  let suffix = place.map { " at \($0)" } ?? ""
  fatalError("\(op): \(message)\(suffix)")
}

/// Formats a shape as PyTorch prints sizes: `[4, 3]`.
func describe(_ shape: [Int]) -> String {
  "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
