import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the current program again with Swift's crash backtraces off, so that a library error
/// or a trap in a student's code shows its one-line message (the operation, the shapes and
/// the student's file:line) instead of a page of stack frames. Set `GRADWORK_BACKTRACE=1`
/// to keep the full backtrace; a `SWIFT_BACKTRACE` already set is respected as it is.
public func relaunchWithoutBacktraces() {
  let environment = ProcessInfo.processInfo.environment
  guard environment["SWIFT_BACKTRACE"] == nil, environment["GRADWORK_BACKTRACE"] != "1" else {
    return
  }
  let arguments = CommandLine.arguments
  let entries = environment.map { "\($0.key)=\($0.value)" } + ["SWIFT_BACKTRACE=enable=no"]
  var argv = arguments.map { strdup($0) } + [nil]
  var envp = entries.map { strdup($0) } + [nil]
  // /proc/self/exe is this very program, wherever it was started from.
  execve("/proc/self/exe", &argv, &envp)
  // Reached only when execve failed: the program runs on, with backtraces.
}
