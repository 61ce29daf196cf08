extension Fusion {
    /// How sure one retriever is of its answer to this query, read from its own scores alone:
    /// the largest drop between consecutive scores, as a share of the list's score range. In the
    /// min-max units ``relativeScore(weights:)`` fuses in, it is the largest step down in the
    /// normalised list, in (0, 1].
    ///
    /// A retriever that has found what the query asks for separates it from the rest: an exact
    /// Korean menu name gives BM25 a plateau of matching passages and then a cliff, a close
    /// paraphrase gives the dense list a clear head. A retriever that is guessing returns a
    /// smooth slope (cosine similarities of near-neighbours, BM25 matching only a common word),
    /// whose largest step is a small share of its range. This is the score-distribution view of
    /// relevance (Manmatha, Rath & Feng 2001, "Modeling score distributions for combining the
    /// outputs of search engines": relevant and non-relevant scores form separate components)
    /// read as a post-retrieval query-performance predictor, like NQC (Shtok, Kurland, Carmel,
    /// Raiber & Markovits 2012) and WIG (Zhou & Croft 2007), but scale-free: it compares a
    /// cosine list with a BM25 list without knowing either scale, and it looks at the whole list
    /// rather than only at the top score, so it holds where many documents are relevant.
    ///
    /// An empty list has no evidence (0). A list whose scores are all equal (one hit, or hits
    /// that match equally) has only the step from its hits to everything it did not return: 1.
    ///
    /// ```swift
    /// let list = RankedList<Int>(retriever: .sparse, entries: [.init(key: 1, score: 9), .init(key: 2, score: 8.5),
    ///                                                            .init(key: 3, score: 2), .init(key: 4, score: 1)])
    /// Fusion.cliff(of: list)   // (8.5 - 2) / (9 - 1) = 0.8125
    /// ```
    @inlinable
    public static func cliff<Key>(of list: RankedList<Key>) -> Double {
        let scores = list.entries.map(\.score)
        guard let high = scores.max(), let low = scores.min() else { return 0 }
        guard high > low else { return 1 }
        var step = 0.0
        for i in scores.indices.dropLast() { step = max(step, scores[i] - scores[i + 1]) }
        return step / (high - low)
    }
}
