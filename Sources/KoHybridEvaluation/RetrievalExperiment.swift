import Foundation
import KoHybridAnalysis
import KoHybridCore
import KoHybridDatasets
import KoHybridDense
import KoHybridFusion
import KoHybridSparse

/// Dense, sparse and hybrid search over one BEIR corpus with precomputed vectors, built once:
/// every query's dense and sparse candidate lists are retrieved up front (in parallel), and each
/// mode or sweep point is then a cheap fusion over those same lists, so modes differ only in
/// what they are meant to differ in.
///
/// ```swift
/// let corpus = try BEIRCorpus.load(from: URL(fileURLWithPath: "Corpora/shops"))
/// let experiment = try RetrievalExperiment(corpus: corpus,
///     documentVectors: try corpus.vectors(.documents), queryVectors: try corpus.vectors(.queries))
/// for mode in EvaluationMode.standard() {
///     let result = experiment.evaluate(mode)
///     print(mode.name, result.mean[.recall10], result.mean[.mrr10])
/// }
/// ```
public final class RetrievalExperiment: Sendable {
    /// How the indexes are built and how deep each retriever's candidate list is.
    public struct Options: Sendable {
        /// The BM25 analyzer (a collection's default is `.korean`).
        public var analyzer: AnalyzerPreset = .korean
        public var bm25 = BM25Parameters()
        public var metric: DistanceMetric = .cosine
        /// Used once the corpus is past `DenseIndex.defaultFlatLimit`, as in the store.
        public var hnsw = HNSWParameters()
        /// Candidates retrieved per retriever and query, kept for every mode and sweep (at least
        /// 100, the deepest measure; 200 lets the depth sweep go past the default of 100).
        public var retrievalDepth = 200
        /// Search threads: every core by default.
        public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        public init() {}
    }

    /// Reports (stage, done, total) as work proceeds.
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    public let corpusName: String
    public let documentCount: Int
    public let dimension: Int
    public let options: Options
    /// Judged queries, in file order.
    public let queryIDs: [String]
    public let qrels: [String: [String: Int]]
    let documentIDs: [String]
    let documentTexts: [String]
    let queryTexts: [String]
    let queryVectors: [[Float]]
    let documentVectors: VectorMatrix
    let denseIndex: DenseIndex
    let denseLists: [RankedList<UInt64>]
    let sparseLists: [RankedList<UInt64>]
    /// Seconds spent building indexes and retrieving candidate lists.
    public let timings: [String: Double]

