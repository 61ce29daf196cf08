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

        --mode picks the retrievers (dense, sparse, hybrid) and --fusion how hybrid fuses them, \
        as the server's search request does; --mode rrf (a fusion name) is --mode hybrid \
        --fusion rrf. Filters use Chroma's grammar: --where '{"price": {"$lte": 150000}}', \
        --where-document '{"$contains": "오마카세"}'. --json prints the hits as one array of \
        {id, document, metadata, score, dense: {rank, score}, sparse: {rank, score}, weights}.

        Examples:
          kohybrid search --store ./store --collection boolq --text "콜라독립 출시"
          kohybrid search --store ./store --collection docs --text "오마카세 예약" --json
          kohybrid search --store ./store --collection boolq --text "콜라독립" \\
              --query-vectors queries.e5-small.f32 --row 0 --fusion rrf --json
          kohybrid search --store ./store --collection shops --text "오마카세" -k 5 \\
              --where '{"price": {"$lte": 150000}}'
        """
    )

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The collection to search.") var collection: String
    @Option(help: "Query text: BM25, and embedded for the dense side when the collection records an embedder.") var text: String?
    @Option(help: ArgumentHelp("A raw float32 file of query vectors (the collection's dimension), as `eval --query-vectors`.",
                               valueName: "file")) var queryVectors: String?
    /// Deprecated spelling: `--vector-file`.
    @Option(name: .customLong("vector-file"), help: .hidden) var oldVectorFile: String?
    @Option(help: "Which row of --query-vectors to use.") var row = 0

    private var vectorFile: String? { queryVectors ?? oldVectorFile }
    @OptionGroup(title: "Search") var search: SearchOptions
    @OptionGroup var output: JSONOutputOptions
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions

    /// Test hook: print what index loading did (snapshot loaded or rebuilt, published) on stderr.
    @Flag(help: .hidden) var indexActivity = false

    func validate() throws {
        guard row >= 0 else { throw ValidationError("--row cannot be negative, got \(row)") }
        try Deprecated.check(new: queryVectors, "--query-vectors", old: oldVectorFile, "--vector-file")
        guard text != nil || vectorFile != nil else { throw ValidationError("give --text, --query-vectors or both") }
    }

    func run() async throws {
        let store = try storeOptions.openReadOnly()
        var query = try search.query(text: text)
        query.vector = try await queryVector(store)
        if query.vector == nil, let text, !text.isEmpty, query.mode != .sparse {
            query.vector = try await embedQuery(text, store: store)
        }
        let hits = try await store.search(query, in: collection)
        if indexActivity {
            let counts = await store.indexActivityCounts.map { "\"\($0.key)\":\($0.value)" }.sorted().joined(separator: ",")
            FileHandle.standardError.write(Data("index activity: {\(counts)}\n".utf8))
        }
        try await store.close()
        if output.json {
            Terminal.printJSON(hits.map(\.json))
        } else {
            printHits(hits)
        }
    }

    /// Row --row of --vector-file, when one is given.
    private func queryVector(_ store: Store) async throws -> [Float]? {
        guard let vectorFile else { return nil }
        let dimension = try await store.configuration(of: collection).dimension
        let matrix = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: vectorFile), dimension: dimension)
        guard row < matrix.count else { throw CommandFailure("--row \(row) is outside \(vectorFile) (\(matrix.count) rows)") }
        return Array(matrix[row])
    }

    /// The text's vector from --embed-url; or nil, after telling the store to embed it with the
    /// embedder the collection recorded (or noting that it has none, so BM25 runs alone).
    private func embedQuery(_ text: String, store: Store) async throws -> [Float]? {
        let recorded = try await store.configuration(of: collection)
        if let configuration = embedding.configuration {
            let embedder = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(), dimension: recorded.dimension)
            return try await embedder.embed([text], role: .query, label: "embedding the query").first
        }
        if recorded.embedder != nil {
            await store.setEmbedderProvider(embedding.provider(cache: try embedding.openCache()))
        } else {
            Terminal.note("collection \"\(collection)\" records no embedder, so --text runs BM25 only (ingest with --embed-url, or give --embed-url and --embed-model here)")
        }
        return nil
    }

    private func printHits(_ hits: [SearchHit]) {
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

extension SearchHit: JSONConvertible {
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
