import Foundation
import KoHybridAnalysis
import KoHybridCore
import KoHybridDense
import KoHybridFusion
import KoHybridSparse

/// One collection's retrieval pipeline over its in-memory indexes, the one place hybrid search
/// happens: text -> analyzer -> terms -> BM25 (Robertson & Zaragoza 2009) candidates; vector ->
/// dense index (flat, then HNSW by Malkov & Yashunin 2018) candidates; both -> `Fusion` ->
/// ranked keys. `Store.search`, `kohybrid eval` (`RetrievalExperiment`, `StoreEvaluation`) and
/// the server all rank through it, so the evaluation measures the search that ships.
///
/// Any number of searches run at once (they share a readers-writer lock); applying changes
/// takes it exclusively, so a search always sees the indexes of one store state.
///
/// ```swift
/// let searcher = CollectionSearcher(configuration: .init(dimension: 384))
/// searcher.index([(key: 1, document: "스시 오마카세 런치", vector: v)])
/// let ranked = try searcher.search(SearchQuery(text: "오마카세", vector: q, k: 5))
/// ```
public final class CollectionSearcher: @unchecked Sendable {
    /// The engine settings the indexes were built with (dimension, metric, analyzer, BM25, HNSW).
    public let configuration: CollectionConfiguration
    public let analyzer: Analyzer
    /// Mutated only under `lock.write`.
    private(set) var sparse: BM25Index
    let dense: DenseIndex
    private let lock = ReadWriteLock()

    public convenience init(configuration: CollectionConfiguration) {
        self.init(configuration: configuration, sparse: nil, dense: nil)
    }

    init(configuration: CollectionConfiguration, sparse: BM25Index?, dense: DenseIndex?) {
        self.configuration = configuration
        analyzer = Analyzer(configuration.analyzerConfiguration)
        self.sparse = sparse ?? BM25Index(parameters: configuration.bm25)
        self.dense = dense ?? DenseIndex(dimension: configuration.dimension, metric: configuration.metric,
                                         parameters: configuration.hnsw)
    }

    // MARK: - Building

    /// Indexes documents and vectors under `key`s (replacing what a key held). A graph built on
    /// one thread (`graphThreads: 1`) is reproducible; more threads build it faster, not identically.
    public func index(_ items: [(key: UInt64, document: String?, vector: [Float]?)],
                      analysisThreads: Int = 1, graphThreads: Int = 1) throws(StoreError) {
        var changes = ChangeSet()
        changes.upserted = items.map { (key: $0.key, record: Record(id: "", document: $0.document, embedding: $0.vector)) }
        try apply(changes, analysisThreads: analysisThreads, graphThreads: graphThreads)
    }

    /// Applies one chunk of changes read from the records: tombstones removed, records
    /// inserted or replaced. Waits for searches in flight; searches wait for it.
    func apply(_ changes: ChangeSet, threads: Int) throws(StoreError) {
        try apply(changes, analysisThreads: threads, graphThreads: threads)
    }

    private func apply(_ changes: ChangeSet, analysisThreads: Int, graphThreads: Int) throws(StoreError) {
        guard !changes.isEmpty else { return }
        // Every part the BM25 fields read (by default just the document), analysed together
        // and before taking the lock: analysis is the costly part of BM25 indexing.
        let parts = configuration.bm25.parts
        let terms = analyze(changes.upserted.flatMap { change in parts.map { change.record.text(ofPart: $0) } }, threads: analysisThreads)
        try lock.write { () throws(StoreError) in
            for key in changes.removed {
                _ = sparse.remove(key: key)
                dense.remove(key: key)
            }
            var vectors: [(key: UInt64, vector: [Float])] = []
            vectors.reserveCapacity(changes.upserted.count)
            for (i, change) in changes.upserted.enumerated() {
                var document: [String: [Term]] = [:]
                for (j, part) in parts.enumerated() { document[part] = terms[i * parts.count + j] }
                sparse.upsert(key: change.key, parts: document)
                if let vector = change.record.embedding {
                    vectors.append((change.key, vector))
                } else {
                    dense.remove(key: change.key)
                }
            }
            do { try dense.upsert(batch: vectors, threads: graphThreads) } catch {
                throw .database(path: "the dense index", message: "a stored vector was rejected: \(error)")
            }
        }
    }

