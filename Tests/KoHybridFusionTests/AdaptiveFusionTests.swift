import Testing
@testable import KoHybridFusion

/// Pins what the default fusion (`Fusion.hybridDefault`, adaptive min-max) does on hand-made
/// lists, so that a later change cannot move it silently. Every number is worked out by hand in
/// the comments.
@Suite struct AdaptiveFusionTests {
    typealias List = RankedList<UInt64>

    static func list(_ retriever: Retriever, _ pairs: [(UInt64, Double)]) -> List {
        List(retriever: retriever, entries: pairs.map { .init(key: $0.0, score: $0.1) })
    }

    @Test func theDefaultIsTheAdaptiveFusionAndThePreviousOneStaysByName() {
        #expect(Fusion.hybridDefault == .adaptiveRelativeScore)
        #expect(Fusion.hybridDefault.name == "adaptive")
        #expect(Fusion.previousDefault == .relativeScore(weights: [.dense: 0.3, .sparse: 0.7]))
        #expect(Fusion.hybridDefault.description == ".adaptiveRelativeScore")
        #expect(Fusion.relativeScore(alpha: 0.7).description == ".relativeScore(weights: [.dense: 0.7, .sparse: 0.3])")
    }

    @Test func cliffIsTheLargestNormalisedStep() {
        // steps 0.5, 6.5, 1 over a range of 8
        #expect(abs(Fusion.cliff(of: Self.list(.dense, [(1, 9), (2, 8.5), (3, 2), (4, 1)])) - 0.8125) < 1e-12)
        #expect(Fusion.cliff(of: Self.list(.dense, [])) == 0)
        #expect(Fusion.cliff(of: Self.list(.dense, [(1, 3)])) == 1)
        #expect(Fusion.cliff(of: Self.list(.dense, [(1, 3), (2, 3)])) == 1)
    }

    /// Dense has a clear head (0.90, then a slope from 0.70); BM25 is a smooth slope of guesses.
    @Test func strongDenseWeakSparseLeansOnDense() {
        let dense = Self.list(.dense, [(1, 0.90), (2, 0.70), (3, 0.68), (4, 0.66), (5, 0.64), (6, 0.62)])
        let sparse = Self.list(.sparse, [(3, 10), (4, 9), (5, 8), (6, 7), (7, 6), (8, 5)])
        // cliffs: dense 0.20 / 0.28 = 5/7, sparse 1 / 5 = 1/5; weights 25/32 and 7/32
        let weights = Fusion.hybridDefault.weights(for: [dense, sparse])
        #expect(abs(weights[.dense]! - 25.0 / 32) < 1e-9 && abs(weights[.sparse]! - 7.0 / 32) < 1e-9)
        let hits = Fusion.hybridDefault.fuse([dense, sparse])
        // 1: 25/32; 3: 25/32·3/14 + 7/32; 4: 25/32·1/7 + 7/32·0.8; 2: 25/32·2/7; 5: 25/32·1/14 + 7/32·0.6; ...
        #expect(hits.map(\.key) == [1, 3, 4, 2, 5, 6, 7, 8])
        #expect(abs(hits[0].score - 25.0 / 32) < 1e-9)
        #expect(abs(hits[1].score - (25.0 / 32 * 3 / 14 + 7.0 / 32)) < 1e-9)
        // every hit carries the query's weights, and its rank and raw score in each list
        for hit in hits { #expect(Retriever.allCases.allSatisfy { abs(hit.weights[$0]! - weights[$0]!) < 1e-12 }) }
        #expect(hits[1].contributions.map(\.rank) == [3, 1])
        #expect(hits[1].contributions.map(\.score) == [0.68, 10])
        // The previous default (0.3 / 0.7 towards BM25) puts BM25's guess first instead.
        #expect(Fusion.previousDefault.fuse([dense, sparse]).first?.key == 3)
    }

    /// The reverse: BM25 has an exact match far above the rest, dense a flat run of neighbours.
    @Test func strongSparseWeakDenseLeansOnSparse() {
        let dense = Self.list(.dense, [(1, 0.80), (2, 0.79), (3, 0.78), (4, 0.77), (5, 0.76), (6, 0.75)])
        let sparse = Self.list(.sparse, [(7, 12), (8, 5), (9, 4.5), (1, 4)])
        // cliffs: dense 0.01 / 0.05 = 1/5, sparse 7 / 8; weights 8/43 and 35/43
        let weights = Fusion.hybridDefault.weights(for: [dense, sparse])
        #expect(abs(weights[.dense]! - 8.0 / 43) < 1e-9 && abs(weights[.sparse]! - 35.0 / 43) < 1e-9)
        let hits = Fusion.hybridDefault.fuse([dense, sparse], limit: 3)
        // 7: 35/43 = 0.814; 1: 8/43 = 0.186 (dense top, BM25's last = 0); 2: 8/43·0.8 = 0.149;
        // 8: 35/43·1/8 = 0.102
        #expect(hits.map(\.key) == [7, 1, 2])
        #expect(abs(hits[0].score - 35.0 / 43) < 1e-9)
        #expect(hits[0].contributions.map(\.rank) == [nil, 1])
        #expect(hits[0].contributions[0].weight == weights[.dense]!)
    }

    /// Both lists put the same document first: it keeps the top with the full fused score 1.
    @Test func agreementKeepsTheSharedTopHit() {
        let dense = Self.list(.dense, [(1, 0.9), (2, 0.6), (3, 0.55)])
        let sparse = Self.list(.sparse, [(1, 15), (3, 5), (2, 4)])
        // cliffs: dense 0.3 / 0.35 = 6/7, sparse 10 / 11; weights 66/136 and 70/136
        let weights = Fusion.hybridDefault.weights(for: [dense, sparse])
        #expect(abs(weights[.dense]! - 66.0 / 136) < 1e-9 && abs(weights[.sparse]! - 70.0 / 136) < 1e-9)
        let hits = Fusion.hybridDefault.fuse([dense, sparse])
        // 1: 1; 2: 66/136·1/7 + 0 = 0.0693; 3: 0 + 70/136·1/11 = 0.0468
        #expect(hits.map(\.key) == [1, 2, 3])
        #expect(abs(hits[0].score - 1) < 1e-12)
    }

    @Test func oneRetrieverMissingGivesTheOtherAllTheWeight() {
        let dense = Self.list(.dense, [(1, 0.9), (2, 0.6)])
        let empty = Self.list(.sparse, [])
        #expect(Fusion.hybridDefault.weights(for: [dense, empty]) == [.dense: 1, .sparse: 0])
        #expect(Fusion.hybridDefault.fuse([dense, empty]).map(\.key) == [1, 2])
        #expect(Fusion.hybridDefault.weights(for: [empty, empty]) == [.sparse: 0.5])
        #expect(Fusion.hybridDefault.fuse([empty, empty]).isEmpty)
        // Fixed fusions report their fixed weights on every hit.
        #expect(Fusion.relativeScore(alpha: 0.3).fuse([dense, empty]).first?.weights == [.dense: 0.3, .sparse: 0.7])
        #expect(Fusion.reciprocalRank().fuse([dense, empty]).first?.weights == [.dense: 1, .sparse: 1])
    }
}
