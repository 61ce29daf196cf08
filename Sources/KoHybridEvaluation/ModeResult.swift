import KoHybridFusion

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

/// A paired significance test of one mode against a baseline mode on one measure.
public struct SignificanceResult: Sendable, Equatable {
    public var mode: String
    public var baseline: String
    public var metric: Metric
    /// mean(mode) - mean(baseline)
    public var difference: Double
    public var pValue: Double
    public var trials: Int
    /// The test's name, as reported: `"paired randomization"`.
    public var method: String

    /// Tests `candidate` against `baseline` on `metric` with `test`.
    public static func compare(_ candidate: ModeResult, against baseline: ModeResult, on metric: Metric,
                               using test: PairedRandomizationTest) -> SignificanceResult {
        let result = test.run(candidate: candidate.column(metric), baseline: baseline.column(metric))
        return SignificanceResult(mode: candidate.mode, baseline: baseline.mode, metric: metric,
                                  difference: result.difference, pValue: result.pValue,
                                  trials: result.trials, method: "paired randomization")
    }
}

/// One sweep: a parameter varied over values, each value measured (a sweep reports; it never
/// chooses a default).
public struct SweepResult: Sendable {
    /// `rrf-k`, `alpha`, `bm25`, `analyzer`, `ef`, `depth`, `weights`.
    public var name: String
    /// The mode the sweep varies (e.g. `hybrid-rrf`).
    public var mode: String
    public var points: [Point]

    public struct Point: Sendable {
        /// The value as shown on the chart's axis, e.g. `"60"` or `"k1=1.2 b=0.75"`.
        public var label: String
        public var params: [String: ParameterValue]
        public var mean: MetricValues
        /// The measures per query (in the experiment's query order), for paired tests of a point.
        public var perQuery: [MetricValues]
        /// The fusion measured at this point, for a fusion sweep: what a user pins to use it.
        public var fusion: Fusion?

        public init(label: String, params: [String: ParameterValue], mean: MetricValues,
                    perQuery: [MetricValues] = [], fusion: Fusion? = nil) {
            self.label = label; self.params = params; self.mean = mean; self.perQuery = perQuery; self.fusion = fusion
        }
    }

    public init(name: String, mode: String, points: [Point]) {
        self.name = name; self.mode = mode; self.points = points
    }
}
