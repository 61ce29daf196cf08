import KoHybridFusion

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
