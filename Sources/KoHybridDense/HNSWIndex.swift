import Foundation

/// An approximate nearest-neighbour index: a Hierarchical Navigable Small World graph
/// (Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search using
/// Hierarchical Navigable Small World graphs", IEEE TPAMI 2018), written in Swift over flat
/// memory with SIMD distance kernels.
///
/// One writer at a time, any number of concurrent readers: the index is a class with an internal
/// readers-writer lock, safe to share. Removed records are never returned: they stay in the
/// graph as routes until enough accumulate, then their neighbours are re-linked around them and
/// their slots reused by later inserts. Files open by memory-mapping, with no
/// rebuild.
///
/// ```swift
/// let index = HNSWIndex(dimension: 384, metric: .cosine, parameters: HNSWParameters(m: 16))
/// try index.upsert(batch: rows.map { (key: $0.key, vector: $0.embedding) }, threads: 2)
/// let hits = index.search(query, k: 10, ef: 128)
/// try index.write(to: url)
/// let reopened = try HNSWIndex.open(url)
/// ```
public final class HNSWIndex: VectorIndex, @unchecked Sendable {
    public let dimension: Int
    public let metric: DistanceMetric
    public let parameters: HNSWParameters
    /// Filtered searches use an exact scan of the admitted records when there are at most this
    /// many; `nil` uses the cost model in ``exactFilterLimit``.
    public var exactFilterThreshold: Int? {
        get { lock.read { _exactFilterThreshold } }
        set { lock.write { _exactFilterThreshold = newValue } }
    }

    let lock = ReadWriteLock()
    var graph: HNSWGraph
    private var _exactFilterThreshold: Int?

    /// An empty index. `dimension` must be positive (use ``init(validatingDimension:metric:parameters:)``
    /// for a dimension that comes from user input).
    public init(dimension: Int, metric: DistanceMetric = .cosine, parameters: HNSWParameters = HNSWParameters()) {
        self.dimension = max(dimension, 1)
        self.metric = metric
        self.parameters = parameters.sanitized
        graph = HNSWGraph(dimension: self.dimension, metric: metric, parameters: self.parameters)
    }

    /// An empty index, throwing for a non-positive dimension.
    public convenience init(validatingDimension dimension: Int, metric: DistanceMetric = .cosine,
                            parameters: HNSWParameters = HNSWParameters()) throws(VectorIndexError) {
        guard dimension > 0 else { throw .invalidDimension(dimension) }
        self.init(dimension: dimension, metric: metric, parameters: parameters)
    }

    init(graph: HNSWGraph) {
        dimension = graph.dimension
        metric = graph.metric
        parameters = graph.parameters
        self.graph = graph
    }

    public var count: Int { lock.read { graph.liveCount } }

    /// Bytes held by the index (vectors, links, keys and bookkeeping).
    public var memoryBytes: Int { lock.read { graph.memoryBytes } }

    /// Reserves room for `capacity` records, so a known-size build allocates once.
    public func reserveCapacity(_ capacity: Int) {
        lock.write { graph.reserve(slots: capacity) }
    }

    public func contains(key: UInt64) -> Bool { lock.read { graph.slotOfKey[key] != nil } }

    /// The stored vector for `key` (normalized for cosine), if present.
    public func vector(forKey key: UInt64) -> [Float]? {
        lock.read {
            guard let slot = graph.slotOfKey[key] else { return nil }
            return Array(UnsafeBufferPointer(start: graph.vector(slot), count: dimension))
        }
    }

    public func upsert(key: UInt64, vector: [Float]) throws(VectorIndexError) {
        try upsert(batch: [(key: key, vector: vector)], threads: 1)
    }

