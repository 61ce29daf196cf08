import KoHybridCore
import Testing
@testable import KoHybridDense

/// The neighbour-selection heuristic (Malkov & Yashunin 2018, Algorithm 4) is one function for
/// insert and for consolidation. These tests pin what it chooses: the rule itself on random
/// candidate lists, and whole graphs (every neighbour list on every level, after a build and
/// after deletes are consolidated and re-inserted) against fingerprints recorded from the
/// implementation before insert and consolidation shared it, so a change of any neighbour
/// choice fails here.
@Suite struct HNSWNeighbourChoiceTests {
    /// Small integer components: every distance is an exact integer in Float, whatever order a
    /// kernel (AVX-512, AVX2, portable) sums in, so the fingerprints hold on any machine.
    static func vectors(_ count: Int, dimension: Int, seed: UInt64) -> [(key: UInt64, vector: [Float])] {
        var random = SplitMix64(seed: seed)
        return (0 ..< count).map { i in
            (key: UInt64(i), vector: (0 ..< dimension).map { _ in Float(Int(random.next() % 17) - 8) })
        }
    }

    /// FNV-1a over every slot's level and neighbour lists, in slot order.
    static func fingerprint(_ graph: HNSWGraph) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ value: UInt32) { hash = (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3 }
        for slot in 0 ..< UInt32(graph.slotCount) {
            mix(UInt32(graph.levels[Int(slot)]))
            mix(UInt32(graph.deleted[Int(slot)]))
            for level in 0 ... Int(graph.levels[Int(slot)]) {
                let list = graph.links(slot, level)
                for j in 0 ... Int(list[0]) { mix(list[j]) }
            }
        }
        return hash
    }

    /// Fingerprints after a build, after 30% are deleted and consolidated, and after they are
    /// inserted again (all single-threaded, so reproducible).
    @Test(arguments: [
        (DistanceMetric.l2, 24, 1500, [0x71F8_FCB9_A6A8_D213, 0xDC0E_C3AF_9E2E_B06F, 0x4DC4_D32D_157B_4FCD] as [UInt64]),
        (.innerProduct, 32, 2000, [0xBCC5_4787_B733_63F8, 0xC504_2D92_73CD_0833, 0xC871_455C_1368_1E8B]),
    ])
    func graphsAreBuiltAndConsolidatedWithTheSameNeighbours(metric: DistanceMetric, dimension: Int, count: Int, expected: [UInt64]) throws {
        let batch = Self.vectors(count, dimension: dimension, seed: 2018)
        let index = HNSWIndex(dimension: dimension, metric: metric, parameters: HNSWParameters(m: 8, efConstruction: 64, seed: 3))
        try index.upsert(batch: batch, threads: 1)
        var found = [Self.fingerprint(index.graph)]
        let removed = batch.filter { $0.key % 10 < 3 }
        for row in removed { _ = index.remove(key: row.key) }
        index.consolidateRemoved(threads: 1)
        found.append(Self.fingerprint(index.graph))
        try index.upsert(batch: removed, threads: 1)
        found.append(Self.fingerprint(index.graph))
        #expect(found == expected, "\(found.map { "0x" + String($0, radix: 16, uppercase: true) })")
        try index.checkInvariants()
    }

    /// The rule on random lists: a candidate is chosen exactly when no neighbour kept before it
    /// (given, or chosen earlier) is closer to it than the base is, until the limit is reached.
    @Test(arguments: [0, 1, 3, 6])
    func pruningKeepsACandidateOnlyIfNoKeptNeighbourIsCloser(keptCount: Int) throws {
        let batch = Self.vectors(200, dimension: 8, seed: UInt64(keptCount) + 1)
        let index = HNSWIndex(dimension: 8, metric: .l2, parameters: HNSWParameters(m: 4, efConstruction: 16))
        try index.upsert(batch: batch, threads: 1)
        let graph = index.graph
        for base in stride(from: UInt32(0), to: 200, by: 17) {
            let others = (0 ..< UInt32(200)).filter { $0 != base }
            var sorted = others.map { Candidate(distance: graph.distance(graph.vector(base), graph.vector($0)), slot: $0) }
            sorted.sort { $0.distance < $1.distance }
            let kept = Array(sorted.prefix(keptCount * 3).map(\.slot).enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
            let limit = 8
            let chosen = graph.pruneNeighbours(sorted, limit: limit, keeping: kept).map(\.slot)
            var expected: [UInt32] = []
            for candidate in sorted where kept.count + expected.count < limit && !kept.contains(candidate.slot) {
                let closer = (kept + expected).contains {
                    graph.distance(graph.vector(candidate.slot), graph.vector($0)) < candidate.distance
                }
                if !closer { expected.append(candidate.slot) }
            }
            #expect(chosen == expected)
            #expect(kept.count + chosen.count <= limit)
            #expect(chosen.allSatisfy { !kept.contains($0) })
        }
    }
}
