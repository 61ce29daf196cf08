/// A fused result: the key, its fused score, and what each retriever said about it.
public struct FusedHit<Key: Hashable & Comparable & Sendable>: Sendable, Hashable {
    /// One retriever's view of a hit: `nil` rank and score when the hit was not in its list.
    public struct Contribution: Sendable, Hashable {
        public var retriever: Retriever
        /// 1-based rank in that retriever's list.
        public var rank: Int?
        /// The retriever's raw score.
        public var score: Double?
        /// The weight this retriever's list got for this query (the same for every hit of one
        /// fusion): fixed for most fusions, chosen per query by ``Fusion/adaptiveRelativeScore``.
        public var weight: Double
        /// What this retriever added to the fused score.
        public var fusedPart: Double

        public init(retriever: Retriever, rank: Int?, score: Double?, weight: Double, fusedPart: Double) {
            self.retriever = retriever; self.rank = rank; self.score = score; self.weight = weight; self.fusedPart = fusedPart
        }
    }

    public var key: Key
    public var score: Double
    public var contributions: [Contribution]

    public init(key: Key, score: Double, contributions: [Contribution]) {
        self.key = key; self.score = score; self.contributions = contributions
    }

    /// The weight each retriever got for this query.
    public var weights: RetrieverWeights {
        Dictionary(contributions.map { ($0.retriever, $0.weight) }, uniquingKeysWith: { a, _ in a })
    }

    /// What `retriever` said about this hit (nil when that retriever was not fused).
    public func contribution(_ retriever: Retriever) -> Contribution? {
        contributions.first { $0.retriever == retriever }
    }
}
