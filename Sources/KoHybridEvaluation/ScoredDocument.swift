/// One retrieved document and the score its system gave it (higher is better).
public struct ScoredDocument: Sendable, Hashable {
    public var id: String
    public var score: Double

    public init(id: String, score: Double) {
        self.id = id; self.score = score
    }
}

extension Array where Element == ScoredDocument {
    /// The order trec_eval evaluates a query's results in, whatever their rank column says:
    /// score descending, then document id descending by byte comparison (`comp_sim_docno` in
    /// trec_eval's `form_res_rels.c`: `strcmp(ptr2->docno, ptr1->docno)`). trec_eval holds scores
    /// as 32-bit floats (`TEXT_RESULTS.sim` is a `float`), so two scores tie when they are equal
    /// as `Float`. Using the same order is what makes our numbers equal trec_eval's.
    ///
    /// ```swift
    /// let hits = [ScoredDocument(id: "d1", score: 1), ScoredDocument(id: "d2", score: 1)]
    /// hits.sortedLikeTrecEval().map(\.id)   // ["d2", "d1"]
    /// ```
    public func sortedLikeTrecEval() -> [ScoredDocument] {
        sorted { a, b in
            let sa = Float(a.score), sb = Float(b.score)
            if sa != sb { return sa > sb }
            return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
        }
    }
}

extension Array where Element == ScoredDocument {
    /// The same hits, in the same order, with each score that does not fall below the previous
    /// one at trec_eval's precision (32-bit float) lowered to just below it (one float step).
    ///
    /// A search returns hits in its own order, breaking equal scores its own way (RRF gives
    /// equal scores to, say, dense rank 1 + sparse rank 3 and dense rank 3 + sparse rank 1). A TREC
    /// run keeps only scores, and trec_eval would re-break those ties by document id. Writing
    /// strictly decreasing scores makes the run, trec_eval, and our measures all see the order
    /// the user actually gets.
    ///
    /// ```swift
    /// let hits = [ScoredDocument(id: "a", score: 1), ScoredDocument(id: "b", score: 1)]
    /// hits.withStrictlyDecreasingScores().sortedLikeTrecEval().map(\.id)   // ["a", "b"]
    /// ```
    public func withStrictlyDecreasingScores() -> [ScoredDocument] {
        var out = self
        for i in out.indices.dropFirst() {
            let previous = Float(out[i - 1].score)
            if Float(out[i].score) >= previous { out[i].score = Double(previous.nextDown) }
        }
        return out
    }
}
