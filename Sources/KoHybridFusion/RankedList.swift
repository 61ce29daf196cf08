/// One retriever's answer to a query: keys best first, each with the retriever's raw score
/// (higher is better; a distance must be negated or converted before it gets here).
///
/// ```swift
/// let dense = RankedList(retriever: .dense, entries: [.init(key: 7, score: 0.91), .init(key: 3, score: 0.88)])
/// let sparse = RankedList(retriever: .sparse, entries: [.init(key: 3, score: 12.4)])
/// let fused = Fusion.reciprocalRank().fuse([dense, sparse], limit: 10)
/// ```
public struct RankedList<Key: Hashable & Comparable & Sendable>: Sendable {
    public struct Entry: Sendable, Hashable {
        public var key: Key
        public var score: Double
        public init(key: Key, score: Double) { self.key = key; self.score = score }
    }

    /// Which retriever answered, carried into each hit's contributions.
    public var retriever: Retriever
    /// Best first. Keys must be unique within a list.
    public var entries: [Entry]

    public init(retriever: Retriever, entries: [Entry]) {
        self.retriever = retriever
        self.entries = entries
    }
}

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