    /// Inserts or replaces `batch`, linking it on up to `threads` threads. Either every row goes
    /// in or, if one is invalid, none does. When removed records have reached a fifth of the live
    /// ones, this first consolidates them (``consolidateRemoved(threads:)``, same threads): a
    /// pause of about 12 s for an 88,000-record 384-d index on 2 threads.
    public func upsert(batch: [(key: UInt64, vector: [Float])], threads: Int) throws(VectorIndexError) {
        guard !batch.isEmpty else { return }
        // Check everything first: a bad row must leave the index untouched.
        let prepared = try metric.prepared(batch: batch, dimension: dimension)
        lock.write {
            let graph = graph
            for row in batch { if let slot = graph.slotOfKey[row.key] { graph.remove(slot: slot) } }
            if graph.consolidationDue { graph.consolidate(threads: threads) }
            let fresh = max(0, batch.count - graph.freeSlots.count)
            let needed = graph.slotCount + fresh
            if needed > graph.capacity {
                // Exact for a batch (no slack to pay for), geometric for one-at-a-time inserts.
                graph.reserve(slots: batch.count > 1 ? needed : max(needed, graph.capacity + graph.capacity / 2, 64))
            }
            var slots: [UInt32] = []
            slots.reserveCapacity(batch.count)
            for (row, vector) in zip(batch, prepared) {
                slots.append(vector.withUnsafeBufferPointer { graph.claimSlot(key: row.key, vector: $0.baseAddress!) })
            }
            graph.link(slots, threads: threads)
            // A few milliseconds per 100k records: worth it after a batch, not after each row.
            if slots.count >= HNSWIndex.orphanCheckBatch { graph.linkOrphans() }
        }
    }

    /// Takes removed records out of the graph now and frees their slots (inserts also do this
    /// on their own once removed records reach a fifth of the live ones). Searches stay correct
    /// either way; this bounds the work of walking through removed nodes and their memory.
    public func consolidateRemoved(threads: Int = 1) {
        lock.write { graph.consolidate(threads: threads) }
    }

    /// Batches of at least this many rows end by giving unreachable nodes an in-link.
    static let orphanCheckBatch = 64

    @discardableResult
    public func remove(key: UInt64) -> Bool {
        lock.write {
            guard let slot = graph.slotOfKey[key] else { return false }
            graph.remove(slot: slot)
            return true
        }
    }

    public func search(_ query: [Float], k: Int, ef: Int?, filter: VectorFilter?) -> [VectorHit] {
        guard k > 0, let prepared = try? metric.prepared(query, key: nil, dimension: dimension) else { return [] }
        return lock.read {
            let graph = graph
            return prepared.withUnsafeBufferPointer { buffer -> [VectorHit] in
                let q = buffer.baseAddress!
                let ef = max(ef ?? parameters.efSearch, k)
                if let filter {
                    // An estimate of 0 (a sample can miss a rare match) also takes the scan.
                    let admitted = graph.estimateAdmitted(by: filter)
                    if admitted <= (_exactFilterThreshold ?? exactFilterLimit(ef: ef)) {
                        return graph.exactSearch(q, k: k, filter: filter)
                    }
                    let found = graph.search(q, k: k, ef: ef, filter: filter)
                    // The walk ends only when it has ef admitted nodes or has seen every
                    // reachable one; if that still left fewer than k, scan to be sure.
                    if found.count < k { return graph.exactSearch(q, k: k, filter: filter) }
                    return found.map { VectorHit(key: graph.keys[Int($0.slot)], distance: $0.distance) }
                }
                let found = graph.search(q, k: k, ef: ef, filter: nil)
                // A safety net, not a path tests ever see taken: should a walk reach fewer
                // than k live nodes (a badly damaged graph), answer exactly rather than short.
                if found.count < min(k, graph.liveCount) { return graph.exactSearch(q, k: k, filter: nil) }
                return found.map { VectorHit(key: graph.keys[Int($0.slot)], distance: $0.distance) }
            }
        }
    }

    /// The exact (flat) answer over the live records, for ground truth and small filters.
    public func exactSearch(_ query: [Float], k: Int, filter: VectorFilter? = nil) -> [VectorHit] {
        guard k > 0, let prepared = try? metric.prepared(query, key: nil, dimension: dimension) else { return [] }
        return lock.read {
            prepared.withUnsafeBufferPointer { graph.exactSearch($0.baseAddress!, k: k, filter: filter) }
        }
    }

    /// The largest admitted count for which an exact scan beats a filtered graph walk. A scan
    /// costs about `a` distances for `a` admitted records; a walk that must collect `ef`
    /// admitted nodes when a fraction `a/n` pass costs about `10 * ef * n / a` (roughly ten new
    /// neighbours scored per expanded node). They cross at `a = sqrt(10 * ef * n)`.
    func exactFilterLimit(ef: Int) -> Int {
        Int((10 * Double(ef) * Double(graph.liveCount)).squareRoot())
    }
}
