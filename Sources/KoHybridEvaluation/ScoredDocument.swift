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
    /// trec_eval's `form_res_rels.c`: `strcmp(ptr2->docno, ptr1->docno)`). Using the same order
    /// is what makes our numbers equal trec_eval's when scores tie.
    ///
    /// ```swift
    /// let hits = [ScoredDocument(id: "d1", score: 1), ScoredDocument(id: "d2", score: 1)]
    /// hits.sortedLikeTrecEval().map(\.id)   // ["d2", "d1"]
    /// ```
    public func sortedLikeTrecEval() -> [ScoredDocument] {
        sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
        }
    }
}
