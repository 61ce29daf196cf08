// swift-tools-version:6.0
// libFuzzer targets for KoHybrid's readers of user data, kept out of the main package so a plain
// `swift build` never needs the fuzzer runtime. Built and run by `scripts/fuzz.sh TARGET SECONDS`
// (release, `-sanitize=fuzzer`, `-enable-testing` for the internal readers, scratch `.build-fuzz`).
import PackageDescription

let package = Package(
    name: "KoHybridFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "KoHybrid", path: "..")],
    targets: [
        // One executable, the target chosen by its first argument. RecordFile.swift is a link to
        // the CLI's own ingest reader (an executable target cannot be imported).
        .executableTarget(name: "KoHybridFuzz", dependencies: [
            .product(name: "KoHybrid", package: "KoHybrid"),
            .product(name: "KoHybridChroma", package: "KoHybrid"),
        ], swiftSettings: [.define("KOHYBRID_LIBFUZZER")]),
    ]
)
