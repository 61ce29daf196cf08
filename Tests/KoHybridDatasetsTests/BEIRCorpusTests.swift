import Foundation
import Testing
import KoHybridDatasets
import KoHybridTestSupport

@Suite struct BEIRCorpusTests {
    @Test(.needsSharedData) func loadsKobestBoolQ() throws {
        let dir = SharedData.corpus("kobest-boolq")
        let corpus = try BEIRCorpus.load(from: dir)
        #expect(corpus.documents.count == 5757)
        #expect(corpus.queries.count == 2104)
        #expect(corpus.judgedQueries.count == 2104)
        let docs = try corpus.vectors(.documents)
        #expect(docs.count == 5757 && docs.dimension == 384)
        let norm = docs[0].reduce(0) { $0 + $1 * $1 }
        #expect(abs(norm - 1) < 1e-3)
    }

    @Test func malformedLineNamesFileAndLine() throws {
        let dir = SharedData.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        try "{\"_id\": \"d1\", \"text\": \"가\"}\n{not json\n".write(to: dir.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try "{\"_id\": \"q1\", \"text\": \"가\"}\n".write(to: dir.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\td1\t1\n".write(to: dir.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.self) { try BEIRCorpus.load(from: dir) }
        do { _ = try BEIRCorpus.load(from: dir) } catch {
            #expect(error.description.contains("corpus.jsonl:2"))
        }
    }

    @Test func unknownQrelsIDIsReported() throws {
        let dir = SharedData.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("qrels"), withIntermediateDirectories: true)
        try "{\"_id\": \"d1\", \"text\": \"가\"}\n".write(to: dir.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        try "{\"_id\": \"q1\", \"text\": \"가\"}\n".write(to: dir.appendingPathComponent("queries.jsonl"), atomically: true, encoding: .utf8)
        try "query-id\tcorpus-id\tscore\nq1\td9\t1\n".write(to: dir.appendingPathComponent("qrels/test.tsv"), atomically: true, encoding: .utf8)
        do { _ = try BEIRCorpus.load(from: dir); Issue.record("expected an error") } catch {
            #expect(error == .unknownID(path: dir.appendingPathComponent("qrels/test.tsv").path, line: 2, id: "d9", kind: "document"))
        }
    }

    @Test func wrongSizedVectorFileIsReported() throws {
        let dir = SharedData.temporaryDirectory()
        let url = dir.appendingPathComponent("v.f32")
        try Data(count: 10).write(to: url)
        #expect(throws: DatasetError.self) { try VectorMatrix.read(contentsOf: url, dimension: 4) }
    }
}
