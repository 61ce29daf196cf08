import Testing
@testable import KoHybridDense

@Suite struct DenseIndexTests {
    @Test func staysExactBelowTheLimitAndSwitchesToHNSWAbove() throws {
        let dense = DenseIndex(dimension: 384, metric: .cosine, flatLimit: 500)
        let batch = try TestVectors.batch(800)
        try dense.upsert(batch: Array(batch.prefix(500)), threads: 1)
        guard case .flat = dense.backing else { Issue.record("expected flat at 500 records"); return }
        try dense.upsert(batch: Array(batch.suffix(300)), threads: 2)
        guard case .hnsw(let graph) = dense.backing else { Issue.record("expected HNSW above 500 records"); return }
        try dense.checkInvariants()
        #expect(dense.count == 800 && graph.count == 800)
        let flat = FlatIndex(dimension: 384, metric: .cosine)
        try flat.upsert(batch: batch, threads: 1)
        let queries = try TestVectors.queryVectors(50)
        let recall = TestVectors.recall(queries.map { dense.search($0, k: 10) }, queries.map { flat.search($0, k: 10) })
        #expect(recall >= 0.95)
        #expect(dense.remove(key: 3) && !dense.contains(key: 3))
    }

    @Test func flatIndexRemovalKeepsRowsCompact() throws {
        let flat = FlatIndex(dimension: 384, metric: .innerProduct)
        let batch = try TestVectors.batch(100)
        try flat.upsert(batch: batch, threads: 1)
        for key in stride(from: UInt64(0), to: 100, by: 3) { #expect(flat.remove(key: key)); try flat.checkInvariants() }
        #expect(flat.count == 66)
        let hits = flat.search(batch[4].vector, k: 100)
        #expect(hits.count == 66 && hits.allSatisfy { $0.key % 3 != 0 })
        #expect(hits.first?.key == 4)
    }
}
