import KoHybridCore

/// Fisher's paired randomization test of the mean difference between two systems over the same
/// queries (Smucker, Allan & Carterette 2007, "A comparison of statistical significance tests for
/// information retrieval evaluation"): under the null hypothesis the two systems' labels are
/// exchangeable per query, so each per-query difference keeps or flips its sign at random.
/// The two-sided p-value is the share of `trials` random relabelings whose mean difference is at
/// least as large in magnitude as the observed one (with the observed labeling counted, so p > 0).
///
/// The generator is seeded, so a report is reproducible run to run.
///
/// ```swift
/// let test = PairedRandomizationTest(trials: 10_000, seed: 42)
/// let result = test.run(candidate: hybridMRR, baseline: denseMRR)
/// print(result.difference, result.pValue)
/// ```
public struct PairedRandomizationTest: Sendable {
    public var trials: Int
    public var seed: UInt64

    public init(trials: Int = 10_000, seed: UInt64 = 0x6B6F_6879_6272_6964) {
        self.trials = max(trials, 1); self.seed = seed
    }

    public struct Result: Sendable, Equatable {
        /// mean(candidate) - mean(baseline)
        public var difference: Double
        /// Two-sided p-value of the randomization test.
        public var pValue: Double
        public var trials: Int

        public init(difference: Double, pValue: Double, trials: Int) {
            self.difference = difference; self.pValue = pValue; self.trials = trials
        }
    }

    /// Tests candidate against baseline; both arrays hold one value per query, in the same order.
    /// Arrays of different lengths are compared over their common prefix.
    public func run(candidate: [Double], baseline: [Double]) -> Result {
        let n = min(candidate.count, baseline.count)
        guard n > 0 else { return Result(difference: 0, pValue: 1, trials: trials) }
        // Queries where the systems agree contribute nothing whichever way they are labelled.
        let differences = (0..<n).map { candidate[$0] - baseline[$0] }.filter { $0 != 0 }
        let observed = differences.reduce(0, +)
        let difference = observed / Double(n)
        guard !differences.isEmpty else { return Result(difference: 0, pValue: 1, trials: trials) }
        // A relative tolerance so that relabelings equal to the observed sum up to rounding count.
        let threshold = abs(observed) * (1 - 1e-9)
        var generator = SplitMix64(seed: seed)
        var atLeastAsExtreme = 0
        for _ in 0..<trials {
            var sum = 0.0
            var bits: UInt64 = 0
            for (i, d) in differences.enumerated() {
                if i % 64 == 0 { bits = generator.next() }
                sum += bits & 1 == 0 ? d : -d
                bits >>= 1
            }
            if abs(sum) >= threshold { atLeastAsExtreme += 1 }
        }
        let p = Double(atLeastAsExtreme + 1) / Double(trials + 1)
        return Result(difference: difference, pValue: min(p, 1), trials: trials)
    }
}