    public init(corpus: BEIRCorpus, documentVectors: VectorMatrix, queryVectors: VectorMatrix,
                options: Options = Options(), progress: Progress? = nil) throws(EvaluationError) {
        var options = options
        options.retrievalDepth = max(options.retrievalDepth, Metric.requiredDepth)
        self.options = options
        corpusName = corpus.name
        documentCount = corpus.documents.count
        dimension = documentVectors.dimension
        qrels = corpus.qrels
        let judged = corpus.judgedQueries
        guard !judged.isEmpty else { throw .noJudgedQueries(corpus: corpus.directory.path) }
        guard documentVectors.count == corpus.documents.count, queryVectors.count == corpus.queries.count else {
            throw .invalidInput("\(corpus.directory.path): \(documentVectors.count) document vectors for \(corpus.documents.count) documents, \(queryVectors.count) query vectors for \(corpus.queries.count) queries")
        }
        guard documentVectors.dimension == queryVectors.dimension else {
            throw .invalidInput("\(corpus.directory.path): documents have \(documentVectors.dimension)-dimensional vectors, queries \(queryVectors.dimension)")
        }
        let row = Dictionary(corpus.queries.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        queryIDs = judged.map(\.id)
        queryTexts = judged.map(\.text)
        self.queryVectors = judged.map { Array(queryVectors[row[$0.id] ?? 0]) }
        documentIDs = corpus.documents.map(\.id)
        self.documentVectors = documentVectors
        documentTexts = corpus.documents.map(\.fullText)

        var timings: [String: Double] = [:]
        var clock = Date()
        func lap(_ name: String) { timings[name] = Date().timeIntervalSince(clock); clock = Date() }

        // Dense: the index the store uses (exact below DenseIndex.defaultFlatLimit, HNSW above).
        progress?("dense index", 0, corpus.documents.count)
        denseIndex = DenseIndex(dimension: documentVectors.dimension, metric: options.metric, parameters: options.hnsw)
        let rows = (0..<documentVectors.count).map { (key: UInt64($0), vector: Array(documentVectors[$0])) }
        // One thread: a single-threaded HNSW build is reproducible, so reports are too.
        do { try denseIndex.upsert(batch: rows, threads: 1) } catch {
            throw .invalidInput("\(corpus.directory.path): document vectors rejected by the dense index: \(error)")
        }
        lap("dense index")

        progress?("sparse index", 0, corpus.documents.count)
        let sparseIndex = RetrievalExperiment.buildSparse(documentTexts, analyzer: Analyzer(preset: options.analyzer),
                                                          parameters: options.bm25, threads: options.threads)
        lap("sparse index")

        let depth = options.retrievalDepth
        let index = denseIndex, metric = options.metric, vectors = self.queryVectors
        progress?("dense search", 0, vectors.count)
        denseLists = Parallel.map(count: vectors.count, threads: options.threads) { q in
            RetrievalExperiment.denseList(index.search(vectors[q], k: depth), metric: metric)
        }
        lap("dense search")
        progress?("sparse search", 0, vectors.count)
        sparseLists = RetrievalExperiment.sparseLists(queryTexts, index: sparseIndex, analyzer: Analyzer(preset: options.analyzer),
                                                      depth: depth, threads: options.threads)
        lap("sparse search")
        self.timings = timings
    }

    /// Loads a BEIR corpus folder and its `<model>` vectors and builds the experiment. Every
    /// problem with the files is an error naming the file (and line, where there is one).
    public static func load(from directory: URL, model: String = "e5-small", split: String = "test",
                            options: Options = Options(), progress: Progress? = nil) throws(EvaluationError) -> RetrievalExperiment {
        let corpus: BEIRCorpus
        let documentVectors: VectorMatrix
        let queryVectors: VectorMatrix
        do {
            corpus = try BEIRCorpus.load(from: directory, split: split)
            documentVectors = try corpus.vectors(.documents, model: model)
            queryVectors = try corpus.vectors(.queries, model: model)
        } catch {
            throw .dataset(error)
        }
        return try RetrievalExperiment(corpus: corpus, documentVectors: documentVectors, queryVectors: queryVectors,
                                       options: options, progress: progress)
    }

    // MARK: building blocks

    static func buildSparse(_ texts: [String], analyzer: Analyzer, parameters: BM25Parameters, threads: Int) -> BM25Index {
        buildSparse(terms: Parallel.map(count: texts.count, threads: threads) { analyzer.analyze(texts[$0]) }, parameters: parameters)
    }

    static func buildSparse(terms: [[Term]], parameters: BM25Parameters) -> BM25Index {
        var index = BM25Index(parameters: parameters)
        for (key, documentTerms) in terms.enumerated() { index.upsert(key: UInt64(key), terms: documentTerms) }
        return index
    }

    static func sparseLists(_ queries: [String], index: BM25Index, analyzer: Analyzer, depth: Int, threads: Int) -> [RankedList<UInt64>] {
        Parallel.map(count: queries.count, threads: threads) { q in
            let hits = index.search(analyzer.analyze(queries[q]), k: depth)
            return RankedList(retriever: "sparse", entries: hits.map { .init(key: $0.key, score: Double($0.score)) })
        }
    }

    /// Distances become similarities (higher is better), as fusion and TREC runs expect.
    static func denseList(_ hits: [VectorHit], metric: DistanceMetric) -> RankedList<UInt64> {
        RankedList(retriever: "dense", entries: hits.map { hit in
            .init(key: hit.key, score: metric == .l2 ? -Double(hit.distance) : Double(1 - hit.distance))
        })
    }

    // MARK: runs

    /// The mode's top-100 hits for every judged query (query id -> hits), in the order the search
    /// returns them, with tied scores nudged apart (`withStrictlyDecreasingScores`) so that
    /// trec_eval reads the same order.
    public func run(_ mode: EvaluationMode) -> [String: [ScoredDocument]] {
        run(mode, dense: denseLists, sparse: sparseLists)
    }

    func run(_ mode: EvaluationMode, dense: [RankedList<UInt64>], sparse: [RankedList<UInt64>]) -> [String: [ScoredDocument]] {
        let ids = documentIDs
        let depth = Metric.requiredDepth
        let lists: [[ScoredDocument]] = Parallel.map(count: queryIDs.count, threads: options.threads) { q -> [ScoredDocument] in
            let ranked: [ScoredDocument]
            switch mode.kind {
            case .dense:
                ranked = dense[q].entries.prefix(depth).map { ScoredDocument(id: ids[Int($0.key)], score: $0.score) }
            case .sparse:
                ranked = sparse[q].entries.prefix(depth).map { ScoredDocument(id: ids[Int($0.key)], score: $0.score) }
            case let .hybrid(fusion):
                let candidates = [dense[q], sparse[q]].map { list in
                    RankedList(retriever: list.retriever, entries: Array(list.entries.prefix(mode.candidateDepth)))
                }
                ranked = fusion.fuse(candidates, limit: depth).map { ScoredDocument(id: ids[Int($0.key)], score: $0.score) }
            }
            // The run must rank as the search does, whatever trec_eval would do with tied scores.
            return ranked.withStrictlyDecreasingScores()
        }
        return Dictionary(uniqueKeysWithValues: zip(queryIDs, lists))
    }

    /// The list weights (dense, sparse) a hybrid mode's fusion gave each judged query, in
    /// `queryIDs` order; empty for dense and sparse. Per query for `Fusion.adaptiveRelativeScore`.
    public func fusionWeights(_ mode: EvaluationMode) -> [[Double]] {
        guard case let .hybrid(fusion) = mode.kind else { return [] }
        let dense = denseLists, sparse = sparseLists, depth = mode.candidateDepth
        return Parallel.map(count: queryIDs.count, threads: options.threads) { q in
            fusion.weights(for: [dense[q], sparse[q]].map { RankedList(retriever: $0.retriever, entries: Array($0.entries.prefix(depth))) })
        }
    }

    /// Seconds per query that `fusion` takes over the stored candidate lists cut to `depth`
    /// (every judged query, best of `repeats` passes, top 100 returned), beside the seconds per
    /// query the dense and sparse searches took to retrieve those lists (wall time of that stage:
    /// build the experiment with `threads = 1` for a like-for-like ratio). `checksum` sums the
    /// fused top scores so the work cannot be optimised away.
    public func fusionCost(_ fusion: Fusion, depth: Int = Fusion.defaultCandidateDepth, repeats: Int = 5)
        -> (fusion: Double, retrieval: Double, checksum: Double) {
        let lists = zip(denseLists, sparseLists).map { pair in
            [pair.0, pair.1].map { RankedList(retriever: $0.retriever, entries: Array($0.entries.prefix(depth))) }
        }
        var best = Double.infinity
        var sink = 0.0
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            for pair in lists { sink += fusion.fuse(pair, limit: Metric.requiredDepth).first?.score ?? 0 }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let retrieval = (timings["dense search"] ?? 0) + (timings["sparse search"] ?? 0)
        return (best / Double(max(lists.count, 1)), retrieval / Double(max(lists.count, 1)), sink)
    }

    /// Runs and measures one mode.
    public func evaluate(_ mode: EvaluationMode) -> ModeResult {
        evaluate(mode, run: run(mode))
    }

    /// Measures a run of `mode` (as returned by `run(_:)`).
    public func evaluate(_ mode: EvaluationMode, run: [String: [ScoredDocument]]) -> ModeResult {
        let ids = queryIDs, qrels = self.qrels
        let rows = Parallel.map(count: ids.count, threads: options.threads) { q in
            TrecMetrics.evaluate(run[ids[q]] ?? [], relevant: qrels[ids[q]] ?? [:])
        }
        return ModeResult(mode: mode.name, params: mode.params, isDefault: mode.isDefault, queryIDs: ids, perQuery: rows)
    }
}
