/// The distance a Chroma collection's index uses. Chroma's `l2` is the *squared* Euclidean
/// distance, `ip` is 1 − dot product, `cosine` is 1 − cosine similarity.
public enum ChromaSpace: String, Sendable, Codable, CaseIterable {
    case l2, cosine, ip
}
