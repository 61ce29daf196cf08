import Testing
@testable import KoHybridEvaluation

@Suite struct PairedRandomizationTestTests {
    /// The exact two-sided p-value by enumerating every sign assignment (small n only).
    func exactPValue(_ differences: [Double]) -> Double {
        let observed = abs(differences.reduce(0, +))
        var extreme = 0
        for mask in 0..<(1 << differences.count) {
            var sum = 0.0
            for (i, d) in differences.enumerated() { sum += (mask >> i) & 1 == 1 ? -d : d }
            if abs(sum) >= observed - 1e-12 { extreme += 1 }
        }
        return Double(extreme) / Double(1 << differences.count)
    }

    @Test func agreesWithExactEnumeration() {
        // per-query MRR of two systems on 12 queries (a Korean QA subset's shape: mostly small gains)
        let baseline: [Double] = [1, 0.5, 0.333, 1, 0, 0.25, 1, 0.5, 1, 0.2, 1, 0.5]
        let candidate: [Double] = [1, 1, 0.5, 1, 0.1, 0.5, 0.5, 1, 1, 0.25, 1, 1]
        let differences = zip(candidate, baseline).map { $0 - $1 }.filter { $0 != 0 }
        let exact = exactPValue(differences)
        let result = PairedRandomizationTest(trials: 50_000, seed: 7).run(candidate: candidate, baseline: baseline)
        #expect(abs(result.pValue - exact) < 0.01, "Monte Carlo \(result.pValue) vs exact \(exact)")
        #expect(abs(result.difference - (candidate.reduce(0, +) - baseline.reduce(0, +)) / 12) < 1e-12)
    }

    @Test func consistentGainIsSignificantAndIdenticalSystemsAreNot() {
        let baseline = Array(repeating: 0.5, count: 12)
        let better = Array(repeating: 1.0, count: 12)
        let test = PairedRandomizationTest(trials: 20_000, seed: 1)
        #expect(test.run(candidate: better, baseline: baseline).pValue < 0.005)   // exact: 2/4096
        #expect(test.run(candidate: baseline, baseline: baseline).pValue == 1)
        let mixed = test.run(candidate: [1, 0, 1, 0], baseline: [0, 1, 0, 1])
        #expect(mixed.pValue == 1)
        #expect(mixed.difference == 0)
    }

    @Test func fixedSeedIsReproducible() {
        let a: [Double] = (0..<200).map { Double($0 % 7) / 7 }
        let b: [Double] = (0..<200).map { Double(($0 * 3) % 5) / 5 }
        let test = PairedRandomizationTest(trials: 2_000, seed: 99)
        #expect(test.run(candidate: a, baseline: b) == test.run(candidate: a, baseline: b))
    }
}
