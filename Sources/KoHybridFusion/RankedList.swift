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
