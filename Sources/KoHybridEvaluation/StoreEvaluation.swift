import Foundation
import KoHybrid
import KoHybridDatasets

/// Evaluation over an existing store: a collection already ingested (`kohybrid ingest`) and a
/// queries/qrels pair, searched through `Store.search` exactly as an application would.
///
/// ```swift
/// let store = try Store(directory: URL(fileURLWithPath: "./store"), mode: .readOnly)
/// let input = try await StoreEvaluation.load(store: store, collection: "shops",
///     queries: URL(fileURLWithPath: "queries.jsonl"), qrels: URL(fileURLWithPath: "qrels/test.tsv"),
///     queryVectors: URL(fileURLWithPath: "queries.e5-small.f32"))
/// let result = try await input.evaluate(EvaluationMode.standard()[4])
/// ```
public struct StoreEvaluation: Sendable {
    public let store: Store
    public let collection: String
    /// Judged queries, in file order, with their vectors when a vector file was given.
    public let queries: [(id: String, text: String, vector: [Float]?)]
    public let qrels: [String: [String: Int]]

    public var queryIDs: [String] { queries.map(\.id) }

    /// Reads the queries (BEIR `queries.jsonl`), qrels (`query-id<TAB>corpus-id<TAB>score`, ids
    /// checked against the collection) and optional query vectors (raw float32 rows in query
    /// order, the collection's dimension). Errors name the file and line. Without a vector file,
    /// a collection that records an embedder has the judged queries embedded by it (role
    /// `.query`, through its cache), so every mode can run.
    public static func load(store: Store, collection: String, queries queriesURL: URL, qrels qrelsURL: URL,
                            queryVectors vectorsURL: URL?) async throws(EvaluationError) -> StoreEvaluation {
        let queries: [BEIRCorpus.Query]
        let documentIDs: Set<String>
        let dimension: Int
        let hasEmbedder: Bool
        do { queries = try BEIRCorpus.readQueries(queriesURL) } catch { throw .dataset(error) }
        let queryIDs = Set(queries.map(\.id))
        do {
            let configuration = try await store.configuration(of: collection)
            dimension = configuration.dimension
            hasEmbedder = configuration.embedder != nil
            documentIDs = Set(try await store.get(from: collection).map(\.id))
        } catch {
            throw .invalidInput("\(store.directory.path): \(error)")
        }
        let qrels: [String: [String: Int]]
        var vectors: VectorMatrix?
        do {
            qrels = try BEIRCorpus.readQrels(qrelsURL, queryIDs: queryIDs, documentIDs: documentIDs)
            if let vectorsURL {
                vectors = try VectorMatrix.read(contentsOf: vectorsURL, dimension: dimension, expectedRows: queries.count)
            }
        } catch { throw .dataset(error) }
        let judged = queries.enumerated().filter { qrels[$0.element.id] != nil }
        guard !judged.isEmpty else { throw .noJudgedQueries(corpus: qrelsURL.path) }
        var embedded: [[Float]]?
        if vectors == nil, hasEmbedder {
            do { embedded = try await store.embed(judged.map(\.element.text), role: .query, for: collection) } catch {
                throw .invalidInput("\(store.directory.path): \(error)")
            }
        }
        return StoreEvaluation(store: store, collection: collection, queries: judged.enumerated().map { position, item in
            (item.element.id, item.element.text, embedded?[position] ?? vectors.map { Array($0[item.offset]) })
        }, qrels: qrels)
    }

    /// The mode's top-100 hits per judged query, from `Store.search`, in the order it returns
    /// them: the same `SearchQuery` per mode as `RetrievalExperiment` ranks.
    public func run(_ mode: EvaluationMode) async throws(EvaluationError) -> [String: [ScoredDocument]] {
        var run: [String: [ScoredDocument]] = [:]
        for query in queries {
            do {
                let hits = try await store.search(mode.query(text: query.text, vector: query.vector, k: Metric.requiredDepth), in: collection)
                run[query.id] = hits.map { ScoredDocument(id: $0.id, score: $0.score) }.withStrictlyDecreasingScores()
            } catch {
                throw .invalidInput("query \"\(query.id)\": \(error)")
            }
        }
        return run
    }

    /// Runs and measures one mode.
    public func evaluate(_ mode: EvaluationMode, run: [String: [ScoredDocument]]) -> ModeResult {
        ModeResult.evaluate(mode: mode.name, params: mode.params, isDefault: mode.isDefault,
                            run: run, qrels: qrels, queryIDs: queryIDs)
    }
}
