import Foundation
import Testing
@testable import KoHybridEvaluation

/// Hand-computed trec_eval values, including ties in score.
@Suite struct TrecMetricsTests {
    // Three relevant documents with grades 2, 1, 1. "b" and "a" tie at 0.8: trec_eval puts the
    // larger document id first, so the ranking is x, b, a, y, c.
    let graded = ["a": 2, "b": 1, "c": 1, "z": 0]
    let gradedHits = [
        ScoredDocument(id: "a", score: 0.8), ScoredDocument(id: "x", score: 0.9),
        ScoredDocument(id: "c", score: 0.1), ScoredDocument(id: "b", score: 0.8),
        ScoredDocument(id: "y", score: 0.5),
    ]

    @Test func tiesAreBrokenByDescendingDocumentID() {
        #expect(gradedHits.sortedLikeTrecEval().map(\.id) == ["x", "b", "a", "y", "c"])
        let tied = ["n", "m", "o"].map { ScoredDocument(id: $0, score: 0.5) }
        #expect(tied.sortedLikeTrecEval().map(\.id) == ["o", "n", "m"])
        // scores equal as 32-bit floats tie, as trec_eval holds them (TEXT_RESULTS.sim is a float)
        let close = [ScoredDocument(id: "p", score: 0.3000000001), ScoredDocument(id: "q", score: 0.3)]
        #expect(close.sortedLikeTrecEval().map(\.id) == ["q", "p"])
        // byte order, not locale order: "d10" < "d9" as strcmp sees it
        let numbered = ["d9", "d10"].map { ScoredDocument(id: $0, score: 1) }
        #expect(numbered.sortedLikeTrecEval().map(\.id) == ["d9", "d10"])
    }

    @Test func nudgedScoresKeepTheSearchOrder() {
        // RRF-style tie: the search put "a" first; trec_eval alone would put "b" first.
        let hits = [ScoredDocument(id: "a", score: 1 / 62.0), ScoredDocument(id: "b", score: 1 / 62.0),
                    ScoredDocument(id: "c", score: 0.01)]
        let nudged = hits.withStrictlyDecreasingScores()
        #expect(nudged.sortedLikeTrecEval().map(\.id) == ["a", "b", "c"])
        #expect(Float(nudged[1].score) < Float(nudged[0].score) && nudged[0].score - nudged[1].score < 1e-8)
        #expect(nudged[2] == hits[2])
        #expect(TrecMetrics.evaluate(nudged, relevant: ["a": 1])[.mrr10] == 1)
        #expect(TrecMetrics.evaluate(hits, relevant: ["a": 1])[.mrr10] == 0.5)
    }

    @Test func gradedQueryWithTies() {
        let values = TrecMetrics.evaluate(gradedHits, relevant: graded)
        #expect(values[.recall1] == 0)
        #expect(values[.recall5] == 1)
        #expect(values[.recall100] == 1)
        #expect(values[.mrr10] == 0.5)
        // relevant at ranks 2, 3, 5: precisions 1/2, 2/3, 3/5 over 3 relevant
        #expect(abs(values[.map100] - (1.0 / 2 + 2.0 / 3 + 3.0 / 5) / 3) < 1e-12)
        // gains 1 (b), 2 (a), 1 (c) at ranks 2, 3, 5; ideal gains 2, 1, 1
        let dcg = 1 / log2(3.0) + 2 / log2(4.0) + 1 / log2(6.0)
        let ideal = 2 + 1 / log2(3.0) + 1 / log2(4.0)
        #expect(abs(values[.ndcg10] - dcg / ideal) < 1e-12)
    }

    @Test func tiedRelevantDocumentRanksLast() {
        let hits = ["n", "m", "o"].map { ScoredDocument(id: $0, score: 0.5) }
        let values = TrecMetrics.evaluate(hits, relevant: ["m": 1])
        #expect(values[.mrr10] == 1.0 / 3)
        #expect(values[.recall1] == 0)
        #expect(values[.recall5] == 1)
        #expect(abs(values[.ndcg10] - 1 / log2(4.0)) < 1e-12)
    }

    @Test func cutOffsTruncateTheRun() {
        // The only relevant document is 11th: outside MRR@10 and nDCG@10, inside recall@20 and MAP@100.
        let hits = (0..<150).map { ScoredDocument(id: String(format: "d%03d", $0), score: Double(150 - $0)) }
        let values = TrecMetrics.evaluate(hits, relevant: ["d010": 1, "d120": 1])
        #expect(values[.mrr10] == 0)
        #expect(values[.ndcg10] == 0)
        #expect(values[.recall10] == 0)
        #expect(values[.recall20] == 0.5)
        #expect(values[.recall100] == 0.5)
        #expect(abs(values[.map100] - (1.0 / 11) / 2) < 1e-12)   // rank 121 is past the cut
    }

    @Test func queryWithoutHitsOrRelevantDocumentsScoresZero() {
        #expect(TrecMetrics.evaluate([], relevant: ["a": 1]) == MetricValues())
        #expect(TrecMetrics.evaluate([ScoredDocument(id: "a", score: 1)], relevant: ["a": 0]) == MetricValues())
    }

    @Test func meanAveragesEachMeasure() {
        let one = TrecMetrics.evaluate([ScoredDocument(id: "a", score: 1)], relevant: ["a": 1])
        let none = TrecMetrics.evaluate([ScoredDocument(id: "b", score: 1)], relevant: ["a": 1])
        let mean = MetricValues.mean([one, none])
        for metric in Metric.allCases { #expect(mean[metric] == 0.5) }
    }
}
