import ArgumentParser
import Foundation
@_spi(Diagnostics) import KoHybrid
import KoHybridDatasets
import KoHybridEmbedding

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search a collection by text, vector or both, with Chroma-style filters.",
        discussion: """
        Hybrid mode (the default) runs BM25 on --text and vector search on the query vector, then \
        fuses the two lists; each hit shows its rank and score in both. The store is opened \
        read-only, so searching works while a writer is ingesting: it sees the last committed \
        batch (a writer stopped mid-batch blocks no search; only a writer's COMMIT, a moment, \
        is waited for, up to 15 s). When the index snapshot is missing, stale or damaged, \
        the search rebuilds it from the records and, if it can write the store's folder, \
        publishes it for the next process.

        Without a query vector, --text is embedded with the embedder the collection recorded at \
        ingest (through the vector cache), so text alone runs true hybrid search; --embed-url and \
        --embed-model name another one. A collection without an embedder searches BM25 only.

        Filters use Chroma's grammar: --where '{"price": {"$lte": 150000}}', --where-document \
        '{"$contains": "오마카세"}'.

        Examples:
          kohybrid search --store ./store --collection boolq --text "콜라독립 출시"
          kohybrid search --store ./store --collection docs --text "오마카세 예약" --json
          kohybrid search --store ./store --collection boolq --text "콜라독립" \\
              --vector-file queries.e5-small.f32 --row 0 --mode rrf --json
        """
    )

    @Option(help: "The store directory.") var store: String
    @Option(help: "The collection to search.") var collection: String
    @Option(help: "Query text: BM25, and embedded for the dense side when the collection records an embedder.") var text: String?
    @Option(help: "A raw float32 file of query vectors (the collection's dimension).") var vectorFile: String?
    @Option(help: "Which row of --vector-file to use.") var row = 0
    @Option(name: .customLong("where"), help: "Metadata filter as JSON (Chroma `where`).") var whereJSON: String?
    @Option(name: .customLong("where-document"), help: "Document filter as JSON (Chroma `where_document`).") var whereDocumentJSON: String?
    @Option(help: "dense, sparse, hybrid (default fusion: adaptive), adaptive, rsf-0.3 (the previous default), rrf, rsf or dbsf.") var mode = "hybrid"
    @Option(name: .short, help: "Hits to return.") var k = 10
    @Option(help: "Candidates per retriever before fusion.") var candidates = Fusion.defaultCandidateDepth
    @Option(help: "HNSW efSearch for this query.") var ef: Int?
    @Flag(help: "Print the hits as one JSON array.") var json = false
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions

    /// Test hook: print what index loading did (snapshot loaded or rebuilt, published) on stderr.
    @Flag(help: .hidden) var indexActivity = false

    func validate() throws {
        guard SearchMode(name: mode) != nil else { throw ValidationError("--mode must be dense, sparse, hybrid, rrf, rsf or dbsf") }
        guard (1...10_000).contains(k) else { throw ValidationError("-k must be between 1 and 10,000, got \(k)") }
        guard (1...100_000).contains(candidates) else { throw ValidationError("--candidates must be between 1 and 100,000, got \(candidates)") }
        if let ef, !(1...100_000).contains(ef) { throw ValidationError("--ef must be between 1 and 100,000, got \(ef)") }
        guard row >= 0 else { throw ValidationError("--row cannot be negative, got \(row)") }
        guard text != nil || vectorFile != nil else { throw ValidationError("give --text, --vector-file or both") }
    }

    func run() async throws {
        guard let searchMode = SearchMode(name: mode) else { throw ValidationError("--mode must be one of \(SearchMode.names.joined(separator: ", ")), not '\(mode)'") }
        let store = try Store(directory: URL(fileURLWithPath: self.store), mode: .readOnly)
        var query = SearchQuery(text: text, k: k, mode: searchMode, candidateDepth: candidates, efSearch: ef)
        query.filter = try whereJSON.map { try Filter(json: $0) }
        query.documentFilter = try whereDocumentJSON.map { try DocumentFilter(json: $0) }
        if let vectorFile {
            let dimension = try await store.configuration(of: collection).dimension
            let matrix = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: vectorFile), dimension: dimension)
            guard row >= 0, row < matrix.count else { throw ValidationError("--row \(row) is outside \(vectorFile) (\(matrix.count) rows)") }
            query.vector = Array(matrix[row])
        }
        if query.vector == nil, let text, !text.isEmpty, searchMode != .sparse {
            if let configuration = embedding.configuration {
                let cache = try embedding.openCache()
                let dimension = try await store.configuration(of: collection).dimension
                let embedder = try CommandEmbedder(configuration, options: embedding, cache: cache, dimension: dimension)
                query.vector = try await embedder.embed([text], role: .query, label: "embedding the query").first
            } else if try await store.configuration(of: collection).embedder != nil {
                await store.setEmbedderProvider(embedding.provider(cache: try embedding.openCache()))
            } else {
                FileHandle.standardError.write(Data("note: collection \"\(collection)\" records no embedder, so --text runs BM25 only (ingest with --embed-url, or give --embed-url and --embed-model here)\n".utf8))
            }
        }
        let hits = try await store.search(query, in: collection)
        if indexActivity {
            let counts = await store.indexActivityCounts.map { "\"\($0.key)\":\($0.value)" }.sorted().joined(separator: ",")
            FileHandle.standardError.write(Data("index activity: {\(counts)}\n".utf8))
        }
        try await store.close()
        if json {
            print(JSONValue.array(hits.map(\.json)).jsonText)
            return
        }
        if let weights = hits.first?.weights {
            print(String(format: "weights for this query: dense %.3f, bm25 %.3f", weights[.dense] ?? 0, weights[.sparse] ?? 0))
        }
        for (i, hit) in hits.enumerated() {
            let dense = hit.dense.map { "dense #\($0.rank) \(String(format: "%.4f", $0.score))" } ?? "dense -"
            let sparse = hit.sparse.map { "bm25 #\($0.rank) \(String(format: "%.3f", $0.score))" } ?? "bm25 -"
            print("\(i + 1). \(hit.id)  \(String(format: "%.4f", hit.score))  (\(dense), \(sparse))")
            if let document = hit.document { print("   \(document.prefix(100).replacingOccurrences(of: "\n", with: " "))") }
        }
    }
}

extension SearchHit {
    /// The hit as JSON; metadata keeps integers and floats apart.
    var json: JSONValue {
        func part(_ score: RetrieverScore?) -> JSONValue {
            score.map { .object(["rank": .int(Int64($0.rank)), "score": .double($0.score)]) } ?? .null
        }
        return .object(["id": .string(id), "document": document.map { .string($0) } ?? .null, "metadata": metadata.json,
                        "score": .double(score), "dense": part(dense), "sparse": part(sparse),
                        "weights": weights.map { .object(["dense": .double($0[.dense] ?? 0), "sparse": .double($0[.sparse] ?? 0)]) } ?? .null])
    }
}
