import Foundation
import KoHybridCore

/// An exact index: every search scores every live vector. The ground truth for the HNSW tests,
/// and the faster choice for small collections (see ``DenseIndex``).
///
/// Vectors lie in one contiguous array; removing a record moves the last one into its place,
/// so the array never has holes.
///
/// ```swift
/// let flat = FlatIndex(dimension: 384, metric: .cosine)
/// try flat.upsert(key: 1, vector: embedding)
/// let hits = flat.search(query, k: 10)
/// ```
public final class FlatIndex: VectorIndex, @unchecked Sendable {
    public let dimension: Int
    public let metric: DistanceMetric

    let lock = ReadWriteLock()
    var keys: [UInt64] = []
    var vectors: [Float] = []
    var rowOfKey: [UInt64: Int] = [:]

    public init(dimension: Int, metric: DistanceMetric = .cosine) {
        self.dimension = max(dimension, 1)
        self.metric = metric
    }

    public var count: Int { lock.read { keys.count } }

    public var memoryBytes: Int { lock.read { vectors.capacity * 4 + keys.capacity * 8 + rowOfKey.capacity * 24 } }

    public func contains(key: UInt64) -> Bool { lock.read { rowOfKey[key] != nil } }

    /// Every live record as (key, stored vector), in storage order (``DenseIndex`` uses this to
    /// build a graph when the collection outgrows the flat index).
    public func allRows() -> [(key: UInt64, vector: [Float])] {
        lock.read {
            keys.indices.map { (key: keys[$0], vector: Array(vectors[$0 * dimension ..< ($0 + 1) * dimension])) }
        }
    }

    public func upsert(key: UInt64, vector: [Float]) throws(VectorIndexError) {
        try upsert(batch: [(key: key, vector: vector)], threads: 1)
    }

    /// `threads` is accepted for the protocol; appending rows needs no parallelism.
    public func upsert(batch: [(key: UInt64, vector: [Float])], threads: Int) throws(VectorIndexError) {
        let prepared = try metric.prepared(batch: batch, dimension: dimension)
        lock.write {
            for (row, vector) in zip(batch, prepared) {
                if let r = rowOfKey[row.key] {
                    vectors.replaceSubrange(r * dimension ..< (r + 1) * dimension, with: vector)
                } else {
                    rowOfKey[row.key] = keys.count
                    keys.append(row.key)
                    vectors.append(contentsOf: vector)
                }
            }
        }
    }

    @discardableResult
    public func remove(key: UInt64) -> Bool {
        lock.write {
            guard let r = rowOfKey.removeValue(forKey: key) else { return false }
            let last = keys.count - 1
            if r != last {
                keys[r] = keys[last]
                rowOfKey[keys[r]] = r
                vectors.withUnsafeMutableBufferPointer { v in
                    for i in 0 ..< dimension { v[r * dimension + i] = v[last * dimension + i] }
                }
            }
            keys.removeLast()
            vectors.removeLast(dimension)
            return true
        }
    }

    /// Exact top-k; `ef` is ignored.
    public func search(_ query: [Float], k: Int, ef: Int?, filter: VectorFilter?) -> [VectorHit] {
        guard k > 0, let q = try? metric.prepared(query, key: nil, dimension: dimension) else { return [] }
        return lock.read {
            var top = BoundedHeap<VectorHit>(capacity: k)
            q.withUnsafeBufferPointer { qp in
                vectors.withUnsafeBufferPointer { vp in
                    func consider(_ r: Int) {
                        let hit = VectorHit(key: keys[r], distance: metric.distance(qp.baseAddress!, vp.baseAddress! + r * dimension, dimension))
                        top.insert(hit)
                    }
                    if let keySet = filter?.keys, keySet.count < keys.count {
                        for key in keySet { if let r = rowOfKey[key] { consider(r) } }
                    } else {
                        for r in keys.indices {
                            if let filter, !filter.isIncluded(keys[r]) { continue }
                            consider(r)
                        }
                    }
                }
            }
            return top.sorted()
        }
    }

    public func checkInvariants() throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in
            guard vectors.count == keys.count * dimension else {
                throw .invariantViolated("\(vectors.count) floats for \(keys.count) rows of \(dimension)")
            }
            guard rowOfKey.count == keys.count else {
                throw .invariantViolated("key table has \(rowOfKey.count) keys for \(keys.count) rows")
            }
            for (key, r) in rowOfKey where r >= keys.count || keys[r] != key {
                throw .invariantViolated("key \(key) maps to row \(r), which holds another key")
            }
        }
    }
}

extension FlatIndex {
    static let sectionNames = ["keys", "vectors"]

    /// Writes the index to one file (see ``IndexFile``), atomically.
    public func write(to url: URL) throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in
            let fields: [UInt64] = [UInt64(dimension), UInt64(metric.fileCode), UInt64(keys.count)]
            try IndexFile.typed {
                try keys.withUnsafeBytes { k in
                    try vectors.withUnsafeBytes { v in
                        try IndexFile.write(to: url, kind: .flat, fields: fields,
                                            sections: [.init(name: "keys", bytes: k), .init(name: "vectors", bytes: v)])
                    }
                }
            }
        }
    }

    /// Opens a file written by ``write(to:)`` (memory-mapped, then copied into the index).
    /// A flat index is copied into memory on open, so every section is always checksummed.
    public static func open(_ url: URL) throws(VectorIndexError) -> FlatIndex {
        let file = try MappedIndexFile(path: url.path, names: sectionNames)
        guard file.kind == .flat else { throw .corruptFile(path: url.path, reason: "holds an HNSW index, not a flat one (open it with HNSWIndex or DenseIndex)") }
        return try flat(from: file)
    }

    static func flat(from file: MappedIndexFile) throws(VectorIndexError) -> FlatIndex {
        let f = file.fields
        guard let metric = DistanceMetric(fileCode: UInt32(truncatingIfNeeded: f[1])), f[0] > 0, f[0] < 1 << 20, f[2] < 1 << 40 else {
            throw .corruptFile(path: file.path, reason: "implausible header values")
        }
        let dimension = Int(f[0]), n = Int(f[2])
        guard file.sections[0].length == n * 8, file.sections[1].length == n * dimension * 4 else {
            throw .corruptFile(path: file.path, reason: "section sizes do not match \(n) rows of dimension \(dimension)")
        }
        let index = FlatIndex(dimension: dimension, metric: metric)
        index.keys = Array(UnsafeBufferPointer(start: file.pointer(section: 0).assumingMemoryBound(to: UInt64.self), count: n))
        index.vectors = Array(UnsafeBufferPointer(start: file.pointer(section: 1).assumingMemoryBound(to: Float.self), count: n * dimension))
        index.rowOfKey.reserveCapacity(n)
        for (r, key) in index.keys.enumerated() {
            guard index.rowOfKey.updateValue(r, forKey: key) == nil else {
                throw .corruptFile(path: file.path, reason: "key \(key) appears twice")
            }
        }
        return index
    }
}
