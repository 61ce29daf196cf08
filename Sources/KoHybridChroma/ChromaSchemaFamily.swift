/// The generations of Chroma's on-disk layout, told apart by the tables and columns present
/// (see `ChromaPersistedDirectory.detectFamily`), not by version strings.
public enum ChromaSchemaFamily: String, Sendable, Equatable {
    /// chromadb 0.4.x: `topic` columns, BLOB sequence ids, queue never purged.
    case v0_4 = "chromadb 0.4"
    /// chromadb 0.5.x and 0.6.x: `config_json_str`, `bool_value`, queue purged after flushes.
    case v0_5 = "chromadb 0.5–0.6"
    /// chromadb 1.0–1.2 (Rust core): INTEGER sequence ids, `acquire_write`.
    case v1_0 = "chromadb 1.0–1.2"
    /// chromadb 1.3 and later (`schema_str`; list metadata from 1.5), up to 1.5.9.
    case v1_3 = "chromadb 1.3–1.5"
}
