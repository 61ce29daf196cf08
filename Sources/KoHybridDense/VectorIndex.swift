import Foundation

/// What every vector index in this module offers: ``FlatIndex`` (exact), ``HNSWIndex``
/// (approximate, Malkov & Yashunin 2018) and ``DenseIndex`` (picks one of them by size).
///
/// Indexes are classes with an internal readers-writer lock: one writer at a time, any number of
/// concurrent readers, so one instance can be shared across tasks.
///
/// ```swift
/// let index: any VectorIndex = DenseIndex(dimension: 384, metric: .cosine)
/// try index.upsert(key: 7, vector: embedding)
/// let hits = index.search(query, k: 10)          // [VectorHit], closest first
/// try index.write(to: url)
/// ```
public protocol VectorIndex: AnyObject, Sendable {
    /// Values per vector.
    var dimension: Int { get }
    var metric: DistanceMetric { get }
    /// Live (not removed) records.
    var count: Int { get }

    /// Inserts or replaces the vector stored under `key`.
    func upsert(key: UInt64, vector: [Float]) throws(VectorIndexError)
    /// Inserts or replaces many vectors, using up to `threads` threads. Every vector is checked
    /// before anything changes, so a bad row leaves the index as it was.
    func upsert(batch: [(key: UInt64, vector: [Float])], threads: Int) throws(VectorIndexError)
    /// Removes `key`; false when it was not there.
    @discardableResult func remove(key: UInt64) -> Bool
    func contains(key: UInt64) -> Bool
    /// The `k` closest live records, closest first. `ef` overrides the candidate-list size of
    /// approximate indexes; `filter` restricts results to the records it admits. A query of the
    /// wrong dimension or with non-finite values finds nothing (check it with ``validate(query:)``).
    func search(_ query: [Float], k: Int, ef: Int?, filter: VectorFilter?) -> [VectorHit]
    /// Writes the index to one file, atomically (temporary file, then rename).
    func write(to url: URL) throws(VectorIndexError)
    /// Throws when an internal invariant does not hold (tests call this after every operation).
    func checkInvariants() throws(VectorIndexError)
}

extension VectorIndex {
    public func search(_ query: [Float], k: Int, ef: Int? = nil, filter: VectorFilter? = nil) -> [VectorHit] {
        search(query, k: k, ef: ef, filter: filter)
    }

    /// Throws the error a query vector would cause (wrong dimension, NaN, all zeros for cosine).
    public func validate(query: [Float]) throws(VectorIndexError) {
        _ = try metric.prepared(query, key: nil, dimension: dimension)
    }
}
