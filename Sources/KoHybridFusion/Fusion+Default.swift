extension Fusion {
    /// The fusion `kohybrid search` and `Store.search` use in hybrid mode, with lists given in the
    /// order dense, sparse. Fixed in code, never chosen from a corpus's own labels; the evidence
    /// for it is in `Evaluation/` (`kohybrid eval` reports it as the mode marked default).
    public static let hybridDefault: Fusion = .distributionBased(weights: [1, 1])

    /// How many candidates each retriever contributes before fusion, by default.
    public static let defaultCandidateDepth = 100
}
