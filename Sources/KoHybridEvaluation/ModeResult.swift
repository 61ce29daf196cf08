/// The measured quality of one search mode (e.g. `dense`, `hybrid-rrf`) over a query set.
///
/// ```swift
/// let result = ModeResult.evaluate(mode: "dense", params: [:], run: run,
///                                  qrels: corpus.qrels, queryIDs: corpus.judgedQueries.map(\.id))
/// print(result.mean[.recall10], result.mean[.mrr10])
/// ```
public struct ModeResult: Sendable {
    /// `dense`, `sparse`, `hybrid-rrf`, ...
    public var mode: String
    public var params: [String: ParameterValue]
    /// True for the mode `kohybrid search` uses when no mode is given.
    public var isDefault: Bool
    /// Query ids, in the order of `perQuery`.
    public var queryIDs: [String]
    /// One row of measures per query.
    public var perQuery: [MetricValues]
    /// The mean of each measure over the queries.
    public var mean: MetricValues

    public init(mode: String, params: [String: ParameterValue], isDefault: Bool = false, queryIDs: [String], perQuery: [MetricValues]) {
        self.mode = mode; self.params = params; self.isDefault = isDefault
        self.queryIDs = queryIDs; self.perQuery = perQuery
        self.mean = MetricValues.mean(perQuery)
    }

    /// Measures `run` (query id -> hits) against `qrels` for each of `queryIDs`; a query the run
    /// has no hits for scores 0.
    public static func evaluate(mode: String, params: [String: ParameterValue] = [:], isDefault: Bool = false,
                                run: [String: [ScoredDocument]], qrels: [String: [String: Int]], queryIDs: [String]) -> ModeResult {
        let rows = queryIDs.map { qid in TrecMetrics.evaluate(run[qid] ?? [], relevant: qrels[qid] ?? [:]) }
        return ModeResult(mode: mode, params: params, isDefault: isDefault, queryIDs: queryIDs, perQuery: rows)
    }

    /// One measure for every query, in `queryIDs` order (the input of a paired test).
    public func column(_ metric: Metric) -> [Double] { perQuery.map { $0[metric] } }
}
