// swift-tools-version:6.0
// KoHybrid: hybrid dense + sparse retrieval for Korean text.
//
// Module map (one concern each; lower layers never import higher ones):
//
//   CICU, CSQLite, CVectorKernels   C shims: system ICU, system SQLite, SIMD distance kernels
//   KoHybridCore                    small shared pieces: bounded top-k heap, parallel for/map, SplitMix64
//   KoHybridModel                   Record, Metadata, MetadataValue, JSONValue (ints and floats kept
//                                   apart), the one JSON <-> metadata conversion, the JSONL export format
//   KoHybridFiles                   atomic, durable file publishing, checksums, file errors in words
//   KoHybridSQLite                  the one SQLite connection wrapper, errors in the caller's type
//   KoHybridAnalysis                Korean analyzer: a chain of small token filters over ICU
//   KoHybridSparse                  BM25 inverted index with MaxScore top-k
//   KoHybridDense                   exact flat index and HNSW
//   KoHybridFusion                  RRF, relative-score and distribution-based score fusion
//   KoHybridDatasets                BEIR corpora and float32 vector files
//   KoHybridEmbedding               text -> vectors over the OpenAI embeddings API (URLSession)
//   KoHybrid                        the store: SQLite records, collections, filters, hybrid search,
//                                   the embedding cache
//   KoHybridEvaluation              metrics, significance tests, reports
//   KoHybridChroma                  reading Chroma persisted directories and exports
//   KoHybridServer                  `kohybrid serve`: Chroma's HTTP API v2 subset + the hybrid API (Hummingbird)
//   kohybrid                        the command-line tool
import PackageDescription

let package = Package(
    name: "KoHybrid",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "KoHybrid", targets: ["KoHybrid"]),
        .library(name: "KoHybridAnalysis", targets: ["KoHybridAnalysis"]),
        .library(name: "KoHybridSparse", targets: ["KoHybridSparse"]),
        .library(name: "KoHybridDense", targets: ["KoHybridDense"]),
        .library(name: "KoHybridEmbedding", targets: ["KoHybridEmbedding"]),
        .library(name: "KoHybridEvaluation", targets: ["KoHybridEvaluation"]),
        .library(name: "KoHybridChroma", targets: ["KoHybridChroma"]),
        .library(name: "KoHybridServer", targets: ["KoHybridServer"]),
        .executable(name: "kohybrid", targets: ["kohybrid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Only KoHybridServer uses it, so the library builds without NIO.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C shims
        .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CVectorKernels"),

        // Shared pieces and the data model
        .target(name: "KoHybridCore"),
        .target(name: "KoHybridModel"),
        .target(name: "KoHybridFiles"),
        .target(name: "KoHybridSQLite", dependencies: ["CSQLite"]),

        // Engines
        .target(name: "KoHybridAnalysis", dependencies: ["CICU", "KoHybridFiles"]),
        .target(name: "KoHybridSparse", dependencies: ["KoHybridAnalysis", "KoHybridCore", "KoHybridFiles"]),
        .target(name: "KoHybridDense", dependencies: ["CVectorKernels", "KoHybridCore", "KoHybridFiles"]),
        .target(name: "KoHybridFusion"),
        .target(name: "KoHybridDatasets", dependencies: ["KoHybridCore", "KoHybridModel", "KoHybridFiles"]),
        .target(name: "KoHybridEmbedding"),

        // Store and tools
        .target(name: "KoHybrid", dependencies: [
            "CICU", "CSQLite", "KoHybridSQLite", "KoHybridCore", "KoHybridModel", "KoHybridAnalysis", "KoHybridSparse", "KoHybridDense",
            "KoHybridFusion", "KoHybridFiles", "KoHybridEmbedding",
        ]),
        .target(name: "KoHybridEvaluation", dependencies: [
            "KoHybrid", "KoHybridCore", "KoHybridDatasets", "KoHybridAnalysis", "KoHybridSparse", "KoHybridDense",
            "KoHybridFusion", "KoHybridFiles",
        ]),
        .target(name: "KoHybridChroma", dependencies: ["KoHybridSQLite", "KoHybrid", "KoHybridModel", "KoHybridDatasets", "KoHybridFiles"]),
        .target(name: "KoHybridServer", dependencies: [
            "KoHybrid", "KoHybridFusion", "KoHybridAnalysis",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "kohybrid", dependencies: [
            "KoHybrid", "KoHybridCore", "KoHybridModel", "KoHybridAnalysis", "KoHybridSparse", "KoHybridDense", "KoHybridFusion",
            "KoHybridDatasets", "KoHybridEmbedding", "KoHybridEvaluation", "KoHybridChroma", "KoHybridServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests (KoHybridTestSupport locates ../shared and makes temporary directories)
        .target(name: "KoHybridTestSupport", path: "Tests/KoHybridTestSupport"),
        .testTarget(name: "KoHybridAnalysisTests", dependencies: ["KoHybridAnalysis", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridSparseTests", dependencies: ["KoHybridSparse", "KoHybridCore", "KoHybridDatasets", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridDenseTests", dependencies: ["KoHybridDense", "KoHybridCore", "KoHybridDatasets", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridCoreTests", dependencies: ["KoHybridCore"]),
        .testTarget(name: "KoHybridModelTests", dependencies: ["KoHybridModel"]),
        .testTarget(name: "KoHybridFusionTests", dependencies: ["KoHybridFusion"]),
        .testTarget(name: "KoHybridDatasetsTests", dependencies: ["KoHybridDatasets", "KoHybridModel", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridTests", dependencies: ["KoHybrid", "KoHybridCore", "KoHybridDatasets", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridEvaluationTests", dependencies: ["KoHybridEvaluation", "KoHybrid", "KoHybridDatasets", "KoHybridTestSupport"]),
        .testTarget(name: "KoHybridEmbeddingTests", dependencies: [
            "KoHybridEmbedding", "KoHybrid", "KoHybridDatasets", "KoHybridEvaluation", "KoHybridTestSupport",
        ], exclude: ["Servers"]),
        .testTarget(name: "KoHybridChromaTests", dependencies: ["KoHybridChroma", "KoHybrid", "KoHybridModel", "KoHybridTestSupport"]),
        // Seeded mutation fuzzing of every reader of user data (bounded in CI; Fuzz/ has libFuzzer).
        .testTarget(name: "KoHybridFuzzTests", dependencies: [
            "KoHybrid", "KoHybridCore", "KoHybridDatasets", "KoHybridChroma", "kohybrid", "KoHybridTestSupport",
        ]),
        .testTarget(name: "KoHybridServerTests", dependencies: ["KoHybridServer", "KoHybrid", "KoHybridCore", "KoHybridTestSupport"]),
    ]
)
