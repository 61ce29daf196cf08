import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridCore
import KoHybridDatasets
import KoHybridDense
import KoHybridFusion
import KoHybridSparse

/// Dense, sparse and hybrid search over one BEIR corpus with precomputed vectors, through the
/// store's own pipeline (`CollectionSearcher`): the corpus is indexed once, every judged query
/// becomes the `SearchQuery` an application would send for a mode, and the searcher plans,
/// retrieves and ranks it exactly as `Store.search` does. Each retriever's candidates at the
/// default depth are retrieved once up front (in parallel) and shared by every mode that plans
/// that depth, so modes differ only in what they are meant to differ in.
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
    /// How the indexes are built.
    public struct Options: Sendable {
        /// The BM25 analyzer (a collection's default is `.korean`).
        public var analyzer: AnalyzerPreset = .korean
        public var bm25 = BM25Parameters()
        public var metric: DistanceMetric = .cosine
        /// Used once the corpus is past `DenseIndex.defaultFlatLimit`, as in the store.
        public var hnsw = HNSWParameters()
        /// Search threads: every core by default.
        public var threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        public init() {}

        /// The collection configuration a store would index this corpus with.
        public func configuration(dimension: Int) -> CollectionConfiguration {
            CollectionConfiguration(dimension: dimension, metric: metric, analyzer: analyzer, bm25: bm25, hnsw: hnsw)
        }
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
    /// The corpus indexed as a store collection would be (key = document position).
    public let searcher: CollectionSearcher
    let documentIDs: [String]
    let documentTexts: [String]
    let queryTexts: [String]
    let queryVectors: [[Float]]
    let documentVectors: VectorMatrix
    /// Each judged query's candidates per retriever at `sharedDepth`, in `queryIDs` order.
    let sharedLists: [Retriever: [RankedList<UInt64>]]
    /// The depth `sharedLists` were retrieved at: what every mode at the default settings plans.
    static let sharedDepth = Metric.requiredDepth
    /// Seconds spent building indexes and retrieving candidate lists.
    public let timings: [String: Double]

    public init(corpus: BEIRCorpus, documentVectors: VectorMatrix, queryVectors: VectorMatrix,
                options: Options = Options(), progress: Progress? = nil) throws(EvaluationError) {
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

        // The store's indexes: exact below DenseIndex.defaultFlatLimit, HNSW above; BM25 over
        // the analyzed documents. The graph is built on one thread, so it (and reports) are
        // reproducible; analysis runs on every thread.
        progress?("index", 0, corpus.documents.count)
        searcher = CollectionSearcher(configuration: options.configuration(dimension: documentVectors.dimension))
        let texts = documentTexts
        let items = (0..<documentVectors.count).map { (key: UInt64($0), document: Optional(texts[$0]), vector: Optional(Array(documentVectors[$0]))) }
        do { try searcher.index(items, analysisThreads: options.threads, graphThreads: 1) } catch {
            throw .invalidInput("\(corpus.directory.path): documents rejected by the indexes: \(error)")
        }
        lap("index")

        var shared: [Retriever: [RankedList<UInt64>]] = [:]
        let searcher = searcher, queries = zip(queryTexts, self.queryVectors).map { SearchQuery(text: $0, vector: $1) }
        for retriever in Retriever.allCases {
            progress?("\(retriever.rawValue) search", 0, queries.count)
            shared[retriever] = Parallel.map(count: queries.count, threads: options.threads) { q in
                searcher.candidates(retriever, for: queries[q], depth: Self.sharedDepth)
            }
            lap("\(retriever.rawValue) search")
        }
        sharedLists = shared
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

    // MARK: runs

    /// Candidate lists a sweep substitutes for a retriever's (per judged query), e.g. BM25 with
    /// other parameters, retrieved by another searcher.
    typealias Substitutes = [Retriever: [RankedList<UInt64>]]

    /// The judged query `q` as the search an application sends for `mode`, its plan, and the
    /// planned retrievers' candidates: substituted, shared (at the shared depth) or retrieved.
    func candidates(_ q: Int, _ mode: EvaluationMode, substitutes: Substitutes = [:]) -> (CollectionSearcher.Plan, [RankedList<UInt64>])? {
        let query = mode.query(text: queryTexts[q], vector: queryVectors[q], k: Metric.requiredDepth)
        // A query the store would refuse (an all-zero vector under cosine) has an empty run.
        guard let plan = try? searcher.plan(query) else { return nil }
        let lists = plan.retrievers.map { retriever in
            substitutes[retriever]?[q]
                ?? (plan.depth == Self.sharedDepth ? sharedLists[retriever]?[q] : nil)
                ?? searcher.candidates(retriever, for: query, depth: plan.depth)
        }
        return (plan, lists)
    }

    /// The mode's top-100 hits for every judged query (query id -> hits), in the order the search
    /// returns them, with tied scores nudged apart (`withStrictlyDecreasingScores`) so that
    /// trec_eval reads the same order.
    public func run(_ mode: EvaluationMode) -> [String: [ScoredDocument]] {
        run(mode, substitutes: [:])
    }

    func run(_ mode: EvaluationMode, substitutes: Substitutes) -> [String: [ScoredDocument]] {
        let ids = documentIDs
        let lists: [[ScoredDocument]] = Parallel.map(count: queryIDs.count, threads: options.threads) { q -> [ScoredDocument] in
            guard let (plan, lists) = candidates(q, mode, substitutes: substitutes) else { return [] }
            let ranked = searcher.rank(lists, plan: plan, k: Metric.requiredDepth)
            // The run must rank as the search does, whatever trec_eval would do with tied scores.
            return ranked.map { ScoredDocument(id: ids[Int($0.key)], score: $0.score) }.withStrictlyDecreasingScores()
        }
        return Dictionary(uniqueKeysWithValues: zip(queryIDs, lists))
    }

    /// The weights a hybrid mode's fusion gave each retriever for each judged query, in
    /// `queryIDs` order; empty for dense and sparse. Per query for `Fusion.adaptiveRelativeScore`.
    public func fusionWeights(_ mode: EvaluationMode) -> [RetrieverWeights] {
        guard case let .hybrid(fusion) = mode.search else { return [] }
        return Parallel.map(count: queryIDs.count, threads: options.threads) { q in
            candidates(q, mode).map { fusion.weights(for: $0.1) } ?? [:]
        }
    }

    /// Seconds per query that `fusion` takes over the stored candidate lists cut to `depth`
    /// (every judged query, best of `repeats` passes, top 100 returned), beside the seconds per
    /// query the dense and sparse searches took to retrieve those lists (wall time of that stage:
    /// build the experiment with `threads = 1` for a like-for-like ratio). `checksum` sums the
    /// fused top scores so the work cannot be optimised away.
    public func fusionCost(_ fusion: Fusion, depth: Int = Fusion.defaultCandidateDepth, repeats: Int = 5)
        -> (fusion: Double, retrieval: Double, checksum: Double) {
        let lists = queryIDs.indices.map { q in
            Retriever.allCases.map { retriever in
                depth == Self.sharedDepth ? sharedLists[retriever]?[q] ?? RankedList(retriever: retriever, entries: [])
                    : searcher.candidates(retriever, for: SearchQuery(text: queryTexts[q], vector: queryVectors[q]), depth: depth)
            }
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
