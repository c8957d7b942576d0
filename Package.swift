// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// The library, the code every graded program runs (courseware, the case protocol) and the
/// grader's core are compiled with optimization in every configuration, so that debug builds
/// of student code, the grader and the tests do not wait on unoptimized loops.
let optimized: [SwiftSetting] = [
  .unsafeFlags(
    ["-O", "-wmo", "-num-threads", "2", "-disable-batch-mode"], .when(configuration: .debug))
]

let package = Package(
  name: "Gradwork",
  products: [
    .library(name: "Autograd", targets: ["Autograd"]),
    // What a student's program is linked against when the grader builds it on its own.
    .library(
      name: "GradeRuntime", type: .dynamic, targets: ["Autograd", "Courseware", "GradeProtocol"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
  ],
  targets: [
    // MARK: - System libraries (one shim each, imported by one Swift file)
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(
      name: "CCmark",
      pkgConfig: "libcmark",
      providers: [.apt(["libcmark-dev"])]
    ),

    // MARK: - Float32 loops vectorized by the C compiler (imported by one Swift file)
    .target(
      name: "CVectorMath",
      exclude: ["README.md"],
      cSettings: [
        // No fused multiply-adds: every clone of a loop (AVX-512, AVX2, SSE2) rounds the same
        // way, so results are bitwise the same on every machine.
        .unsafeFlags(["-ffp-contract=off"]),
        // Optimized in debug builds too: student programs link the debug build.
        .unsafeFlags(["-O2"], .when(configuration: .debug)),
      ]
    ),

    // MARK: - Tensor library
    .target(
      name: "Autograd",
      dependencies: [
        "CBLAS", "CVectorMath", .product(name: "RealModule", package: "swift-numerics"),
      ],
      exclude: ["README.md"],
      swiftSettings: optimized
    ),
    .testTarget(
      name: "AutogradTests",
      dependencies: [
        "Autograd", "AutogradTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]
    ),

    // MARK: - Markdown to HTML (cmark)
    .target(
      name: "MarkdownHTML",
      dependencies: ["CCmark"],
      exclude: ["README.md"]
    ),
    .testTarget(
      name: "MarkdownHTMLTests",
      dependencies: ["MarkdownHTML"]
    ),

    // MARK: - Courseware shared by the problems (todo marker, reports, logs)
    .target(
      name: "Courseware", dependencies: ["Autograd"], exclude: ["README.md"],
      swiftSettings: optimized),
    .testTarget(
      name: "CoursewareTests", dependencies: ["Courseware", "SnapshotTestSupport"],
      exclude: ["Snapshots"]),

    // MARK: - The course's catalog of problems, and stub generation (Solutions/ → Exercises/)
    .target(name: "CourseCatalog", exclude: ["README.md"]),
    .target(name: "Assign", dependencies: ["CourseCatalog"], exclude: ["README.md"]),
    .testTarget(name: "AssignTests", dependencies: ["Assign", "CourseCatalog"]),

    // MARK: - Executables
    .executableTarget(name: "demo", dependencies: ["Autograd"]),
    .executableTarget(
      name: "bench",
      // The workloads W1–W5 are the spec's, each built on one problem's reference solution.
      dependencies: [
        "Autograd", "Problem1Solution", "Problem2Solution", "Problem3Solution", "Problem4Solution",
        "Problem5Solution",
      ]),

    // MARK: - Grader: result model and renderers
    .target(name: "GradeModel", path: "Grader/Model"),
    .target(
      name: "GradeProtocol", dependencies: ["Autograd", "Courseware"], path: "Grader/Protocol",
      swiftSettings: optimized),
    .target(
      name: "GradeReports", dependencies: ["GradeModel", "MarkdownHTML"], path: "Grader/Reports"),
    .testTarget(
      name: "GradeReportsTests",
      dependencies: ["GradeReports", "GradeModel", "SnapshotTestSupport"],
      exclude: ["Snapshots"]),

    // MARK: - Shared test support
    .target(
      name: "AutogradTestSupport",
      dependencies: ["Autograd"],
      path: "Tests/AutogradTestSupport"
    ),
    // Text snapshots (SVG, Markdown, HTML, terminal charts) compared with files next to a test.
    .target(name: "SnapshotTestSupport", path: "Tests/SnapshotTestSupport"),
  ],
  swiftLanguageModes: [.v6]
)

// MARK: - The problems: reference solutions and the generated student stubs

/// The problems' folder names, from the course's one catalog (`Solutions/catalog.txt`).
/// Each has `Solutions/ProblemN` (module `ProblemNSolution`, with its guide), `Exercises/ProblemN`
/// (module `ProblemN`, generated by `swift run course assign`) and `Grader/Problems/ProblemN`
/// (its cases and rubric, compiled by the grader itself).
let problems: [String] = {
  let url = URL(fileURLWithPath: Context.packageDirectory)
    .appendingPathComponent("Solutions/catalog.txt")
  guard let text = try? String(contentsOf: url, encoding: .utf8) else {
    fatalError("cannot read \(url.path)")
  }
  // One line per problem, `ProblemN | Title`; `#` starts a comment line.
  return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    .map { String($0.split(separator: "|")[0]).trimmingCharacters(in: .whitespaces) }
}()

for folder in problems {
  let solution = URL(fileURLWithPath: Context.packageDirectory)
    .appendingPathComponent("Solutions/\(folder)")
  // Everything in the folder that is not Swift (the guide, figures) is not part of the module.
  let other = ((try? FileManager.default.contentsOfDirectory(atPath: solution.path)) ?? [])
    .filter { !$0.hasSuffix(".swift") }
  package.targets += [
    .target(
      name: "\(folder)Solution", dependencies: ["Autograd", "Courseware"],
      path: "Solutions/\(folder)", exclude: other),
    .target(name: folder, dependencies: ["Autograd", "Courseware"], path: "Exercises/\(folder)"),
  ]
}

/// Acceptance tests of the reference solutions.
package.targets.append(
  .testTarget(
    name: "SolutionsTests",
    dependencies: ["Autograd", "AutogradTestSupport", "Courseware"]
      + problems.map { .target(name: "\($0)Solution") }))

/// The generated stubs build and stop cleanly at their first `todo`.
package.targets.append(
  .testTarget(
    name: "ExercisesTests",
    dependencies: ["Autograd", "Courseware"] + problems.map { .target(name: $0) }))

/// The grader core: submissions, builds, sandboxed runs, trusted judging.
package.targets += [
  .target(
    name: "GraderCore",
    dependencies: [
      "Autograd", "CourseCatalog", "GradeModel", "GradeProtocol",
      .product(name: "Yams", package: "Yams"),
      .product(name: "SwiftParser", package: "swift-syntax"),
      .product(name: "SwiftSyntax", package: "swift-syntax"),
      .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ],
    path: "Grader/Core", swiftSettings: optimized),
  .executableTarget(
    name: "grade",
    dependencies: [
      "GraderCore", "GradeReports", "GradeModel", "CourseCatalog",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "Grader/grade"),
  .testTarget(
    name: "GraderCoreTests",
    dependencies: [
      "GraderCore", "GradeModel", "GradeReports", "Assign", "CourseCatalog",
      .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ],
    // The corpora of mistakes and correct variants, read by CorpusTests.
    exclude: ["Corpus"]),
]

/// `swift run course assign | run N`: generates the stubs and runs the problems' reports.
package.targets.append(
  .executableTarget(
    name: "course",
    dependencies: [
      "Assign", "CourseCatalog", "Courseware",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]
      + problems.flatMap { [.target(name: $0), .target(name: "\($0)Solution")] },
    exclude: ["README.md"]
  ))
