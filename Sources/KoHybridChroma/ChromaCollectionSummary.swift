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
