import CVectorKernels

/// How two vectors are compared. Every metric is turned into a distance where smaller is closer,
/// following hnswlib's conventions so numbers can be compared with Chroma's:
///
/// - `cosine`: `1 - cos(a, b)`; vectors are L2-normalized once, on insert and per query.
/// - `innerProduct` (`"ip"`): `1 - a·b` on the vectors as given.
/// - `l2`: squared Euclidean distance.
///
/// ```swift
/// let index = HNSWIndex(dimension: 384, metric: .cosine)
/// ```
public enum DistanceMetric: String, Sendable, Codable, CaseIterable {
    case cosine
    case innerProduct = "ip"
    case l2

    /// Whether stored and query vectors are normalized to unit length first.
    var normalizes: Bool { self == .cosine }

    /// The distance between two vectors of length `dimension` (already normalized for cosine).
    @inline(__always)
    func distance(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ dimension: Int) -> Float {
        switch self {
        case .l2: return kh_l2sq(a, b, Int64(dimension))
        case .cosine, .innerProduct: return 1 - kh_dot(a, b, Int64(dimension))
        }
    }

    /// The C body behind ``distance(_:_:_:)`` on this CPU (the dot product for cosine and ip),
    /// for hot loops that fetch it once and call it directly: `distance` is
    /// `isDotProduct ? 1 - kernel(a, b, n) : kernel(a, b, n)`, bit for bit.
    var kernel: kh_kernel { self == .l2 ? kh_l2sq_kernel() : kh_dot_kernel() }

    /// Whether ``kernel`` returns a dot product (turned into the distance `1 - dot`).
    var isDotProduct: Bool { self != .l2 }

    /// A stable small number for index files.
    var fileCode: UInt32 {
        switch self {
        case .cosine: 1
        case .innerProduct: 2
        case .l2: 3
        }
    }

    init?(fileCode: UInt32) {
        switch fileCode {
        case 1: self = .cosine
        case 2: self = .innerProduct
        case 3: self = .l2
        default: return nil
        }
    }
}

extension DistanceMetric {
    /// Checks a vector and returns the form that is stored: normalized for cosine.
    func prepared(_ vector: [Float], key: UInt64?, dimension: Int) throws(VectorIndexError) -> [Float] {
        guard vector.count == dimension else {
            throw .dimensionMismatch(key: key, expected: dimension, actual: vector.count)
        }
        var norm: Float = 0
        for (i, x) in vector.enumerated() {
            guard x.isFinite else { throw .nonFiniteValue(key: key, position: i) }
            norm += x * x
        }
        guard normalizes else { return vector }
        guard norm > 0, norm.isFinite else { throw .zeroVector(key: key) }
        let scale = 1 / norm.squareRoot()
        return vector.map { $0 * scale }
    }

    /// Checks a whole batch before any of it is written, so a bad row leaves an index untouched:
    /// each key once, each vector as ``prepared(_:key:dimension:)`` wants it. Returns the stored
    /// forms in batch order.
    func prepared(batch: [(key: UInt64, vector: [Float])], dimension: Int) throws(VectorIndexError) -> [[Float]] {
        var prepared: [[Float]] = []
        prepared.reserveCapacity(batch.count)
        var seen = Set<UInt64>(minimumCapacity: batch.count)
        for row in batch {
            guard seen.insert(row.key).inserted else { throw .duplicateKeyInBatch(key: row.key) }
            prepared.append(try self.prepared(row.vector, key: row.key, dimension: dimension))
        }
        return prepared
    }
}
