/// The knobs of an HNSW graph (Malkov & Yashunin 2018).
///
/// - `m`: links per node on the upper layers; layer 0 keeps `2 * m`.
/// - `efConstruction`: candidate-list size while inserting (quality of the graph vs. build time).
/// - `efSearch`: default candidate-list size per query (recall vs. speed); a query may override it.
/// - `seed`: seeds the level generator, so a single-threaded build is reproducible.
///
/// ```swift
/// let index = HNSWIndex(dimension: 768, metric: .cosine, parameters: .init(m: 32, efSearch: 128))
/// ```
public struct HNSWParameters: Sendable, Hashable, Codable {
    public var m = 16
    public var efConstruction = 200
    public var efSearch = 64
    public var seed: UInt64 = 1

    public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 1) {
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
        self.seed = seed
    }

    /// The same values clamped to what the graph supports (m in 2...255, ef at least 1).
    var sanitized: HNSWParameters {
        HNSWParameters(m: min(max(m, 2), 255), efConstruction: max(efConstruction, 1),
                       efSearch: max(efSearch, 1), seed: seed)
    }
}
