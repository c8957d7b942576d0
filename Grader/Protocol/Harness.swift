import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The harness inside a student's program: it answers the grader's requests by running each
/// case's call on the inputs it is sent, and returns the raw outputs. It holds no expected
/// value, no threshold and no seed: whatever the program sends, the grader judges only the
/// outputs against its own computation on inputs the program could not know in advance.
public enum Harness {
  /// Serves requests for `cases` (by id) until the grader closes standard input, then exits.
  ///
  /// Before any student code runs, the channel (the process's standard output) moves to a
  /// private descriptor and standard output points at standard error, so whatever the
  /// student prints lands in the captured output, never on the channel.
  public static func serve(_ cases: [CaseSpec]) -> Never {
    fflush(nil)
    let channel = FrameIO(fd: dup(1))
    dup2(2, 1)
    let requests = FrameIO(fd: 0)
    var byID: [String: CaseSpec] = [:]
    for spec in cases { byID[spec.id] = spec }
    while true {
      channel.write(.ready)
      guard case .request(let id, let nonce, let inputs)? = requests.read() else { break }
      channel.write(.begin(id: id))
      let values = ValueCoding.decode(inputs) ?? [:]
      let outputs = byID[id].map { $0.run(CaseInputs(values)) } ?? [:]
      channel.write(
        .outputs(
          id: id, digest: Frame.digest(nonce: nonce, inputs: inputs),
          values: ValueCoding.encode(outputs)))
    }
    fflush(nil)
    exit(0)
  }
}
