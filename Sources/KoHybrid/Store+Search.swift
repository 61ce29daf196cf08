import KoHybridDense
import KoHybridFusion
import KoHybridSparse

extension Store {
    /// Searches one collection. The indexes are brought up to date with the database first, so
    /// a search sees every batch committed before it started.
    ///
    /// ```swift
    /// let hits = try await store.search(SearchQuery(text: "오마카세 런치", vector: v, k: 5), in: "omakase.sources")
    /// for hit in hits { print(hit.id, hit.score, hit.dense?.rank ?? 0, hit.sparse?.rank ?? 0) }
    /// ```
    ///
    /// A query with text and no vector, in a collection that records an embedder, has its text
    /// embedded (role `.query`), so it runs both retrievers.
    public func search(_ query: SearchQuery, in collection: String) async throws(StoreError) -> [SearchHit] {
        let query = try await withQueryVector(query, in: collection)
        let row = try collectionRow(collection)
        guard query.k > 0 else { throw .invalidQuery(reason: "k must be positive, got \(query.k)") }
        // Far beyond any ranking use; `get(where:limit:offset:)` is the way to list records.
        guard query.k <= 10_000, (1...100_000).contains(query.candidateDepth) else {
            throw .invalidQuery(reason: "k is at most 10,000 and the candidate depth between 1 and 100,000, got \(query.candidateDepth)")
        }
        if let ef = query.efSearch, !(1...100_000).contains(ef) {
            throw .invalidQuery(reason: "efSearch must be between 1 and 100,000, got \(ef)")
        }
        let wantsDense: Bool, wantsSparse: Bool
        switch query.mode {
        case .dense:
            guard query.vector != nil else { throw .invalidQuery(reason: "dense search needs a vector") }
            (wantsDense, wantsSparse) = (true, false)
        case .sparse:
            guard query.text != nil else { throw .invalidQuery(reason: "sparse search needs text") }
            (wantsDense, wantsSparse) = (false, true)
        case .hybrid:
            guard query.vector != nil || query.text != nil else { throw .invalidQuery(reason: "a search needs text, a vector or both") }
            (wantsDense, wantsSparse) = (query.vector != nil, query.text != nil)
        }
        // A collection whose dimension is still open has no vectors: dense search finds nothing.
        let hasVectors = row.configuration.dimension > 0
        if let vector = query.vector, hasVectors {
            guard vector.count == row.configuration.dimension else {
                throw .invalidQuery(reason: "the query vector has \(vector.count) values, collection \"\(collection)\" has dimension \(row.configuration.dimension)")
            }
            guard vector.allSatisfy(\.isFinite) else { throw .invalidQuery(reason: "the query vector has a non-finite value") }
            // Cosine divides by the length: a zero vector has no direction and matches nothing.
            if row.configuration.metric == .cosine, !vector.contains(where: { $0 != 0 }) {
                throw .invalidQuery(reason: "the query vector is all zeros, which has no direction for cosine similarity")
            }
        }

        let indexes = try indexes(for: row)
        let admitted = (query.filter != nil || query.documentFilter != nil)
            ? try admittedKeys(query.filter, query.documentFilter, in: indexes) : nil
        let fusing = wantsDense && wantsSparse
        let depth = fusing ? max(query.candidateDepth, query.k) : query.k

        var lists: [RankedList<UInt64>] = []
        if wantsDense, let vector = query.vector, hasVectors {
            let hits = indexes.dense.search(vector, k: depth, ef: query.efSearch.map { max($0, depth) },
                                            filter: admitted.map { VectorFilter(keys: $0) })
            // Higher is better for fusion: similarity for cosine / inner product, -distance for L2.
            let score: (Float) -> Double = row.configuration.metric == .l2 ? { -Double($0) } : { 1 - Double($0) }
            lists.append(RankedList(retriever: "dense", entries: hits.map { .init(key: $0.key, score: score($0.distance)) }))
        }
        if wantsSparse, let text = query.text {
            let hits = indexes.sparse.search(indexes.analyzer.analyze(text), k: depth, filter: admitted.map { keys in { keys.contains($0) } })
            lists.append(RankedList(retriever: "sparse", entries: hits.map { .init(key: $0.key, score: Double($0.score)) }))
        }

        let ranked: [RankedHit]
        if fusing {
            let fusion: Fusion = if case .hybrid(let f) = query.mode { f } else { .hybridDefault }
            ranked = fusion.fuse(lists, limit: query.k).map { hit in
                func part(_ name: String) -> RetrieverScore? {
                    hit.contributions.first { $0.retriever == name }.flatMap { c in
                        c.rank.flatMap { rank in c.score.map { RetrieverScore(rank: rank, score: $0) } }
                    }
                }
                func weight(_ name: String) -> Double { hit.contributions.first { $0.retriever == name }?.weight ?? 0 }
                return RankedHit(key: hit.key, score: hit.score, dense: part("dense"), sparse: part("sparse"),
                                 weights: FusionWeights(dense: weight("dense"), sparse: weight("sparse")))
            }
        } else {
            let list = lists.first
            ranked = (list?.entries ?? []).prefix(query.k).enumerated().map { position, entry in
                let own = RetrieverScore(rank: position + 1, score: entry.score)
                return RankedHit(key: entry.key, score: entry.score,
                                 dense: list?.retriever == "dense" ? own : nil, sparse: list?.retriever == "sparse" ? own : nil)
            }
        }
        return try hits(for: ranked, collection: collection)
    }

    /// A key's final place before its record is read.
    struct RankedHit {
        var key: UInt64
        var score: Double
        var dense: RetrieverScore?
        var sparse: RetrieverScore?
        var weights: FusionWeights? = nil
    }

    /// Reads the records behind fused keys; a record deleted since the indexes caught up is skipped.
    private func hits(for ranked: [RankedHit], collection: String) throws(StoreError) -> [SearchHit] {
        guard !ranked.isEmpty else { return [] }
        // One statement for all hits: one shared-lock round trip instead of one per hit.
        let placeholders = Array(repeating: "?", count: ranked.count).joined(separator: ",")
        let stmt = try database.prepare("SELECT key, id, document, metadata, NULL FROM records WHERE key IN (\(placeholders))")
        defer { stmt.reset() }
        try stmt.bind(ranked.map { .int(Int64($0.key)) })
        var records: [UInt64: Record] = [:]
        while try stmt.step() {
            records[UInt64(stmt.int(0))] = try Self.record(stmt, column: 1, collection: collection)
        }
        // A record deleted since the indexes caught up is skipped.
        return ranked.compactMap { hit in
            records[hit.key].map { record in
                SearchHit(id: record.id, document: record.document, metadata: record.metadata, score: hit.score,
                          dense: hit.dense, sparse: hit.sparse, weights: hit.weights)
            }
        }
    }
}
