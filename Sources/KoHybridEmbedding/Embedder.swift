/// Turns texts into float32 vectors of one fixed dimension.
///
/// ```swift
/// let embedder = try OpenAICompatibleEmbedder(configuration: .init(url: "http://127.0.0.1:8080/v1", model: "e5"))
/// let vectors = try await embedder.embed(["강남 오마카세 런치"], role: .query)   // [[Float]], one per text
/// ```
///
/// Conformers return exactly one vector per text, in order, all of the same length and finite.
public protocol Embedder: Sendable {
    /// What determines the vectors made for `role` (model, role convention, dimension), as a
    /// stable string. Two embedders with equal identities make equal vectors, so a cache may
    /// serve one's vectors to the other. The endpoint and the API key are not part of it.
    func vectorIdentity(for role: EmbeddingRole) -> String

    /// One vector per text, in the order given.
    func embed(_ texts: [String], role: EmbeddingRole) async throws(EmbeddingError) -> [[Float]]
}
