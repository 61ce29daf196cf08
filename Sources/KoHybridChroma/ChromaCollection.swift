import KoHybrid

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

extension Array where Element == Record {
    /// Sorts by id in UTF-8 byte order (Python's and Chroma's order).
    mutating func sortByID() {
        sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }
}
