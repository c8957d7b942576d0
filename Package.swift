// swift-tools-version: 6.1
import PackageDescription

/// The library's kernels are compiled with optimization in every configuration, so that
/// debug builds of student code, the grader and the tests do not wait on unoptimized loops.
let optimizedKernels: [SwiftSetting] = [
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

    // MARK: - Tensor library
    .target(
      name: "Autograd",
      dependencies: ["CBLAS", .product(name: "RealModule", package: "swift-numerics")],
      exclude: ["README.md"],
      swiftSettings: optimizedKernels
    ),
    .testTarget(
      name: "AutogradTests",
      dependencies: ["Autograd", "AutogradTestSupport"]
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
    .target(name: "Courseware", dependencies: ["Autograd"], exclude: ["README.md"]),

    // MARK: - Stub generation (Solutions/ → Exercises/)
    .target(name: "Assign", exclude: ["README.md"]),
    .testTarget(name: "AssignTests", dependencies: ["Assign"]),

    // MARK: - Executables
    .executableTarget(name: "demo", dependencies: ["Autograd"]),
    .executableTarget(
      name: "bench",
      dependencies: ["Autograd"] + (1...5).map { .target(name: "Problem\($0)Solution") }),

    // MARK: - Grader: result model and renderers
    .target(name: "GradeModel", path: "Grader/Model"),
    .target(name: "GradeProtocol", dependencies: ["Autograd"], path: "Grader/Protocol"),
    .target(
      name: "GradeReports", dependencies: ["GradeModel", "MarkdownHTML"], path: "Grader/Reports"),
    .testTarget(
      name: "GradeReportsTests", dependencies: ["GradeReports", "GradeModel"],
      exclude: ["Snapshots"]),

    // MARK: - Shared test support
    .target(
      name: "AutogradTestSupport",
      dependencies: ["Autograd"],
      path: "Tests/AutogradTestSupport"
    ),
  ],
  swiftLanguageModes: [.v6]
)

// MARK: - The five problems: reference solutions and the generated student stubs

/// The problem numbers; each has `Solutions/ProblemN` (module `ProblemNSolution`) and
/// `Exercises/ProblemN` (module `ProblemN`), generated from it by `swift run course assign`.
let problems = 1...5

for n in problems {
  package.targets += [
    .target(
      name: "Problem\(n)Solution", dependencies: ["Autograd", "Courseware"],
      path: "Solutions/Problem\(n)"),
    .target(
      name: "Problem\(n)", dependencies: ["Autograd", "Courseware"], path: "Exercises/Problem\(n)"),
  ]
}

/// Acceptance tests of the reference solutions.
package.targets.append(
  .testTarget(
    name: "SolutionsTests",
    dependencies: ["Autograd", "AutogradTestSupport", "Courseware"]
      + problems.map { .target(name: "Problem\($0)Solution") }))

/// The generated stubs build and stop cleanly at their first `todo`.
package.targets.append(
  .testTarget(
    name: "ExercisesTests",
    dependencies: ["Autograd", "Courseware"] + problems.map { .target(name: "Problem\($0)") }))

/// The grader core: submissions, builds, sandboxed runs, trusted judging.
package.targets += [
  .target(
    name: "GraderCore",
    dependencies: [
      "Autograd", "GradeModel", "GradeProtocol", .product(name: "Yams", package: "Yams"),
      .product(name: "SwiftParser", package: "swift-syntax"),
      .product(name: "SwiftSyntax", package: "swift-syntax"),
      .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ] + problems.map { .target(name: "Problem\($0)Solution") },
    path: "Grader/Core"),
  .executableTarget(
    name: "grade",
    dependencies: [
      "GraderCore", "GradeReports", "GradeModel",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ],
    path: "Grader/grade"),
  .testTarget(
    name: "GraderCoreTests",
    dependencies: [
      "GraderCore", "GradeModel", "GradeReports",
      .product(name: "ZIPFoundation", package: "ZIPFoundation"),
    ]),
]

/// `swift run course assign | run N`: generates the stubs and runs the problems' reports.
package.targets.append(
  .executableTarget(
    name: "course",
    dependencies: [
      "Assign", "Courseware", .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]
      + problems.flatMap { [.target(name: "Problem\($0)"), .target(name: "Problem\($0)Solution")] },
    exclude: ["README.md"]
  ))
