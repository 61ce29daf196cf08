import KoHybrid

/// The distance a Chroma collection's index uses. Chroma's `l2` is the *squared* Euclidean
/// distance, `ip` is 1 − dot product, `cosine` is 1 − cosine similarity.
public enum ChromaSpace: String, Sendable, Codable, CaseIterable {
    case l2, cosine, ip
}

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

/// A record the reader could not carry over, and why.
public struct ChromaSkippedRecord: Sendable, Equatable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}

/// One Chroma collection, fully read: its identity and settings, and every live record in its
/// final state (updates applied, deletes removed), sorted by id.
///
/// ```swift
/// let source = try ChromaSource.open(URL(fileURLWithPath: "chroma-persist"))
/// for summary in try source.collections() {
///     let collection = try source.readCollection(named: summary.name)
///     print(collection.name, collection.configuration.space, collection.records.count)
/// }
/// ```
public struct ChromaCollection: Sendable {
    public var name: String
    /// Chroma's collection UUID (nil for exports, which do not carry it).
    public var id: String?
    /// The user's collection metadata. `hnsw:*` keys are index settings, not user data: they are
    /// read into `configuration` and left out here.
    public var metadata: Metadata
    public var configuration: ChromaIndexConfiguration
    /// Vector length; nil for a collection that was never written.
    public var dimension: Int?
    /// Every live record, sorted by id (UTF-8 byte order, like Chroma's own sort).
    public var records: [Record]
    /// Records that exist in the source but could not be read completely.
    public var skipped: [ChromaSkippedRecord]

    public init(name: String, id: String?, metadata: Metadata, configuration: ChromaIndexConfiguration,
                dimension: Int?, records: [Record], skipped: [ChromaSkippedRecord] = []) {
        self.name = name
        self.id = id
        self.metadata = metadata
        self.configuration = configuration
        self.dimension = dimension
        self.records = records
        self.skipped = skipped
    }
}

/// What `ChromaSource.collections()` lists without reading any record.
public struct ChromaCollectionSummary: Sendable, Equatable {
    public var name: String
    /// Chroma's collection UUID (nil for exports).
    public var id: String?
    /// Nil for a collection that was never written.
    public var dimension: Int?

    public init(name: String, id: String? = nil, dimension: Int? = nil) {
        self.name = name; self.id = id; self.dimension = dimension
    }
}

extension Array where Element == Record {
    /// Sorts by id in UTF-8 byte order (Python's and Chroma's order).
    mutating func sortByID() {
        sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }
}
