/// A predicate over record keys that restricts a search to the records it admits (the store turns
/// metadata filters into one of these).
///
/// A filter built from a key set knows exactly how many records it admits; a closure filter is
/// estimated by sampling. The index uses that to choose between an exact scan of the admitted
/// records (few of them) and a graph search that keeps going until `k` admitted records are found.
///
/// ```swift
/// let onlyOmakase = VectorFilter(keys: [3, 17, 42])
/// let hits = index.search(query, k: 10, filter: onlyOmakase)
/// ```
public struct VectorFilter: Sendable {
    let isIncluded: @Sendable (UInt64) -> Bool
    /// The admitted keys when known (key-set filters).
    let keys: Set<UInt64>?

    public init(_ isIncluded: @escaping @Sendable (UInt64) -> Bool) {
        self.isIncluded = isIncluded
        self.keys = nil
    }

    public init(keys: Set<UInt64>) {
        self.isIncluded = { keys.contains($0) }
        self.keys = keys
    }

    public func admits(_ key: UInt64) -> Bool { isIncluded(key) }
}
