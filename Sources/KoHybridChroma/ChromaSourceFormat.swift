/// What a source is.
public enum ChromaSourceFormat: Sendable, Equatable {
    /// A `PersistentClient` directory (`chroma.sqlite3` plus one folder per vector segment).
    case persistedDirectory(ChromaSchemaFamily)
    /// `collection.get(include=[...])` dumped with `json.dump`: one JSON object of parallel arrays.
    case getExport
    /// One JSON object per line: `cdp export` (record or flat shape, also its `--out` bytes-literal
    /// lines) or `kohybrid export`.
    case jsonLines
}
