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
    .library(name: "Autograd", targets: ["Autograd"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1")
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

    // MARK: - Executables
    .executableTarget(name: "demo", dependencies: ["Autograd"]),
    .executableTarget(name: "bench", dependencies: ["Autograd"]),

    // MARK: - Shared test support
    .target(
      name: "AutogradTestSupport",
      dependencies: ["Autograd"],
      path: "Tests/AutogradTestSupport"
    ),
  ],
  swiftLanguageModes: [.v6]
)
