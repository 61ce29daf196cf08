import Testing
@testable import KoHybridDense

@Suite struct FilteredSearchTests {
    static let n = 2000
    /// Chooses between exact scan and graph walk by its cost model.
    static let index = build()
    /// Always walks the graph, to test the walk itself.
    static let graphOnly: HNSWIndex = {
        let index = build()
        index.exactFilterThreshold = 0
        return index
    }()

    static func build() -> HNSWIndex {
        let index = HNSWIndex(dimension: 384, metric: .cosine)
        try! index.upsert(batch: TestVectors.batch(n), threads: 1)
        return index
    }

    /// Keys admitted by a filter letting through `percent`% of records (a hash, so the admitted
    /// records are spread over the whole graph rather than clustered by key).
    static func admitted(_ percent: Int) -> Set<UInt64> {
        Set((0 ..< UInt64(n)).filter { (($0 &* 0x9E37_79B9_7F4A_7C15) >> 40) % 100 < UInt64(percent) })
    }

    /// With a generous ef, whichever path the index picks returns exactly the exact answer.
    @Test(arguments: [1, 10, 50])
    func filteredSearchEqualsExactSearch(percent: Int) throws {
        let keys = Self.admitted(percent)
        #expect(abs(Double(keys.count) / Double(Self.n) - Double(percent) / 100) < 0.03)
        let closure = VectorFilter { keys.contains($0) }
        let keySet = VectorFilter(keys: keys)
        for q in TestVectors.queryVectors(40) {
            let exact = Self.index.exactSearch(q, k: 10, filter: keySet)
            #expect(exact.count == min(10, keys.count))
            #expect(exact.allSatisfy { keys.contains($0.key) })
            #expect(Self.index.search(q, k: 10, ef: 400, filter: keySet) == exact)
            #expect(Self.index.search(q, k: 10, ef: 400, filter: closure) == exact)
        }
    }

    /// At the default ef the cost model picks the path. On 2,000 records a scan of the admitted
    /// ones beats a walk for all three filters (it does up to sqrt(10 * ef * n) = 1,131 records),
    /// so every answer is exact.
    @Test(arguments: [1, 10, 50])
    func filteredSearchAtDefaultEf(percent: Int) throws {
        let keys = Self.admitted(percent)
        let filter = VectorFilter { keys.contains($0) }
        #expect(Self.index.graph.estimateAdmitted(by: filter) <= Self.index.exactFilterLimit(ef: Self.index.parameters.efSearch))
        for q in TestVectors.queryVectors(40) {
            #expect(Self.index.search(q, k: 10, filter: filter) == Self.index.exactSearch(q, k: 10, filter: filter))
        }
    }

    /// The graph walk itself at the default ef keeps the usual recall under a filter.
    @Test(arguments: [10, 50])
    func filteredGraphWalkAtDefaultEfKeepsRecall(percent: Int) throws {
        let keys = Self.admitted(percent)
        let filter = VectorFilter { keys.contains($0) }
        let queries = TestVectors.queryVectors(40)
        let found = queries.map { Self.graphOnly.search($0, k: 10, filter: filter) }
        let exact = queries.map { Self.graphOnly.exactSearch($0, k: 10, filter: filter) }
        let recall = TestVectors.recall(found, exact)
        #expect(recall >= 0.95, "recall@10 \(recall)")
    }

    /// With a generous ef the graph walk itself (not the exact fallback) finds every admitted
    /// neighbour.
    @Test(arguments: [1, 10, 50])
    func filteredGraphWalkEqualsExactSearch(percent: Int) throws {
        let keys = Self.admitted(percent)
        let graphOnly = Self.graphOnly
        let filter = VectorFilter { keys.contains($0) }
        var matches = 0
        let queries = TestVectors.queryVectors(40)
        for q in queries {
            let exact = graphOnly.exactSearch(q, k: 10, filter: filter)
            let found = graphOnly.search(q, k: 10, ef: 400, filter: filter)
            #expect(found.allSatisfy { keys.contains($0.key) })
            #expect(found.count == exact.count)
            if found == exact { matches += 1 }
        }
        #expect(matches == queries.count, "\(matches)/\(queries.count) queries matched exactly")
    }

    @Test func filterAdmittingNothingFindsNothing() {
        let q = TestVectors.queryVectors(1)[0]
        #expect(Self.index.search(q, k: 10, filter: VectorFilter(keys: [])).isEmpty)
        #expect(Self.index.search(q, k: 10, filter: VectorFilter { _ in false }).isEmpty)
        #expect(Self.index.search(q, k: 10, filter: VectorFilter(keys: [999_999])).isEmpty)
    }

    @Test func selectivityEstimateIsClose() {
        let keys = Self.admitted(10)
        let estimate = Self.index.graph.estimateAdmitted(by: VectorFilter { keys.contains($0) })
        #expect(abs(estimate - keys.count) < Self.n / 20, "estimate \(estimate) for \(keys.count)")
        #expect(Self.index.graph.estimateAdmitted(by: VectorFilter(keys: keys)) == keys.count)
    }
}
