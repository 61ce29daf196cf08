/// How vectors travel in a response: JSON numbers (the default, nothing sent) or base64 of
/// little-endian float32 (`encoding_format: "base64"`, about 4x smaller).
public enum EmbeddingEncoding: String, Sendable, Hashable, Codable, CaseIterable {
    case float
    case base64
}
