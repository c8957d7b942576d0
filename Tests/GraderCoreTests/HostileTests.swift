import Foundation
import GradeModel
import GradeReports
import GraderCore
import Testing

#if canImport(Glibc)
  import Glibc
#endif

// Hostile and broken submissions. Each is a copy of the solutions of problems 1 and 2 with one
// change, graded on the visible cases with short limits. Every one must finish within its
// budget, mark the affected case or problem with a clear reason, grade problem 1 normally,
// create nothing outside the grader's work folder, and leak nothing into any report.

/// The package root, from this file's path.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Text that must never reach a report: lines of the reference solutions of problems the
/// submission does not hold, and the rubric's hidden seed.
private let secrets = [
  "let scale = maxNorm / (total + 1e-6)", "rest.log1p()", "seed: 20261129", "threshold:",
]

/// The grader with the package's rubric and limits short enough for tests.
private func hostileGrader() throws -> Grader {
  var rubric = try Rubric.load(packageRoot: root)
  rubric.limits.wallSeconds = 8
  rubric.limits.cpuSeconds = 5
  return try Grader(packageRoot: root, rubric: rubric)
}

/// How a hostile change is expected to end for `p2.loss`.
enum Expect: Sendable {
  case timedOut
  case crashed(String)
  case failed(String)
  case invalid
  case notPassed
  case compileError(String)
  case passed
}

struct Hostile: Sendable, CustomStringConvertible {
  let name: String
  /// Code placed at the top of `ridgeLoss` (problem 2, run by the visible case `p2.loss`).
  let code: String
  let expect: Expect
  /// Paths the code tries to create; none may exist afterwards.
  var forbidden: [String] = []

  var description: String { name }
}

private let tag = UUID().uuidString.prefix(8)
private let outsideFile = "/tmp/hostile-\(tag)-outside.txt"
private let packageFile = root.appendingPathComponent("HOSTILE-\(tag).txt").path
private let reportFile = root.appendingPathComponent("grade-reports/hostile-\(tag)/feedback.md")
  .path

