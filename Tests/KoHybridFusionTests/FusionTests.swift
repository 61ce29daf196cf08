import Testing
@testable import KoHybridFusion

/// Every fusion method against results computed by hand.
@Suite struct FusionTests {
    let dense = RankedList<UInt64>(retriever: .dense, entries: [
        .init(key: 1, score: 0.9), .init(key: 2, score: 0.8), .init(key: 3, score: 0.5),
    ])
    let sparse = RankedList<UInt64>(retriever: .sparse, entries: [
        .init(key: 3, score: 12), .init(key: 4, score: 6), .init(key: 1, score: 3),
    ])

    @Test func reciprocalRankMatchesHandComputation() {
        let hits = Fusion.reciprocalRank(k: 60).fuse([dense, sparse])
        // 1: 1/61 + 1/63 = 0.032266; 3: 1/63 + 1/61 = same; 2: 1/62; 4: 1/62.
        #expect(hits.map(\.key) == [1, 3, 2, 4])   // 1 and 3 tie; both best rank 1; key 1 < 3
        #expect(abs(hits[0].score - (1.0 / 61 + 1.0 / 63)) < 1e-12)
        #expect(abs(hits[1].score - hits[0].score) < 1e-12)
        #expect(abs(hits[2].score - 1.0 / 62) < 1e-12)
        #expect(hits[0].contributions.map(\.rank) == [1, 3])
        #expect(hits[3].contributions.map(\.rank) == [nil, 2])
        #expect(hits[3].contributions[0].score == nil)
    }

    @Test func weightedReciprocalRank() {
        let hits = Fusion.reciprocalRank(k: 1, weights: [.dense: 1, .sparse: 3]).fuse([dense, sparse])
        // 1: 1/2 + 3/4 = 1.25; 3: 1/4 + 3/2 = 1.75; 2: 1/3; 4: 3/3 = 1
        #expect(hits.map(\.key) == [3, 1, 4, 2])
        #expect(abs(hits[0].score - 1.75) < 1e-12)
        #expect(abs(hits[1].score - 1.25) < 1e-12)
        #expect(abs(hits[2].score - 1.0) < 1e-12)
        #expect(abs(hits[3].score - 1.0 / 3) < 1e-12)
    }

    @Test func relativeScoreMatchesHandComputation() {
        let hits = Fusion.relativeScore(alpha: 0.6).fuse([dense, sparse])
        // dense min-max over [0.9, 0.8, 0.5]: 1, 0.75, 0;  sparse over [12, 6, 3]: 1, 1/3, 0
        // 1: 0.6*1 + 0.4*0 = 0.6; 2: 0.6*0.75 = 0.45; 3: 0 + 0.4*1 = 0.4; 4: 0.4/3 = 0.1333
        #expect(hits.map(\.key) == [1, 2, 3, 4])
        #expect(abs(hits[0].score - 0.6) < 1e-12)
        #expect(abs(hits[1].score - 0.45) < 1e-12)
        #expect(abs(hits[2].score - 0.4) < 1e-12)
        #expect(abs(hits[3].score - 0.4 / 3) < 1e-12)
    }

    @Test func distributionBasedMatchesHandComputation() {
        let hits = Fusion.distributionBased().fuse([dense, sparse])
        func normalized(_ s: [Double]) -> [Double] {
            let m = s.reduce(0, +) / Double(s.count)
            let sd = (s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.count)).squareRoot()
            return s.map { ($0 - (m - 3 * sd)) / (6 * sd) }
        }
        let d = normalized([0.9, 0.8, 0.5]), s = normalized([12, 6, 3])
        let expected: [UInt64: Double] = [1: d[0] + s[2], 2: d[1], 3: d[2] + s[0], 4: s[1]]
        #expect(hits.count == 4)
        for hit in hits { #expect(abs(hit.score - expected[hit.key]!) < 1e-12) }
        #expect(hits.map(\.key) == expected.sorted { $0.value > $1.value }.map(\.key))
        // By hand: dense mean 0.7333, sd 0.1700; sparse mean 7, sd 3.7417.
        #expect(abs(d[0] - 0.66340) < 1e-4)
        #expect(abs(s[0] - 0.72272) < 1e-4)
    }

    @Test func degenerateLists() {
        #expect(Fusion.relativeScore().fuse([RankedList<UInt64>]()).isEmpty)
        let single = RankedList<UInt64>(retriever: .dense, entries: [.init(key: 9, score: 0.3)])
        let empty = RankedList<UInt64>(retriever: .sparse, entries: [])
        for fusion in [Fusion.reciprocalRank(), .relativeScore(), .distributionBased()] {
            let hits = fusion.fuse([single, empty], limit: 5)
            #expect(hits.map(\.key) == [9])
            #expect(hits[0].score > 0)
        }
        let flat = RankedList<UInt64>(retriever: .dense, entries: [.init(key: 2, score: 1), .init(key: 1, score: 1)])
        // Equal scores and equal fused parts fall back to best rank.
        #expect(Fusion.relativeScore().fuse([flat]).map(\.key) == [2, 1])
        #expect(Fusion.reciprocalRank().fuse([dense, sparse], limit: 2).count == 2)
        #expect(Fusion.reciprocalRank().fuse([dense, sparse], limit: 0).isEmpty)
    }
}
