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

    public init(mode: String, baseline: String, metric: Metric, difference: Double, pValue: Double, trials: Int,
                method: String) {
        self.mode = mode; self.baseline = baseline; self.metric = metric
        self.difference = difference; self.pValue = pValue; self.trials = trials; self.method = method
    }

    /// Tests `candidate` against `baseline` on `metric` with `test`.
    public static func compare(_ candidate: ModeResult, against baseline: ModeResult, on metric: Metric,
                               using test: PairedRandomizationTest) -> SignificanceResult {
        let result = test.run(candidate: candidate.column(metric), baseline: baseline.column(metric))
        return SignificanceResult(mode: candidate.mode, baseline: baseline.mode, metric: metric,
                                  difference: result.difference, pValue: result.pValue,
                                  trials: result.trials, method: "paired randomization")
    }
}
