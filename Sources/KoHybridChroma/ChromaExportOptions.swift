/// How to read exports, which carry less than a persisted directory: no collection name (except
/// `kohybrid export` lines), no distance space, and (for `cdp export --format jsonl`)
/// user-chosen field names.
public struct ChromaExportOptions: Sendable, Equatable {
    /// Collection name for exports that carry none; default: the file name without extension.
    public var collectionName: String?
    /// The distance space the vectors were indexed with; exports do not record it.
    public var space: ChromaSpace
    /// Field names of flat JSON lines (`cdp export --format jsonl` and its `--id-feature`,
    /// `--doc-feature`, `--embed-feature`); every other field is metadata.
    public var idField: String
    public var documentField: String
    public var embeddingField: String

    public init(collectionName: String? = nil, space: ChromaSpace = .l2, idField: String = "id",
                documentField: String = "text_chunk", embeddingField: String = "embedding") {
        self.collectionName = collectionName
        self.space = space
        self.idField = idField
        self.documentField = documentField
        self.embeddingField = embeddingField
    }
}
