import Testing
import KoHybridTestSupport
@testable import KoHybridDense

/// Filtered search against a brute-force answer computed in the test (``BruteForce``), on both
/// paths the index can take: the exact scan of the admitted records and the filtered graph walk.
struct FilteredCorpus: Sendable {
    let rows: [(key: UInt64, vector: [Float])]
    let byKey: [UInt64: [Float]]
    let queries: [[Float]]

    init(_ source: TestVectors.Source, queries count: Int) throws {
        rows = try TestVectors.batch(TestVectors.corpus(source).count, from: source)
        byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.vector) })
        queries = try TestVectors.queryVectors(count, from: source)
    }

    /// Keys admitted by a filter letting through `percent`% of records (a hash, so the admitted
    /// records are spread over the whole graph rather than clustered by key).
    func admitted(_ percent: Int) -> Set<UInt64> {
        Set(rows.map(\.key).filter { (($0 &* 0x9E37_79B9_7F4A_7C15) >> 40) % 100 < UInt64(percent) })
    }

    func truth(_ query: [Float], k: Int, keys: Set<UInt64>) -> [BruteForce.Hit] {
        BruteForce.search(query, k: k, in: rows, admits: keys.contains)
    }

    /// Every answer must be the brute-force one (up to float rounding at near-ties).
    func expectExact(_ index: HNSWIndex, k: Int, ef: Int?, keys: Set<UInt64>, filter: VectorFilter,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        for (i, q) in queries.enumerated() {
            let found = index.search(q, k: k, ef: ef, filter: filter)
            if let difference = BruteForce.difference(found, truth(q, k: k, keys: keys), rows: byKey, query: q) {
                Issue.record("query \(i), \(keys.count) admitted: \(difference)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Every hit admitted and at its true distance, recall of the brute-force top-k at least `floor`.
    func expectRecall(_ index: HNSWIndex, k: Int, ef: Int?, keys: Set<UInt64>, atLeast floor: Double,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        var found: [[VectorHit]] = [], truths: [[BruteForce.Hit]] = []
        for q in queries {
            let hits = index.search(q, k: k, ef: ef, filter: VectorFilter(keys: keys))
            #expect(hits.count == min(k, keys.count), sourceLocation: sourceLocation)
            #expect(hits == hits.sorted(), sourceLocation: sourceLocation)
            for hit in hits {
                #expect(keys.contains(hit.key), "key \(hit.key) is filtered out", sourceLocation: sourceLocation)
                let actual = BruteForce.distance(q, byKey[hit.key] ?? [], metric: .cosine)
                #expect(abs(Double(hit.distance) - actual) < BruteForce.tolerance, sourceLocation: sourceLocation)
            }
            found.append(hits)
            truths.append(truth(q, k: k, keys: keys))
        }
        let recall = BruteForce.recall(found, truths)
        #expect(recall >= floor, "recall@\(k) \(recall) with \(keys.count) of \(rows.count) admitted", sourceLocation: sourceLocation)
    }

    func build(exactFilterThreshold: Int? = nil, threads: Int = 1) throws -> HNSWIndex {
        let index = HNSWIndex(dimension: 384, metric: .cosine)
        try index.upsert(batch: rows, threads: threads)
        index.exactFilterThreshold = exactFilterThreshold
        return index
    }
}

/// Core properties on the bundled `Corpora/shops` vectors (826 records).
@Suite struct FilteredSearchTests {
    static let corpus = Result { try FilteredCorpus(.shops, queries: 60) }
    /// Chooses between exact scan and graph walk by its cost model.
    static let index = Result { try corpus.get().build() }
    /// A flat limit of 0: every filtered search walks the graph, to test the walk itself.
    static let graphOnly = Result { try corpus.get().build(exactFilterThreshold: 0) }

    @Test func hashedFiltersAdmitTheirShare() throws {
        let corpus = try Self.corpus.get()
        for percent in [1, 10, 50, 90] {
            let share = Double(corpus.admitted(percent).count) / Double(corpus.rows.count)
            #expect(abs(share - Double(percent) / 100) < 0.04, "\(percent)%: \(share)")
        }
    }

    /// With a generous ef, whichever path the index picks, the answer is the brute-force one,
    /// for key-set filters and closure filters alike.
    @Test(arguments: [1, 10, 50, 90])
    func filteredSearchEqualsBruteForce(percent: Int) throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        let keys = corpus.admitted(percent)
        corpus.expectExact(index, k: 10, ef: 400, keys: keys, filter: VectorFilter(keys: keys))
        corpus.expectExact(index, k: 10, ef: 400, keys: keys, filter: VectorFilter { keys.contains($0) })
    }

    /// The graph walk itself (no scan) with a generous ef finds every admitted neighbour. At 1%
    /// (8 records, fewer than k) the walk comes back short and the index must finish by a scan.
    @Test(arguments: [1, 10, 50, 90])
    func filteredGraphWalkEqualsBruteForce(percent: Int) throws {
        let corpus = try Self.corpus.get()
        let keys = corpus.admitted(percent)
        corpus.expectExact(try Self.graphOnly.get(), k: 10, ef: 400, keys: keys, filter: VectorFilter { keys.contains($0) })
    }

    /// The graph walk at the default ef keeps the usual recall under a filter.
    @Test(arguments: [10, 50, 90])
    func filteredGraphWalkAtDefaultEfKeepsRecall(percent: Int) throws {
        let corpus = try Self.corpus.get()
        corpus.expectRecall(try Self.graphOnly.get(), k: 10, ef: nil, keys: corpus.admitted(percent), atLeast: 0.95)
    }

    /// A filter the cost model sends to the scan gets the exact answer even at a low ef (16:
    /// scans up to sqrt(10 * 16 * 826) = 363 admitted records).
    @Test(arguments: [1, 10, 30])
    func selectiveFiltersAreScannedExactly(percent: Int) throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        let keys = corpus.admitted(percent)
        let filter = VectorFilter { keys.contains($0) }
        try #require(index.graph.estimateAdmitted(by: filter) <= index.exactFilterLimit(ef: 16))
        corpus.expectExact(index, k: 10, ef: 16, keys: keys, filter: filter)
    }

    @Test func filterAdmittingNothingFindsNothing() throws {
        let q = try TestVectors.queryVectors(1)[0]
        for index in [try Self.index.get(), try Self.graphOnly.get()] {
            #expect(index.search(q, k: 10, filter: VectorFilter(keys: [])).isEmpty)
            #expect(index.search(q, k: 10, filter: VectorFilter { _ in false }).isEmpty)
            #expect(index.search(q, k: 10, filter: VectorFilter(keys: [999_999])).isEmpty)
        }
    }

    @Test func selectivityEstimateIsClose() throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        for percent in [10, 50] {
            let keys = corpus.admitted(percent)
            let estimate = index.graph.estimateAdmitted(by: VectorFilter { keys.contains($0) })
            #expect(abs(estimate - keys.count) < corpus.rows.count / 20, "estimate \(estimate) for \(keys.count)")
            #expect(index.graph.estimateAdmitted(by: VectorFilter(keys: keys)) == keys.count)
        }
    }
}

