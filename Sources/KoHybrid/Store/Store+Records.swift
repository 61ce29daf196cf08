/// What one upsert batch did.
public struct UpsertSummary: Sendable, Hashable {
    public var inserted: Int
    public var updated: Int
    /// The seq the batch committed as.
    public var seq: Int64

    public init(inserted: Int, updated: Int, seq: Int64) {
        self.inserted = inserted; self.updated = updated; self.seq = seq
    }
}

extension Store {
    /// Inserts or replaces records as one atomic batch: after a crash the whole batch is there
    /// or none of it is. An existing id keeps its key and gets the new document, metadata and
    /// vector in full (no merging). Every record is checked before anything is written.
    ///
    /// With `creatingWith`, a missing collection is created with that configuration in the same
    /// transaction as the records, so a failed or killed first batch leaves no empty collection
    /// behind (an existing collection is written to as it is). In a collection that records an
    /// embedder, records with a document and no vector have the document embedded first (role
    /// `.document`); if that fails nothing is written.
    ///
    /// `progress` is called with the number of rows written so far, from inside the transaction.
    @discardableResult
    public func upsert(_ records: [Record], into collection: String, creatingWith configuration: CollectionConfiguration? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil) async throws(StoreError) -> UpsertSummary {
        try requireWriter()
        try refreshCollectionCache()
        let records = collectionCache[collection] == nil ? records : try await withDocumentVectors(records, in: collection)
        try refreshCollectionCache()
        let found = collectionCache[collection]
        var row: CollectionRow
        if let found {
            row = found.fixingDimension(from: records)
        } else if let configuration {
            try Self.validateNewCollection(collection, configuration: configuration)
            row = CollectionRow(id: 0, name: collection, configuration: configuration, changedSeq: 0).fixingDimension(from: records)
        } else {
            throw .collectionNotFound(name: collection)
        }
        try validate(records, collection: row)
        defer { noteWritten(records.count, collectionID: row.id) }
        return try writeBatch { () throws(StoreError) -> UpsertSummary in
            if found == nil { row.id = try self.records.insertCollection(collection, configuration: row.configuration) }
            let seq = try self.records.nextSeq()
            let updated = try self.records.write(records, collection: row, seq: seq, progress: progress)
            return UpsertSummary(inserted: records.count - updated, updated: updated, seq: seq)
        }
    }

    /// Deletes records by id (unknown ids are ignored); returns how many were deleted.
    @discardableResult
    public func delete(ids: [String], from collection: String) throws(StoreError) -> Int {
        try requireWriter()
        let row = try collectionRow(collection)
        defer { noteWritten(ids.count, collectionID: row.id) }
        return try writeBatch { () throws(StoreError) -> Int in
            let seq = try records.nextSeq()
            let keys = try records.keys(ids: Set(ids), collectionID: row.id)
            try records.deleteKeys(keys, collectionID: row.id, seq: seq)
            return keys.count
        }
    }

    /// Deletes the records matching both filters (a nil filter matches everything); returns how
    /// many were deleted.
    @discardableResult
    public func delete(where filter: Filter?, document: DocumentFilter? = nil, from collection: String) throws(StoreError) -> Int {
        try requireWriter()
        let row = try collectionRow(collection)
        return try writeBatch { () throws(StoreError) -> Int in
            let seq = try records.nextSeq()
            var keys: [Int64] = []
            try records.scan(collectionID: row.id, withVectors: false) { (key, record) throws(StoreError) in
                if try Self.passes(record, filter, document) { keys.append(key) }
                return true
            }
            try records.deleteKeys(keys, collectionID: row.id, seq: seq)
            return keys.count
        }
    }

    /// Records by id, in the order asked (unknown ids are skipped), or with `storedOrder` in the
    /// order they were first stored (Chroma's order for a get by ids).
    public func get(ids: [String], from collection: String, includeEmbeddings: Bool = false,
                    storedOrder: Bool = false) throws(StoreError) -> [Record] {
        let row = try collectionRow(collection)
        // One read transaction, so the records come from one committed state.
        var out = try database.transaction(immediate: false) { () throws(StoreError) in
            try records.records(ids: ids, collectionID: row.id, collection: collection, withVectors: includeEmbeddings)
        }
        if storedOrder { out.sort { $0.key < $1.key } }
        return out.map(\.record)
    }

    /// Records matching the filters (all records when both are nil), in insertion order, after
    /// skipping `offset` and returning at most `limit`.
    public func get(where filter: Filter? = nil, document: DocumentFilter? = nil, limit: Int? = nil, offset: Int = 0,
                    from collection: String, includeEmbeddings: Bool = false) throws(StoreError) -> [Record] {
        let row = try collectionRow(collection)
        guard offset >= 0, (limit ?? 0) >= 0 else { throw .invalidQuery(reason: "limit and offset cannot be negative") }
        var out: [Record] = []
        var skipped = 0
        if limit == 0 { return out }
        try database.transaction(immediate: false) { () throws(StoreError) in
            try records.scan(collectionID: row.id, withVectors: includeEmbeddings) { (_, record) throws(StoreError) in
                guard try Self.passes(record, filter, document) else { return true }
                if skipped < offset { skipped += 1; return true }
                out.append(record)
                return limit.map { out.count < $0 } ?? true
            }
        }
        return out
    }

    // MARK: - Helpers

    /// Whether a record passes both filters (nil passes everything).
    static func passes(_ record: Record, _ filter: Filter?, _ document: DocumentFilter?) throws(StoreError) -> Bool {
        guard filter?.matches(record.metadata) ?? true else { return false }
        do { return try document?.matches(record.document) ?? true } catch { throw .invalidFilter(error) }
    }

    /// Everything a batch is checked for before it is written.
    func validate(_ records: [Record], collection row: CollectionRow) throws(StoreError) {
        try Self.validate(records, collection: row.name, configuration: row.configuration)
    }

    /// Checks records against a collection's rules without writing anything: non-empty ids,
    /// each id once, vectors of the collection's dimension with finite values (and a direction,
    /// for cosine), storable metadata. `upsert` runs the same checks on each batch; a loader
    /// that writes in several batches calls this on all its records first, so a bad record
    /// anywhere stops it before the first batch is written.
    ///
    /// ```swift
    /// try Store.validate(records, collection: "shops", configuration: .init(dimension: 384))
    /// ```
    public static func validate(_ records: [Record], collection: String, configuration: CollectionConfiguration) throws(StoreError) {
        var seen = Set<String>()
        seen.reserveCapacity(records.count)
        for record in records {
            let fail = { (reason: String) -> StoreError in .invalidRecord(collection: collection, id: record.id, reason: reason) }
            guard !record.id.isEmpty else { throw fail("an id cannot be empty") }
            guard seen.insert(record.id).inserted else { throw fail("the id appears more than once among the records written together") }
            if let vector = record.embedding {
                guard vector.count == configuration.dimension else {
                    throw .dimensionMismatch(collection: collection, id: record.id, expected: configuration.dimension, got: vector.count)
                }
                if let bad = vector.firstIndex(where: { !$0.isFinite }) {
                    throw fail("vector value \(bad) is \(vector[bad]); only finite values can be stored")
                }
                if configuration.metric == .cosine, !vector.contains(where: { $0 != 0 }) {
                    throw fail("an all-zero vector has no cosine direction")
                }
            }
            for (key, value) in record.metadata {
                try Self.validate(value, key: key) { reason throws(StoreError) in fail(reason) }
            }
        }
    }
}
