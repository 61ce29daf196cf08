extension Fusion {
    /// The fusion `kohybrid search` and `Store.search` use in hybrid mode, with lists given in the
    /// order dense, sparse. Fixed in code, never chosen from a corpus's own labels; the evidence
    /// for it is in `Evaluation/` (`kohybrid eval` reports it as the mode marked default).
    /// Min-max fusion leaning 0.3 / 0.7 towards BM25: with a Korean analyzer BM25 is as strong as
    /// or stronger than e5-small on every Korean set measured, and this is the middle of the band
    /// (alpha 0.2 to 0.4) that beats both retrievers alone on all of them
    /// (Evaluation/hybrid-default/README.md).
    public static let hybridDefault: Fusion = .relativeScore(alpha: 0.3)

    /// How many candidates each retriever contributes before fusion, by default.
    public static let defaultCandidateDepth = 100
}
