/// One search result: the document's key and its BM25 score.
public struct BM25Hit: Sendable, Hashable {
    public var key: UInt64
    public var score: Float

    public init(key: UInt64, score: Float) { self.key = key; self.score = score }
}