private let corpus: [Hostile] = [
  Hostile(name: "infinite loop", code: "while true {}", expect: .timedOut),
  Hostile(name: "sleep past the wall limit", code: "sleep(1000)", expect: .timedOut),
  Hostile(
    name: "ignoring SIGTERM and SIGXCPU",
    code: "signal(SIGTERM, SIG_IGN)\nsignal(SIGXCPU, SIG_IGN)\nwhile true {}", expect: .timedOut),
  Hostile(
    name: "deep recursion",
    code: "func down(_ n: Int) -> Int { n == 0 ? 0 : 1 + down(n - 1) }\nprint(down(100_000_000))",
    expect: .crashed("SIGSEGV")),
  Hostile(
    name: "allocating 100 GB",
    code: "let huge = [UInt8](repeating: 7, count: 100 << 30)\nprint(huge[12_345])",
    expect: .crashed("")),
  Hostile(
    name: "fork bomb",
    code: """
      for _ in 0..<5_000 {
        var pid: pid_t = 0
        let args: [UnsafeMutablePointer<CChar>?] = [strdup("sh"), strdup("-c"), strdup("sleep 300"), nil]
        _ = posix_spawn(&pid, "/bin/sh", nil, nil, args, nil)
      }
      return Tensor.zeros([])
      """, expect: .notPassed),
  Hostile(
    name: "writing gigabytes to /tmp",
    code: """
      FileManager.default.createFile(atPath: "\(outsideFile)", contents: nil)
      if let h = FileHandle(forWritingAtPath: "\(outsideFile)") {
        for _ in 0..<4_096 { h.write(Data(count: 1 << 20)) }
      }
      return Tensor.zeros([])
      """, expect: .crashed(""), forbidden: [outsideFile]),
  Hostile(
    name: "writing into the package folder",
    code: """
      try? "forged".write(toFile: "\(packageFile)", atomically: false, encoding: .utf8)
      return Tensor.zeros([])
      """, expect: .notPassed, forbidden: [packageFile]),
  Hostile(
    name: "writing into its own folder and the report paths",
    code: """
      let own = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      try? "forged".write(to: own.appendingPathComponent("evil.txt"), atomically: false, encoding: .utf8)
      try? FileManager.default.createDirectory(
        atPath: "\(root.path)/grade-reports/hostile-\(tag)", withIntermediateDirectories: true)
      try? "# 100%".write(toFile: "\(reportFile)", atomically: false, encoding: .utf8)
      print((try? FileManager.default.contentsOfDirectory(atPath: own.path)) ?? [])
      """, expect: .passed, forbidden: [reportFile]),
  Hostile(
    name: "printing gigabytes",
    code: "let line = String(repeating: \"x\", count: 1 << 16)\nwhile true { print(line) }",
    expect: .crashed("output limit")),
  Hostile(
    name: "reading the solutions and the rubric",
    code: """
      for path in ["\(root.path)/Solutions/Problem5/Problem5.swift", "\(root.path)/Grader/rubric.yaml"] {
        print((try? String(contentsOfFile: path, encoding: .utf8)) ?? "unreadable: \\(path)")
      }
      """, expect: .passed),
  Hostile(
    name: "reading the environment",
    code: "print(ProcessInfo.processInfo.environment)", expect: .passed),
  Hostile(
    name: "listing the file system",
    code: """
      for path in ["/", "/tmp", "\(root.path)", "/work", "/root", "/home"] {
        print(path, (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
      }
      """, expect: .passed),
  Hostile(
    name: "imitating the result channel",
    code: """
      print(#"{"observed":{"_0":{"id":"p2.loss","values":{"loss":{"number":{"_0":1}}}}}}"#)
      return Tensor.zeros([])
      """, expect: .notPassed),
  Hostile(name: "exit(0) in the middle of a case", code: "exit(0)", expect: .invalid),
  Hostile(name: "abort() in the middle of a case", code: "abort()", expect: .crashed("SIGABRT")),
  Hostile(
    name: "returning NaN", code: "return w.sum() * Double.nan",
    expect: .failed("not finite")),
  Hostile(
    name: "returning infinity", code: "return w.sum() * Double.infinity",
    expect: .failed("not finite")),
  Hostile(
    name: "returning a wrongly shaped tensor", code: "return w * 1.0", expect: .notPassed),
  Hostile(
    name: "returning an enormous tensor", code: "return Tensor.zeros([5_000_000], dtype: x.dtype)",
    expect: .notPassed),
  Hostile(
    name: "HTML and Markdown tricks in the output",
    code: """
      print("<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))")
      return Tensor.zeros([])
      """, expect: .notPassed),
]

/// Grades problems 1 and 2, with `code` at the top of `ridgeLoss`.
private func grade(_ code: String, extraFiles: [String: Data] = [:]) throws -> (GradeResult, Double)
{
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "hostile-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  for n in [1, 2] {
    let dir = folder.appendingPathComponent("Problem\(n)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var source = try String(
      contentsOf: root.appendingPathComponent("Solutions/Problem\(n)/Problem\(n).swift"),
      encoding: .utf8)
    if n == 2 {
      let anchor = "  // BEGIN SOLUTION: task 1, the ridge loss with λ on w only\n"
      precondition(source.contains(anchor))
      source = source.replacingOccurrences(of: anchor, with: anchor + code + "\n")
      source = "import Foundation\nimport Glibc\n" + source
    }
    try source.write(
      to: dir.appendingPathComponent("Problem\(n).swift"), atomically: true, encoding: .utf8)
  }
  for (name, data) in extraFiles {
    try data.write(to: folder.appendingPathComponent(name))
  }
  let start = Date()
  let result = try hostileGrader().grade(
    GradeOptions(submission: folder.path, problems: [1, 2], publicOnly: true))
  return (result, Date().timeIntervalSince(start))
}

/// The four reports, rendered.
private func reports(_ result: GradeResult) -> [String] {
  [
    MarkdownReport.render(result), HTMLReport.render(result), GradescopeReport.render(result),
    JUnitReport.render(result),
  ]
}

