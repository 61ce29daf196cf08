import KoHybridFusion

/// What `kohybrid eval --sweep` tells a user with labels: the best fixed fusion setting any fusion
/// sweep measured on their own queries, its margin over the default hybrid, and whether that
/// margin is significant (paired randomization test per measure). The default itself stays
/// fixed in code; a recommendation is for pinning one's own setting.
///
/// ```swift
/// let sweeps = experiment.sweep(.alpha) + experiment.sweep(.weights)
/// if let advice = SweepRecommendation.best(in: sweeps, against: defaultResult) {
///     print(advice.summary)
/// }
/// ```
public struct SweepRecommendation: Sendable {
    /// The sweep and point: e.g. `alpha`, `0.4`.
    public var sweep: String
    public var label: String
    /// The mode the sweep varied (`hybrid-rsf`) and the point's parameters.
    public var mode: String
    public var params: [String: ParameterValue]
    /// The fusion to pin (`SearchQuery.mode = .hybrid(fusion)`), and the candidate depth when the
    /// sweep varied it.
    public var fusion: Fusion
    public var mean: MetricValues
    /// The default mode it is compared with.
    public var defaultMode: String
    /// The point against the default on recall@10 and MRR@10.
    public var tests: [SignificanceResult]

    public init(sweep: String, label: String, mode: String, params: [String: ParameterValue], fusion: Fusion,
                mean: MetricValues, defaultMode: String, tests: [SignificanceResult]) {
        self.sweep = sweep; self.label = label; self.mode = mode; self.params = params; self.fusion = fusion
        self.mean = mean; self.defaultMode = defaultMode; self.tests = tests
    }

    /// Measures on which a recommendation is chosen (MRR@10, then recall@10) and tested.
    public static let metrics: [Metric] = [.recall10, .mrr10]

    /// The best point of the fusion sweeps (those whose points carry a fusion and per-query
    /// measures), by MRR@10 and then recall@10; `nil` when no fusion sweep ran.
    public static func best(in sweeps: [SweepResult], against defaultResult: ModeResult,
                            using test: PairedRandomizationTest = PairedRandomizationTest()) -> SweepRecommendation? {
        let candidates = sweeps.flatMap { sweep in sweep.points.map { (sweep, $0) } }
            .filter { $0.1.fusion != nil && $0.1.perQuery.count == defaultResult.perQuery.count }
        guard let (sweep, point) = candidates.max(by: { a, b in
            (a.1.mean[.mrr10], a.1.mean[.recall10]) < (b.1.mean[.mrr10], b.1.mean[.recall10])
        }), let fusion = point.fusion else { return nil }
        let measured = ModeResult(mode: "\(sweep.mode) \(point.params.summary)", params: point.params,
                                  queryIDs: defaultResult.queryIDs, perQuery: point.perQuery)
        return SweepRecommendation(sweep: sweep.name, label: point.label, mode: sweep.mode, params: point.params,
                                   fusion: fusion, mean: point.mean, defaultMode: defaultResult.mode,
                                   tests: metrics.map { .compare(measured, against: defaultResult, on: $0, using: test) })
    }

    /// True when the point beats the default on some measure with p < 0.05 and is not
    /// significantly worse on the other.
    public var isSignificantGain: Bool {
        tests.contains { $0.difference > 0 && $0.pValue < 0.05 } && !tests.contains { $0.difference < 0 && $0.pValue < 0.05 }
    }

    /// One paragraph for the end of a report.
    public var summary: String {
        let margins = tests.map { test in
            "\(test.metric.name) \(ParameterValue.signed(test.difference)) (p = \(ParameterValue.fixed(test.pValue, 4)))"
        }.joined(separator: ", ")
        var out = "Best fixed setting swept on these labels: \(mode) \(params.summary) (sweep \(sweep)), "
        out += "MRR@10 \(ParameterValue.fixed(mean[.mrr10], 4)), recall@10 \(ParameterValue.fixed(mean[.recall10], 4)); "
        out += "against the default \(defaultMode): \(margins). "
        if isSignificantGain {
            out += "The gain is significant: pin it with SearchQuery(mode: .hybrid(\(fusion)))"
            out += params["depth"].map { " and candidateDepth \($0)." } ?? "."

        } else if tests.allSatisfy({ $0.difference <= 0 }) {
            out += "No swept setting beats the default here: keep it."
        } else {
            out += "The difference is not significant (p ≥ 0.05): keep the default unless more labels say otherwise."
        }
        return out
    }
}
