import Foundation

/// The index a collection should hold: exact ``FlatIndex`` search while the collection is small,
/// switching once to an ``HNSWIndex`` when it grows past ``flatLimit`` records (and staying there).
///
/// Below the limit an exact scan is about as fast as a graph walk, needs no build, and is never
/// wrong; the default limit comes from `kohybrid bench ann` (see Evaluation/ann/README.md).
///
/// ```swift
/// let index = DenseIndex(dimension: 384, metric: .cosine)      // flat up to 2,000 records
/// try index.upsert(batch: rows, threads: 2)
/// let hits = index.search(query, k: 10, filter: VectorFilter(keys: allowed))
/// ```
public final class DenseIndex: VectorIndex, @unchecked Sendable {
    /// Collections up to this size are searched exactly.
    public static let defaultFlatLimit = 2_000

    public let dimension: Int
    public let metric: DistanceMetric
    public let parameters: HNSWParameters
    public let flatLimit: Int

    /// Which index currently holds the records.
    public enum Backing: Sendable {
        case flat(FlatIndex)
        case hnsw(HNSWIndex)
    }

    private let lock = ReadWriteLock()
    private var _backing: Backing

    public init(dimension: Int, metric: DistanceMetric = .cosine, parameters: HNSWParameters = HNSWParameters(),
                flatLimit: Int = DenseIndex.defaultFlatLimit) {
        self.dimension = max(dimension, 1)
        self.metric = metric
        self.parameters = parameters.sanitized
        self.flatLimit = flatLimit
        _backing = flatLimit > 0 ? .flat(FlatIndex(dimension: dimension, metric: metric))
            : .hnsw(HNSWIndex(dimension: dimension, metric: metric, parameters: parameters))
    }

    init(backing: Backing, parameters: HNSWParameters, flatLimit: Int) {
        _backing = backing
        self.parameters = parameters
        self.flatLimit = flatLimit
        switch backing {
        case .flat(let f): dimension = f.dimension; metric = f.metric
        case .hnsw(let h): dimension = h.dimension; metric = h.metric
        }
    }

    public var backing: Backing { lock.read { _backing } }

    private var current: any VectorIndex {
        lock.read {
            switch _backing {
            case .flat(let f): f
            case .hnsw(let h): h
            }
        }
    }

    public var count: Int { current.count }
    public func contains(key: UInt64) -> Bool { current.contains(key: key) }
    @discardableResult public func remove(key: UInt64) -> Bool { lock.write { index(of: _backing).remove(key: key) } }

    public func search(_ query: [Float], k: Int, ef: Int?, filter: VectorFilter?) -> [VectorHit] {
        lock.read { index(of: _backing).search(query, k: k, ef: ef, filter: filter) }
    }

    public func upsert(key: UInt64, vector: [Float]) throws(VectorIndexError) {
        try upsert(batch: [(key: key, vector: vector)], threads: 1)
    }

    public func upsert(batch: [(key: UInt64, vector: [Float])], threads: Int) throws(VectorIndexError) {
        try lock.write { () throws(VectorIndexError) in
            switch _backing {
            case .hnsw(let h):
                try h.upsert(batch: batch, threads: threads)
            case .flat(let f):
                try f.upsert(batch: batch, threads: threads)
                guard f.count > flatLimit else { return }
                // Outgrown: build the graph once from the stored (already prepared) vectors.
                let graph = HNSWIndex(dimension: dimension, metric: metric, parameters: parameters)
                try graph.upsert(batch: f.allRows(), threads: max(threads, 1))
                _backing = .hnsw(graph)
            }
        }
    }

    public func write(to url: URL) throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in try index(of: _backing).write(to: url) }
    }

    /// Opens a file written by any of the indexes, keeping whichever kind it holds.
    public static func open(_ url: URL, parameters: HNSWParameters = HNSWParameters(),
                            flatLimit: Int = DenseIndex.defaultFlatLimit, verification: FileVerification = .metadata) throws(VectorIndexError) -> DenseIndex {
        let flat = try kind(of: url) == .flat
        let file = try MappedIndexFile(path: url.path, names: flat ? FlatIndex.sectionNames : HNSWIndex.sectionNames,
                                       verify: { flat || verification == .full || $0 != 0 })
        switch file.kind {
        case .flat:
            return DenseIndex(backing: .flat(try FlatIndex.flat(from: file)), parameters: parameters, flatLimit: flatLimit)
        case .hnsw:
            let graph = try HNSWIndex.graph(from: file)
            return DenseIndex(backing: .hnsw(HNSWIndex(graph: graph)), parameters: graph.parameters, flatLimit: flatLimit)
        }
    }

    public func checkInvariants() throws(VectorIndexError) {
        try lock.read { () throws(VectorIndexError) in try index(of: _backing).checkInvariants() }
    }

    private func index(of backing: Backing) -> any VectorIndex {
        switch backing {
        case .flat(let f): f
        case .hnsw(let h): h
        }
    }

    /// A digest of a file written by any of the indexes (its header checksum, which covers
    /// every section's checksum), read from the header alone; nil when the file is unreadable.
    public static func storedChecksum(_ url: URL) -> UInt64? { IndexFile.storedChecksum(url) }

    /// The kind recorded in a file's header (read without mapping the whole file).
    static func kind(of url: URL) throws(VectorIndexError) -> IndexFile.Kind {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw .io(path: url.path, reason: "cannot open") }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 16)
        guard head.count == 16, Array(head.prefix(8)) == IndexFile.magic else {
            throw .corruptFile(path: url.path, reason: "bad magic (not a KoHybrid vector index)")
        }
        let raw = head.subdata(in: 12 ..< 16).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        guard let kind = IndexFile.Kind(rawValue: UInt32(littleEndian: raw)) else {
            throw .corruptFile(path: url.path, reason: "unknown index kind \(raw)")
        }
        return kind
    }
}
