// swift-tools-version:6.0
// animepop — predicts how popular an upcoming anime title will be from its synopsis and key visual.
// Targets are listed in pipeline order: C bridges → Tensor → Tokenizer → TextModel → Vision → Baseline → Popularity → CLI.
import PackageDescription

let package = Package(
    name: "animepop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "animepop", targets: ["animepop"]),
        .executable(name: "animepop-bench", targets: ["animepop-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // MARK: C bridges — the only code that touches C.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc")]),
        // Header-only: cache prefetch hints, glibc allocator thresholds and SHA-256 on the SHA extensions,
        // which Swift has no spelling for.
        .systemLibrary(name: "CSystem"),

        // MARK: Library modules, in pipeline order.
        .target(name: "Tensor", dependencies: ["CBLAS", "CSystem"]),
        .target(name: "Tokenizer", dependencies: ["CICU"]),
        // -target-cpu native for the same reason as Vision: softmax, GELU and layer norm loops vectorize with the
        // machine's widest instructions (LLVM picks 8 lanes for the exp loops here).
        .target(name: "TextModel", dependencies: ["Tensor", "Tokenizer"], swiftSettings: [.unsafeFlags(["-target-cpu", "native"])]),
        // -target-cpu native: the conv micro-kernel's 16-lane vectors become single AVX-512 registers where the
        // machine has them (and stay correct, only slower, where it does not); the package builds where it runs.
        .target(name: "Vision", dependencies: ["Tensor", "CJPEG", "CSystem"], swiftSettings: [.unsafeFlags(["-target-cpu", "native"])]),
        .target(name: "Baseline", dependencies: ["Tensor", "CICU"]),
        .target(name: "Popularity", dependencies: [
            "Tensor", "Tokenizer", "TextModel", "Vision", "Baseline", "CSystem",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // MARK: Executables.
        .executableTarget(name: "animepop", dependencies: [
            "Tensor", "Tokenizer", "TextModel", "Vision", "Baseline", "Popularity",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // CBLAS only for the gemm suite's direct-call comparison; -target-cpu native so that the
        // register-only FMA peak loop compiles to the machine's widest FMA (the bench runs where it is built).
        .executableTarget(name: "animepop-bench", dependencies: [
            "Tensor", "Tokenizer", "TextModel", "Vision", "Baseline", "Popularity", "CBLAS",
        ], swiftSettings: [.unsafeFlags(["-target-cpu", "native"])]),

        // MARK: Tests, one target per module.
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TextModelTests", dependencies: ["TextModel", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BaselineTests", dependencies: ["Baseline", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PopularityTests", dependencies: ["Popularity"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