    /// Analyzes documents on up to `threads` threads (one per 256 documents at most); results
    /// keep the input order.
    private func analyze(_ documents: [String?], threads: Int) -> [[Term]] {
        let analyzer = analyzer
        return Parallel.map(count: documents.count, threads: max(1, min(threads, documents.count / 256))) {
            documents[$0].map { analyzer.analyze($0) } ?? []
        }
    }

    /// Reads the indexes under the shared lock (snapshot publishing, invariant checks).
    func withIndexes<T, E: Error>(_ body: (BM25Index, DenseIndex) throws(E) -> T) throws(E) -> T {
        try lock.read { () throws(E) -> T in try body(sparse, dense) }
    }

    // MARK: - Searching

    /// What a query runs: which retrievers, how many candidates each, and how they are fused.
    public struct Plan: Sendable, Hashable {
        /// In the order their lists are fused.
        public var retrievers: [Retriever]
        /// Candidates each retriever returns: `k` for a single retriever, the query's candidate
        /// depth when two are fused.
        public var depth: Int
        /// nil when a single retriever runs.
        public var fusion: Fusion?
    }

    /// Checks a query against this collection and says what it runs. Every problem is an
    /// `invalidQuery` error naming it.
    public func plan(_ query: SearchQuery) throws(StoreError) -> Plan {
        try Self.plan(query, configuration: configuration)
    }

    /// `plan(_:)` for a collection with this configuration, before its indexes are at hand.
    static func plan(_ query: SearchQuery, configuration: CollectionConfiguration) throws(StoreError) -> Plan {
        guard query.k > 0 else { throw .invalidQuery(reason: "k must be positive, got \(query.k)") }
        // Far beyond any ranking use; `get(where:limit:offset:)` is the way to list records.
        let depth = query.resolvedCandidateDepth
        guard query.k <= 10_000, (1...100_000).contains(depth) else {
            throw .invalidQuery(reason: "k is at most 10,000 and the candidate depth between 1 and 100,000, got k \(query.k), depth \(depth)")
        }
        if let ef = query.efSearch, !(1...100_000).contains(ef) {
            throw .invalidQuery(reason: "efSearch must be between 1 and 100,000, got \(ef)")
        }
        var retrievers: [Retriever]
        switch query.mode {
        case .dense:
            guard query.vector != nil else { throw .invalidQuery(reason: "dense search needs a vector") }
            retrievers = [.dense]
        case .sparse:
            guard query.text != nil else { throw .invalidQuery(reason: "sparse search needs text") }
            retrievers = [.sparse]
        case .hybrid:
            guard query.vector != nil || query.text != nil else { throw .invalidQuery(reason: "a search needs text, a vector or both") }
            retrievers = (query.vector != nil ? [.dense] : []) + (query.text != nil ? [.sparse] : [])
        }
        if let vector = query.vector {
            try validate(vector, configuration: configuration)
        }
        // A collection whose dimension is still open has no vectors: dense search finds nothing.
        if configuration.dimension == 0, retrievers.contains(.dense), retrievers.count == 1 {
            return Plan(retrievers: [], depth: query.k, fusion: nil)
        }
        if configuration.dimension == 0 { retrievers.removeAll { $0 == .dense } }
        if retrievers.count > 1, case .hybrid(let fusion) = query.mode {
            return Plan(retrievers: retrievers, depth: depth, fusion: fusion)
        }
        return Plan(retrievers: retrievers, depth: query.k, fusion: nil)
    }

    private static func validate(_ vector: [Float], configuration: CollectionConfiguration) throws(StoreError) {
        guard configuration.dimension > 0 else { return }
        guard vector.count == configuration.dimension else {
            throw .invalidQuery(reason: "the query vector has \(vector.count) values, the collection has dimension \(configuration.dimension)")
        }
        guard vector.allSatisfy(\.isFinite) else { throw .invalidQuery(reason: "the query vector has a non-finite value") }
        // Cosine divides by the length: a zero vector has no direction and matches nothing.
        if configuration.metric == .cosine, !vector.contains(where: { $0 != 0 }) {
            throw .invalidQuery(reason: "the query vector is all zeros, which has no direction for cosine similarity")
        }
    }

    /// Runs the query: each planned retriever's candidates (among `admitted` keys, when given),
    /// then fusion, cut to `k`.
    public func search(_ query: SearchQuery, admitted: Set<UInt64>? = nil) throws(StoreError) -> [RankedKey] {
        search(query, plan: try plan(query), admitted: admitted)
    }

