import Foundation
import KoHybridDatasets
import KoHybridTestSupport
import Testing
@testable import KoHybridEvaluation

/// Bad inputs to `kohybrid eval` (through `RetrievalExperiment.load`, which the command calls):
/// each error names the file, and the line where there is one.
@Suite struct EvaluationInputErrorTests {
    /// A copy of the bundled shops corpus that a test may break.
    func brokenCopy(_ breakIt: (URL) throws -> Void) throws -> URL {
        let directory = SharedData.temporaryDirectory("kohybrid-bad-corpus")
        let source = SharedData.repositoryRoot.appendingPathComponent("Corpora/shops")
        for name in ["corpus.jsonl", "queries.jsonl", "corpus.e5-small.f32", "queries.e5-small.f32", "embeddings.json", "qrels"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: directory.appendingPathComponent(name))
        }
        try breakIt(directory)
        return directory
    }

    func loadError(_ directory: URL) -> String? {
        defer { try? FileManager.default.removeItem(at: directory) }
        do { _ = try RetrievalExperiment.load(from: directory); return nil } catch { return error.description }
    }

    func replaceLine(_ number: Int, in url: URL, with text: String) throws {
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        lines[number - 1] = text
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func missingFileIsNamed() throws {
        let message = loadError(try brokenCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("queries.jsonl")) })
        #expect(message?.hasSuffix("queries.jsonl: file not found") == true, "\(message ?? "no error")")
    }

    @Test func malformedCorpusLineIsNamed() throws {
        let message = loadError(try brokenCopy { try replaceLine(3, in: $0.appendingPathComponent("corpus.jsonl"), with: "{\"_id\": \"src-x\", \"text\": ") })
        #expect(message?.contains("corpus.jsonl:3: invalid JSON") == true, "\(message ?? "no error")")
    }

    @Test func qrelsNamingAnUnknownDocumentIsNamed() throws {
        let message = loadError(try brokenCopy { try replaceLine(5, in: $0.appendingPathComponent("qrels/test.tsv"), with: "q-menu-001\t우니야-없는-가게\t2") })
        #expect(message?.contains("test.tsv:5: unknown document id \"우니야-없는-가게\"") == true, "\(message ?? "no error")")
    }

    @Test func vectorFileOfTheWrongSizeIsNamed() throws {
        let message = loadError(try brokenCopy { directory in
            let url = directory.appendingPathComponent("queries.e5-small.f32")
            let data = try Data(contentsOf: url)
            try data.prefix(data.count - 4).write(to: url)
        })
        #expect(message?.contains("queries.e5-small.f32") == true && message?.contains("not a whole number of float32 rows") == true, "\(message ?? "no error")")
    }

    @Test func vectorFileWithMissingRowsIsNamed() throws {
        let message = loadError(try brokenCopy { directory in
            let url = directory.appendingPathComponent("corpus.e5-small.f32")
            let data = try Data(contentsOf: url)
            try data.prefix(data.count - 384 * 4).write(to: url)
        })
        #expect(message?.contains("corpus.e5-small.f32: 825 vector rows, but corpus.jsonl has 826 entries") == true, "\(message ?? "no error")")
    }

    @Test func unknownModeAndSweepListTheKnownOnes() {
        #expect(throws: EvaluationError.unknownMode("hybrid-xyz", known: EvaluationMode.standard().map(\.name))) {
            try EvaluationMode.select(["dense", "hybrid-xyz"], from: EvaluationMode.standard())
        }
        #expect(throws: EvaluationError.invalidSweep("k1", known: Sweep.allCases.map(\.rawValue))) {
            try Sweep.parse("rrf-k,k1")
        }
    }
}
