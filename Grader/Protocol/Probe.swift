import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The harness inside the student's program: reads the case requests, runs each through
/// a handler that calls the student's functions, and writes observations to the channel.
///
/// The channel is the process's original standard output. Before any student code runs it
/// is moved to a private descriptor, and standard output is pointed at standard error, so
/// whatever the student prints lands in the captured output, never on the channel.
public enum Probe {
  /// A handler: runs one case and returns its observed values.
  public typealias Handler = (CaseRequest) -> [String: Value]

  /// Runs the requests listed in the file named by the first argument through `handlers`
  /// (keyed by case id), then exits.
  public static func run(_ handlers: [String: Handler]) -> Never {
    fflush(nil)  // every stream, before the descriptors move
    let channel = dup(1)
    dup2(2, 1)
    let arguments = CommandLine.arguments
    guard arguments.count > 1, let data = FileManager.default.contents(atPath: arguments[1]),
      let requests = try? JSONDecoder().decode([CaseRequest].self, from: data)
    else {
      FileHandle.standardError.write(Data("probe: cannot read the case requests\n".utf8))
      exit(2)
    }
    let encoder = ChannelCoding.encoder()
    func send(_ message: ChannelMessage) {
      guard var line = try? encoder.encode(message) else { return }
      line.append(0x0A)
      line.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
          let n = write(channel, raw.baseAddress! + offset, raw.count - offset)
          if n <= 0 { break }
          offset += n
        }
      }
    }
    for request in requests {
      send(.begin(id: request.id))
      let values = handlers[request.id].map { $0(request) } ?? [:]
      send(.observed(Observation(id: request.id, values: values)))
    }
    exit(0)
  }
}