    /// `search(_:admitted:)` with the query's plan already made (by `plan(_:)`).
    func search(_ query: SearchQuery, plan: Plan, admitted: Set<UInt64>?) -> [RankedKey] {
        // One read of the lock for every list, so they all come from one store state.
        let lists = lock.read { plan.retrievers.map { candidatesUnderLock($0, for: query, depth: plan.depth, admitted: admitted) } }
        return rank(lists, plan: plan, k: query.k)
    }

    /// One retriever's candidates for a query, best first, with scores where higher is better
    /// (dense: `similarity(distance:)`). `efSearch` below `depth` is raised to it.
    public func candidates(_ retriever: Retriever, for query: SearchQuery, depth: Int, admitted: Set<UInt64>? = nil) -> RankedList<UInt64> {
        lock.read { candidatesUnderLock(retriever, for: query, depth: depth, admitted: admitted) }
    }

    /// `candidates`, for a caller holding the read lock (a readers-writer lock is not taken twice:
    /// a writer waiting between the two would deadlock a writer-preferring lock).
    private func candidatesUnderLock(_ retriever: Retriever, for query: SearchQuery, depth: Int, admitted: Set<UInt64>?) -> RankedList<UInt64> {
        switch retriever {
        case .dense:
            guard let vector = query.vector, configuration.dimension > 0 else { return RankedList(retriever: .dense, entries: []) }
            let hits = dense.search(vector, k: depth, ef: query.efSearch.map { max($0, depth) },
                                    filter: admitted.map { VectorFilter(keys: $0) })
            return Self.denseList(hits, metric: configuration.metric)
        case .sparse:
            guard let text = query.text else { return RankedList(retriever: .sparse, entries: []) }
            let hits = sparse.search(analyzer.analyze(text), k: depth, filter: admitted.map { keys in { keys.contains($0) } })
            return RankedList(retriever: .sparse, entries: hits.map { .init(key: $0.key, score: Double($0.score)) })
        }
    }

    /// Ranks the planned retrievers' candidate lists: fused when the plan fuses, else the one
    /// list as it is; the best `k`.
    public func rank(_ lists: [RankedList<UInt64>], plan: Plan, k: Int) -> [RankedKey] {
        if let fusion = plan.fusion {
            return fusion.fuse(lists, limit: k).map { hit in
                func part(_ retriever: Retriever) -> RetrieverScore? {
                    hit.contribution(retriever).flatMap { c in c.rank.flatMap { rank in c.score.map { RetrieverScore(rank: rank, score: $0) } } }
                }
                return RankedKey(key: hit.key, score: hit.score, dense: part(.dense), sparse: part(.sparse), weights: hit.weights)
            }
        }
        guard let list = lists.first else { return [] }
        return list.entries.prefix(k).enumerated().map { position, entry in
            let own = RetrieverScore(rank: position + 1, score: entry.score)
            return RankedKey(key: entry.key, score: entry.score,
                             dense: list.retriever == .dense ? own : nil, sparse: list.retriever == .sparse ? own : nil)
        }
    }

    /// Dense hits as a ranked list: distances become similarities (higher is better), as
    /// fusion and TREC runs expect.
    public static func denseList(_ hits: [VectorHit], metric: DistanceMetric) -> RankedList<UInt64> {
        RankedList(retriever: .dense, entries: hits.map { .init(key: $0.key, score: similarity(distance: $0.distance, metric: metric)) })
    }

    /// A distance as a score where higher is better: `1 - distance` for cosine and inner product
    /// (the similarity itself), `-distance` for squared L2.
    public static func similarity(distance: Float, metric: DistanceMetric) -> Double {
        metric == .l2 ? -Double(distance) : 1 - Double(distance)
    }
}

/// A key's place after ranking, before its record is read.
public struct RankedKey: Sendable, Hashable {
    public var key: UInt64
    /// The fused score (a single retriever's own score when only one ran). Higher is better.
    public var score: Double
    public var dense: RetrieverScore?
    public var sparse: RetrieverScore?
    /// The weights fusion gave each retriever for this query (nil when only one ran).
    public var weights: RetrieverWeights?

    public init(key: UInt64, score: Double, dense: RetrieverScore? = nil, sparse: RetrieverScore? = nil, weights: RetrieverWeights? = nil) {
        self.key = key; self.score = score; self.dense = dense; self.sparse = sparse; self.weights = weights
    }
}
