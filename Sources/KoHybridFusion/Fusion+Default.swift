extension Fusion {
    /// The fusion `kohybrid search` and `Store.search` use in hybrid mode:
    /// ``adaptiveRelativeScore``. Fixed in code, never chosen from a corpus's
    /// own labels; `kohybrid eval` reports it as the mode marked default, and the evidence for it
    /// (every set, paired tests against each single retriever, where it still loses) is in
    /// `Evaluation/hybrid-default/README.md`.
    ///
    /// Min-max normalised CombSUM (Fox & Shaw 1994; Lee 1997), the convex combination Bruch,
    /// Gai & Ingber (2023, "An analysis of fusion functions for hybrid retrieval") find robust,
    /// with its weight chosen per query instead of one global alpha: each list weighs
    /// ``cliff(of:)`` / (sum of both), the query's evidence of how sure each retriever is
    /// (query-dependent fusion weights in the spirit of Wu & Crestani 2002's performance-weighted
    /// linear combination, with a score-distribution predictor in place of training data).
    /// So a query whose BM25 list has an exact match leans on BM25 and a paraphrase whose dense
    /// list has a clear head leans on dense, whichever retriever is stronger on the corpus.
    public static let hybridDefault: Fusion = .adaptiveRelativeScore

    /// The default before issue 14: relative score fusion leaning 0.3 / 0.7 towards BM25. Strong
    /// where BM25 is at least as good as dense search, behind dense-only where dense is clearly
    /// stronger (`Evaluation/hybrid-default/README.md`). `kohybrid search --mode rsf-0.3`.
    public static let previousDefault: Fusion = .relativeScore(alpha: 0.3)

    /// How many candidates each retriever contributes before fusion, by default.
    public static let defaultCandidateDepth = 100
}