private func checkCommon(_ result: GradeResult, seconds: Double, forbidden: [String]) {
  // Visible cases only: two runs of at most 8 s each for problem 2, plus builds.
  #expect(seconds < 60, "grading took \(seconds) s")
  let p1 = result.problems.first { $0.number == 1 }
  #expect(p1?.points == p1?.maxPoints, "problem 1 was not graded normally")
  for path in forbidden {
    #expect(!FileManager.default.fileExists(atPath: path), "\(path) was created")
    try? FileManager.default.removeItem(atPath: path)
  }
  for text in reports(result) {
    for secret in secrets { #expect(!text.contains(secret), "a report holds \(secret)") }
  }
  let html = HTMLReport.render(result)
  #expect(!html.contains("<script"))
  #expect(!html.contains("<img"))
}

@Test(arguments: corpus)
func hostileSubmissionIsContainedAndReported(_ hostile: Hostile) throws {
  let (result, seconds) = try grade(hostile.code)
  checkCommon(result, seconds: seconds, forbidden: hostile.forbidden)
  let p2 = try #require(result.problems.first { $0.number == 2 })
  #expect(p2.status == .graded, "\(p2.diagnostics)")
  let loss = try #require(p2.cases.first { $0.id == "p2.loss" })
  // The other visible case of the problem still runs after the one that died.
  #expect(p2.cases.first { $0.id == "p2.update" }?.verdict == .passed)
  switch (hostile.expect, loss.verdict) {
  case (.passed, .passed), (.timedOut, .timedOut), (.invalid, .invalidObservation): break
  case (.crashed(let signal), .crashed(let got, _)):
    #expect(signal.isEmpty || got.contains(signal), "signal \(got)")
  case (.failed(let text), .failed(let reason)):
    #expect(text.isEmpty || reason.contains(text), "reason \(reason)")
  case (.notPassed, let verdict):
    #expect(verdict != .passed)
    #expect(!verdict.explanation.isEmpty)
  default:
    Issue.record("\(hostile.name): \(loss.verdict.explanation)")
  }
}

@Test func snoopingFindsNeitherFilesNorSecretsNorTheNetwork() throws {
  setenv("GRADWORK_HOSTILE_SECRET", "s3cr3t-\(tag)", 1)
  // A listener on the loopback interface that the program tries to reach.
  let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  #expect(listener >= 0)
  defer { close(listener) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  withUnsafeMutablePointer(to: &address) { pointer in
    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      _ = bind(listener, $0, length)
      _ = getsockname(listener, $0, &length)
    }
  }
  #expect(listen(listener, 4) == 0)
  _ = fcntl(listener, F_SETFL, O_NONBLOCK)
  let port = UInt16(bigEndian: address.sin_port)
  let code = """
    print(ProcessInfo.processInfo.environment["GRADWORK_HOSTILE_SECRET"] ?? "no secret")
    print((try? FileManager.default.contentsOfDirectory(atPath: "\(root.path)")) ?? ["no package"])
    let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var peer = sockaddr_in()
    peer.sin_family = sa_family_t(AF_INET)
    peer.sin_addr.s_addr = inet_addr("127.0.0.1")
    peer.sin_port = UInt16(\(port)).bigEndian
    let connected = withUnsafePointer(to: &peer) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    print("connect:", connected)
    """
  let (result, seconds) = try grade(code)
  checkCommon(result, seconds: seconds, forbidden: [])
  let output = result.problems.first { $0.number == 2 }?.output ?? ""
  #expect(output.contains("no secret"))
  #expect(output.contains("no package"))
  #expect(output.contains("connect: -1"))
  // Nothing reached the listener.
  #expect(accept(listener, nil, nil) < 0)
  for text in reports(result) { #expect(!text.contains("s3cr3t-\(tag)")) }
  if result.isolation.sandboxed {
    #expect(result.isolation.description.contains("no network"))
  } else {
    #expect(result.isolation.description.contains("no sandbox"))
  }
}

@Test func compileTimeAbuseCostsOnlyItsProblem() throws {
  let cases: [(String, [String: Data], String)] = [
    (
      "a 50 MB source file",
      ["Problem2/Huge.swift": Data(repeating: UInt8(ascii: "/"), count: 50 << 20)], "not compiled"
    ),
    (
      "thousands of files",
      Dictionary(
        uniqueKeysWithValues: (0..<2_000).map {
          ("Problem2/F\($0).swift", Data("let v\($0) = \($0)\n".utf8))
        }),
      "at most"
    ),
    (
      "an expression that keeps the type checker busy",
      [
        "Problem2/Slow.swift": Data(
          ("import Autograd\nfunc slow(_ a: Tensor) -> Tensor {\n  return "
            + (1...60).map { $0 % 2 == 0 ? "a * \($0)" : "\($0) / a" }.joined(separator: " + ")
            + " - [1, 2.5, 3].count * a\n}\n").utf8)
      ],
      "error"
    ),
    (
      "a macro declaration",
      [
        "Problem2/Macro.swift": Data(
          "@freestanding(expression) public macro evil() -> Int = #externalMacro(module: \"Evil\", type: \"Evil\")\nlet e = #evil()\n"
            .utf8)
      ],
      "error"
    ),
    (
      "non-UTF-8 contents and a <script> file name",
      ["Problem2/<script>alert(1)<%2Fscript>.swift": Data([0xFF, 0xFE, 0x00, 0x41, 0x0A])], "error"
    ),
  ]
  for (name, files, mention) in cases {
    let (result, seconds) = try grade("", extraFiles: files)
    checkCommon(result, seconds: seconds, forbidden: [])
    let p2 = try #require(result.problems.first { $0.number == 2 })
    #expect(p2.status == .compileError, "\(name)")
    #expect(p2.diagnostics.contains(mention), "\(name): \(p2.diagnostics.prefix(300))")
  }
}

@Test func manifestsLinksAndOddNamesAreIgnored() throws {
  let passwd = "/etc/passwd"
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "links-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let p1 = folder.appendingPathComponent("Problem1")
  let p2 = folder.appendingPathComponent("Problem2")
  try FileManager.default.createDirectory(at: p1, withIntermediateDirectories: true)
  try FileManager.default.createDirectory(at: p2, withIntermediateDirectories: true)
  try FileManager.default.copyItem(
    at: root.appendingPathComponent("Solutions/Problem1/Problem1.swift"),
    to: p1.appendingPathComponent("Problem1.swift"))
  try "import PackageDescription\nlet package = Package(name: \"x\")\n".write(
    to: p1.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
  // Problem 2 is only links: to /etc/passwd and to the reference solution.
  try FileManager.default.createSymbolicLink(
    atPath: p2.appendingPathComponent("Problem2.swift").path, withDestinationPath: passwd)
  try FileManager.default.createSymbolicLink(
    atPath: p2.appendingPathComponent("Reference.swift").path,
    withDestinationPath: root.appendingPathComponent("Solutions/Problem2/Problem2.swift").path)
  // Files whose names are not valid UTF-8 (one a .swift file).
  for suffix in [".txt", ".swift"] {
    var bytes = Array((p1.path + "/odd-").utf8CString.dropLast())
    bytes += [CChar(bitPattern: 0xFF), CChar(bitPattern: 0xFE)] + suffix.utf8CString
    let fd = bytes.withUnsafeBufferPointer { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
    #expect(fd >= 0)
    _ = write(fd, "let broken = \u{0}", 1)
    close(fd)
  }
  let result = try hostileGrader().grade(
    GradeOptions(submission: folder.path, problems: [1, 2], publicOnly: true))
  #expect(
    result.problems.first { $0.number == 1 }?.cases.allSatisfy { $0.verdict == .passed } == true)
  #expect(result.problems.first { $0.number == 2 }?.status == .missing)
  for text in reports(result) { #expect(!text.contains("root:x:0:0")) }
}
