/// One stored item: an id unique within its collection, the document text that feeds BM25,
/// typed metadata for filters, and the vector that feeds the dense index.
public struct Record: Sendable, Hashable {
    public var id: String
    public var document: String?
    public var metadata: Metadata
    public var embedding: [Float]?

    public init(id: String, document: String? = nil, metadata: Metadata = [:], embedding: [Float]? = nil) {
        self.id = id
        self.document = document
        self.metadata = metadata
        self.embedding = embedding
    }
}
