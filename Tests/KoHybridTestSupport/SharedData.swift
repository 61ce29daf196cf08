import Foundation
import Testing

/// Where tests find `../shared` (real corpora, Chroma fixtures, peer scripts) and scratch space.
public enum SharedData {
    /// `$KOHYBRID_SHARED`, else `shared/` beside the repository checkout.
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["KOHYBRID_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// The package root, found from this source file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func corpus(_ name: String) -> URL {
        root.appendingPathComponent("corpora").appendingPathComponent(name)
    }

    public static var chromaFixtures: URL {
        root.appendingPathComponent("fixtures").appendingPathComponent("chroma")
    }

    public static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// `Corpora/shops`, the corpus bundled in the repository (always present): 826 passages and
    /// 435 queries with multilingual-e5-small vectors. Core properties are tested on it, so they
    /// run on every checkout.
    public static var shopsCorpus: URL {
        repositoryRoot.appendingPathComponent("Corpora").appendingPathComponent("shops")
    }

    /// A fresh empty directory under the system temporary directory.
    public static func temporaryDirectory(_ label: String = "kohybrid-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension SharedData {
    /// The Python with bm25s and pytrec_eval (made by `scripts/peers-venv.sh`), if there is one.
    /// Under CI (`CI=true`) a missing one is a failure, never a silent skip.
    public static var peersPython: URL? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["KOHYBRID_PEERS_PYTHON"],
                          env["HOME"].map { $0 + "/.cache/kohybrid/peers-venv/bin/python" }]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        return nil
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Runs a Python script with the peers interpreter; returns stdout.
    public static func runPython(_ arguments: [String], currentDirectory: URL? = nil) throws -> String {
        guard let python = peersPython else { throw PythonUnavailable() }
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PythonFailed(status: process.terminationStatus, stderr: String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    public struct PythonUnavailable: Error, CustomStringConvertible {
        public var description: String { "no peers Python: run scripts/peers-venv.sh (or set KOHYBRID_PEERS_PYTHON)" }
    }

    public struct PythonFailed: Error, CustomStringConvertible {
        public let status: Int32
        public let stderr: String
        public var description: String { "python exited \(status): \(stderr.suffix(2000))" }
    }
}

extension Trait where Self == ConditionTrait {
    /// The one policy for tests that need `../shared` (a larger corpus, Chroma fixtures, peer
    /// scripts): where it is missing they are skipped, and the skip says why; under CI
    /// (`CI=true`) they run anyway, so that a missing `../shared` fails loudly instead of
    /// shrinking the suite. Their data loads throw (never trap), so the failure names the path.
    ///
    /// ```swift
    /// @Suite(.needsSharedData) struct FilteredSearchAtScaleTests { ... }
    /// ```
    public static var needsSharedData: Self {
        .enabled(if: SharedData.isAvailable || SharedData.isCI,
                 Comment(rawValue: "needs ../shared, not found at \(SharedData.root.path) (set KOHYBRID_SHARED)"))
    }
}
