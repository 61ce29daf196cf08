import KoHybrid

/// A collection's vector-index settings as Chroma recorded them.
public struct ChromaIndexConfiguration: Sendable, Equatable {
    /// The space the index really used (see `spaceSource` for where it was found).
    public var space: ChromaSpace
    /// Where `space` came from: `segment_metadata`, `schema_str`, `config_json_str`,
    /// `collection_metadata`, `default`, or `export` (exports carry no space; l2 is assumed
    /// unless the caller says otherwise). chromadb 1.x reports `l2` for cosine collections created
    /// by 0.x, so the legacy segment metadata is checked first.
    public var spaceSource: String
    /// HNSW graph degree (`hnsw:M`, `max_neighbors`), if recorded.
    public var m: Int?
    /// HNSW build beam width (`hnsw:construction_ef`, `ef_construction`), if recorded.
    public var efConstruction: Int?
    /// HNSW search beam width (`hnsw:search_ef`, `ef_search`), if recorded.
    public var efSearch: Int?

    public init(space: ChromaSpace, spaceSource: String, m: Int? = nil, efConstruction: Int? = nil, efSearch: Int? = nil) {
        self.space = space
        self.spaceSource = spaceSource
        self.m = m
        self.efConstruction = efConstruction
        self.efSearch = efSearch
    }
}
