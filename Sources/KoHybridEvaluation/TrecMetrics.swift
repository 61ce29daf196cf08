import Foundation

/// trec_eval's measures for one query, computed in Swift.
///
/// The results are put in trec_eval's order first (score descending, ties by document id
/// descending), so the numbers equal trec_eval's (`../shared/peers/metrics_oracle.py` checks this
/// in the tests) even when scores tie.
///
/// ```swift
/// let hits = [ScoredDocument(id: "d7", score: 0.9), ScoredDocument(id: "d2", score: 0.8)]
/// let values = TrecMetrics.evaluate(hits, relevant: ["d2": 1])
/// values[.mrr10]      // 0.5
/// values[.recall1]    // 0.0
/// ```
public enum TrecMetrics {
    /// Every `Metric` for one query. `relevant` maps document id to qrels grade; grades below 1
    /// are not relevant. A query with no relevant document scores 0 everywhere.
    public static func evaluate(_ hits: [ScoredDocument], relevant: [String: Int]) -> MetricValues {
        evaluate(rankedIDs: hits.sortedLikeTrecEval().map(\.id), relevant: relevant)
    }

    /// Every `Metric` for document ids already in trec_eval's order.
    public static func evaluate(rankedIDs: [String], relevant: [String: Int]) -> MetricValues {
        var out = MetricValues()
        let grades = relevant.values.filter { $0 >= 1 }
        guard !grades.isEmpty else { return out }
        let relevantCount = Double(grades.count)
        // grade of the hit at each rank (0 when not relevant), up to the deepest cut-off
        let depth = min(rankedIDs.count, Metric.requiredDepth)
        let gains = rankedIDs.prefix(depth).map { id in max(relevant[id] ?? 0, 0) }

        var found = 0
        var precisionSum = 0.0
        var firstRelevant: Int?
        for (index, grade) in gains.enumerated() where grade >= 1 {
            found += 1
            precisionSum += Double(found) / Double(index + 1)
            if firstRelevant == nil { firstRelevant = index }
        }
        for metric in Metric.recallCurve {
            guard let k = metric.recallDepth else { continue }
            out[metric] = Double(gains.prefix(k).filter { $0 >= 1 }.count) / relevantCount
        }
        if let firstRelevant, firstRelevant < 10 { out[.mrr10] = 1.0 / Double(firstRelevant + 1) }
        out[.map100] = precisionSum / relevantCount
        out[.ndcg10] = ndcg(gains: gains, grades: grades, cutoff: 10)
        return out
    }

    /// nDCG at `cutoff` with trec_eval's gains (the grade itself) and discount (log2(rank + 1)).
    static func ndcg(gains: [Int], grades: [Int], cutoff: Int) -> Double {
        func dcg<S: Sequence>(_ gains: S) -> Double where S.Element == Int {
            var sum = 0.0
            for (index, gain) in gains.enumerated() where gain > 0 {
                sum += Double(gain) / log2(Double(index + 2))
            }
            return sum
        }
        let ideal = dcg(grades.sorted(by: >).prefix(cutoff))
        return ideal > 0 ? dcg(gains.prefix(cutoff)) / ideal : 0
    }
}
