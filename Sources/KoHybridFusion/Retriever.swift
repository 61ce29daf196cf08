/// The retrievers a hybrid search fuses. Lists, contributions and weights are keyed by it, never
/// by position ("dense first") or by a string.
///
/// ```swift
/// let fusion = Fusion.reciprocalRank(k: 60, weights: [.dense: 1, .sparse: 0.5])
/// ```
public enum Retriever: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable, Comparable {
    /// Vector search (flat or HNSW) over the collection's embeddings.
    case dense
    /// BM25 over the analyzed documents.
    case sparse

    public static func < (a: Retriever, b: Retriever) -> Bool { a.order < b.order }

    private var order: Int { self == .dense ? 0 : 1 }
}

/// A weight per retriever; a retriever without one weighs 1.
public typealias RetrieverWeights = [Retriever: Double]
