import KoHybridCore
import CVectorKernels
import Testing
@testable import KoHybridDense

@Suite struct MetricAndDimensionTests {
    /// Brute force written out plainly, independent of the kernels and of FlatIndex.
    static func bruteForce(_ rows: [[Float]], _ q: [Float], _ metric: DistanceMetric, k: Int) -> [UInt64] {
        func normalized(_ v: [Float]) -> [Float] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        let scored = rows.enumerated().map { i, row -> (Double, UInt64) in
            switch metric {
            case .cosine:
                let a = normalized(row), b = normalized(q)
                return (1 - zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, UInt64(i))
            case .innerProduct:
                return (1 - zip(row, q).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }, UInt64(i))
            case .l2:
                return (zip(row, q).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }, UInt64(i))
            }
        }
        return scored.sorted { $0 < $1 }.prefix(k).map(\.1)
    }

    @Test(arguments: DistanceMetric.allCases)
    func flatAndHNSWAgreeWithBruteForce(metric: DistanceMetric) throws {
        // Scale rows unevenly so inner product, cosine and L2 rank differently.
        let corpus = try TestVectors.corpus()
        let rows = (0 ..< 800).map { i in Array(corpus[i]).map { $0 * (1 + Float(i % 7) / 3) } }
        let batch = rows.enumerated().map { (key: UInt64($0), vector: $1) }
        let flat = FlatIndex(dimension: 384, metric: metric)
        let hnsw = HNSWIndex(dimension: 384, metric: metric)
        try flat.upsert(batch: batch, threads: 1)
        try hnsw.upsert(batch: batch, threads: 1)
        var found: [[VectorHit]] = [], truth: [[VectorHit]] = []
        for q in try TestVectors.queryVectors(30) {
            let expected = Self.bruteForce(rows, q, metric, k: 10)
            let exact = flat.search(q, k: 10)
            // Allow float-rounding swaps only at equal distances: compare as sets of the top 9.
            #expect(Set(exact.prefix(9).map(\.key)) == Set(expected.prefix(9)), "\(metric)")
            found.append(hnsw.search(q, k: 10))
            truth.append(exact)
        }
        let recall = TestVectors.recall(found, truth)
        #expect(recall >= 0.95, "\(metric) recall \(recall)")
    }

    @Test(arguments: [384, 768, 1024, 1536])
    func everyCommonDimensionWorks(dimension: Int) throws {
        let rows = try TestVectors.widened(600, dimension: dimension)
        let batch = rows.enumerated().map { (key: UInt64($0), vector: $1) }
        let flat = FlatIndex(dimension: dimension, metric: .cosine)
        let hnsw = HNSWIndex(dimension: dimension, metric: .cosine)
        try flat.upsert(batch: batch, threads: 1)
        try hnsw.upsert(batch: batch, threads: 2)
        try hnsw.checkInvariants()
        let queries = (0 ..< 30).map { rows[$0 * 17] }
        let recall = TestVectors.recall(queries.map { hnsw.search($0, k: 10) }, queries.map { flat.search($0, k: 10) })
        #expect(recall >= 0.95, "dimension \(dimension) recall \(recall)")
        // Every stored vector is its own nearest neighbour; with ef as large as the index the
        // walk reaches every connected node, so a miss here means a broken graph, not bad luck.
        for (i, q) in queries.enumerated() {
            let top = try #require(hnsw.search(q, k: 1, ef: rows.count).first)
            #expect(top.key == UInt64(i * 17) && abs(top.distance) < 1e-4)
        }
    }

    @Test func kernelsMatchPlainLoopsForEveryTailLength() {
        var rng = SplitMix64(seed: 3)
        for n in [1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 383, 384, 1536] {
            let a = (0 ..< n).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 }
            let b = (0 ..< n).map { _ in Float(Int(rng.next() % 2001) - 1000) / 1000 }
            let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let l2 = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            #expect(abs(Double(kh_dot(a, b, Int64(n))) - dot) < 1e-3 * Double(n), "dot n=\(n)")
            #expect(abs(Double(kh_l2sq(a, b, Int64(n))) - l2) < 1e-3 * Double(n), "l2 n=\(n)")
        }
        #expect(kh_checksum("abc", 3) != kh_checksum("abd", 3))
    }
}
