/// A partial change to a stored record, for `Store.update(_:in:)`: fields left `nil` keep their
/// stored value, metadata keys are merged (Chroma's `update` semantics).
///
/// ```swift
/// // Keeps the document and vector; sets "rating", deletes "draft", keeps every other key.
/// try await store.update([RecordUpdate(id: "ex-1", metadata: ["rating": .int(5), "draft": nil])],
///                        in: "omakase.examples")
/// ```
public struct RecordUpdate: Sendable, Hashable {
    public var id: String
    /// A new document, or `nil` to keep the stored one.
    public var document: String?
    /// Keys to set; a key mapped to `nil` is removed. `nil` keeps the stored metadata whole.
    public var metadata: [String: MetadataValue?]?
    /// A new vector, or `nil` to keep the stored one.
    public var embedding: [Float]?

    public init(id: String, document: String? = nil, metadata: [String: MetadataValue?]? = nil, embedding: [Float]? = nil) {
        self.id = id
        self.document = document
        self.metadata = metadata
        self.embedding = embedding
    }

    /// The record this update makes when its id is new (`add`, or `update` inserting missing ids).
    public var newRecord: Record {
        Record(id: id, document: document, metadata: (metadata ?? [:]).compactMapValues { $0 }, embedding: embedding)
    }

    /// The stored record with this update applied.
    func applied(to record: Record) -> Record {
        var merged = record
        if let document { merged.document = document }
        if let embedding { merged.embedding = embedding }
        for (key, value) in metadata ?? [:] { merged.metadata[key] = value }
        return merged
    }
}
