/// One search result: a record key and its distance to the query (smaller is closer; see
/// ``DistanceMetric`` for what the number means per metric).
public struct VectorHit: Sendable, Hashable {
    public var key: UInt64
    public var distance: Float

    public init(key: UInt64, distance: Float) {
        self.key = key
        self.distance = distance
    }
}

extension VectorHit: Comparable {
    /// Closer first; equal distances by key, so exact and approximate answers compare stably.
    public static func < (lhs: VectorHit, rhs: VectorHit) -> Bool {
        lhs.distance != rhs.distance ? lhs.distance < rhs.distance : lhs.key < rhs.key
    }
}
