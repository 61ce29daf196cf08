// TEMPORARY: stand-ins for the sparse/dense engine types until those branches are merged.
public enum DistanceMetric: String, Sendable, Codable, CaseIterable { case cosine; case innerProduct = "ip"; case l2 }
public struct HNSWParameters: Sendable, Hashable, Codable {
    public var m = 16, efConstruction = 200, efSearch = 64
    public var seed: UInt64 = 1
    public init() {}
}
public struct BM25Parameters: Sendable, Hashable, Codable {
    public var k1: Float = 1.2, b: Float = 0.75
    public init() {}
}
public enum AnalyzerPreset: String, Sendable, Codable, CaseIterable { case korean }