/// The cost model at the scale where it matters: on kobest-boolq's 5,757 records and the
/// default ef (64) it scans up to sqrt(10 * 64 * 5,757) = 1,919 admitted records, so the 1% and
/// 20% filters are scanned and the 50% and 90% ones walk the graph. Both are checked against
/// brute force; the walks at the default ef for recall, at ef 200 for (nearly) exact answers.
@Suite(.needsSharedData) struct FilteredSearchAtScaleTests {
    static let corpus = Result { try FilteredCorpus(.kobest, queries: 60) }
    static let index = Result { try corpus.get().build(threads: 2) }

    @Test(arguments: [1, 20])
    func selectiveFiltersAreScannedExactly(percent: Int) throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        let keys = corpus.admitted(percent)
        let filter = VectorFilter { keys.contains($0) }
        let estimate = index.graph.estimateAdmitted(by: filter), limit = index.exactFilterLimit(ef: index.parameters.efSearch)
        try #require(estimate <= limit, "\(estimate) admitted (estimated) should be scanned (limit \(limit))")
        corpus.expectExact(index, k: 10, ef: nil, keys: keys, filter: filter)
    }

    @Test(arguments: [50, 90])
    func broadFiltersWalkTheGraphAndKeepRecall(percent: Int) throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        let keys = corpus.admitted(percent)
        let filter = VectorFilter { keys.contains($0) }
        let estimate = index.graph.estimateAdmitted(by: filter), limit = index.exactFilterLimit(ef: index.parameters.efSearch)
        try #require(estimate > limit, "\(estimate) admitted (estimated) should walk the graph (limit \(limit))")
        corpus.expectRecall(index, k: 10, ef: nil, keys: keys, atLeast: 0.95)
    }

    /// At ef 200 the scan limit is 3,393, so only the 90% filter walks; the walk then misses
    /// (almost) nothing.
    @Test func broadFilterWalkAtHighEfIsNearlyExact() throws {
        let corpus = try Self.corpus.get(), index = try Self.index.get()
        let keys = corpus.admitted(90)
        try #require(index.graph.estimateAdmitted(by: VectorFilter(keys: keys)) > index.exactFilterLimit(ef: 200))
        corpus.expectRecall(index, k: 10, ef: 200, keys: keys, atLeast: 0.99)
    }
}
