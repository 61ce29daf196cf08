/// Which side of retrieval a text is on. Asymmetric models (e5, BGE, Voyage, Jina, NIM) embed
/// queries and documents differently, so every call says which it is.
public enum EmbeddingRole: String, Sendable, Hashable, Codable, CaseIterable {
    case query
    case document
}
