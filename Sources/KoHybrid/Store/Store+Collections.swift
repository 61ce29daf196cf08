import Foundation

/// A collection row as read from the database.
struct CollectionRow: Sendable {
    var id: Int64
    var name: String
    var configuration: CollectionConfiguration
    /// The seq of the last batch that changed this collection's records.
    var changedSeq: Int64
    /// Set by `fixingDimension(from:)` when a write batch is the first to bring vectors.
    var dimensionFixedByBatch = false
    /// The store state this row was read at: what the collection's indexes are brought to.
    var readAt = StateBinding(generation: 0, seq: 0, commit: 0)

    /// The row as a batch sees it: an open dimension (0) takes the first vector's length,
    /// which `Store.write` then records with the batch.
    func fixingDimension(from records: [Record]) -> CollectionRow {
        guard configuration.dimension == 0,
              let first = records.lazy.compactMap(\.embedding).first(where: { !$0.isEmpty }) else { return self }
        var row = self
        row.configuration.dimension = first.count
        row.dimensionFixedByBatch = true
        return row
    }
}

extension Store {
    /// Creates a collection. Names are free text (no control characters, at most 256 bytes), so
    /// `<category>.examples` and Korean names work.
    @discardableResult
    public func createCollection(_ name: String, configuration: CollectionConfiguration) throws(StoreError) -> CollectionInfo {
        try requireWriter()
        try Self.validateNewCollection(name, configuration: configuration)
        let id = try writeBatch { () throws(StoreError) -> Int64 in
            try records.insertCollection(name, configuration: configuration)
        }
        return CollectionInfo(id: id, name: name, configuration: configuration, count: 0)
    }

    /// The checks on a collection's name and configuration before it is created.
    static func validateNewCollection(_ name: String, configuration: CollectionConfiguration) throws(StoreError) {
        try validateName(name)
        try configuration.validate(name: name)
        for (key, value) in configuration.metadata {
            try validate(value, key: key) { reason throws(StoreError) in StoreError.invalidCollection(name: name, reason: reason) }
        }
    }

    /// Every collection, by name.
    public func collections() throws(StoreError) -> [CollectionInfo] {
        try requireOpen()
        try refreshCollectionCache()
        var out: [CollectionInfo] = []
        for row in collectionCache.values.sorted(by: { $0.name < $1.name }) {
            out.append(CollectionInfo(id: row.id, name: row.name, configuration: row.configuration, count: try records.count(collectionID: row.id)))
        }
        return out
    }

    /// One collection by name.
    public func collection(named name: String) throws(StoreError) -> CollectionInfo {
        let row = try collectionRow(name)
        return CollectionInfo(id: row.id, name: name, configuration: row.configuration, count: try records.count(collectionID: row.id))
    }

    /// Renames a collection and/or replaces its metadata (the whole object, as Chroma's
    /// `modify` does); the records, their indexes and the engine settings stay as they are.
    @discardableResult
    public func modifyCollection(_ name: String, newName: String? = nil, metadata: Metadata? = nil) throws(StoreError) -> CollectionInfo {
        try requireWriter()
        let row = try collectionRow(name)
        let target = newName ?? name
        if newName != nil { try Self.validateName(target) }
        for (key, value) in metadata ?? [:] {
            try Self.validate(value, key: key) { reason throws(StoreError) in StoreError.invalidCollection(name: name, reason: reason) }
        }
        try writeBatch { () throws(StoreError) in
            if target != name, try records.collectionID(named: target) != nil {
                throw .collectionExists(name: target)
            }
            _ = try records.nextSeq()
            try database.prepare("UPDATE collections SET name = ?2, metadata = ?3 WHERE id = ?1")
                .run(.int(row.id), .text(target), .text(MetadataCodec.encode(metadata ?? row.configuration.metadata)))
        }
        collectionCache[name] = nil
        return try collection(named: target)
    }

    /// One collection by the store's number for it (`CollectionInfo.id`). Counting its records
    /// reads the whole key index; `counting: false` skips that (and reports a count of 0) for
    /// callers that only resolve the number, such as the server on every request.
    public func collection(id: Int64, counting: Bool = true) throws(StoreError) -> CollectionInfo {
        try requireOpen()
        try refreshCollectionCache()
        guard let row = collectionCache.values.first(where: { $0.id == id }) else { throw .collectionNotFound(name: "#\(id)") }
        return CollectionInfo(id: row.id, name: row.name, configuration: row.configuration,
                              count: counting ? try records.count(collectionID: row.id) : 0)
    }

    /// A collection's configuration, without counting its records.
    public func configuration(of name: String) throws(StoreError) -> CollectionConfiguration {
        try collectionRow(name).configuration
    }

    /// Deletes a collection, its records and its index snapshots.
    public func deleteCollection(_ name: String) throws(StoreError) {
        try requireWriter()
        let row = try collectionRow(name)
        try writeBatch { () throws(StoreError) in
            _ = try records.nextSeq()
            try records.deleteCollection(id: row.id)
        }
        indexManager.drop(collectionID: row.id)
        collectionCache[name] = nil
        // Snapshots are derived data: a leftover directory is harmless (ids are never reused).
        try? FileManager.default.removeItem(at: IndexSnapshot.directory(root: indexManager.root, collectionID: row.id))
    }

    /// Live records in a collection.
    public func count(in name: String) throws(StoreError) -> Int {
        try records.count(collectionID: try collectionRow(name).id)
    }

    /// The collection's row, from a cache that is re-read whenever another batch has committed.
    func collectionRow(_ name: String) throws(StoreError) -> CollectionRow {
        try requireOpen()
        try refreshCollectionCache()
        guard let row = collectionCache[name] else { throw .collectionNotFound(name: name) }
        return row
    }

    func refreshCollectionCache() throws(StoreError) {
        let state = try records.storeState()
        if state.generation != knownGeneration {
            // Restored from a backup: every key may now name a different record.
            indexManager.dropAll()
            collectionCacheState.seq = -1
            knownGeneration = state.generation
        }
        // A new seq, or the same seq reached by other batches (a replaced database file): the
        // loaded indexes are checked against the new state when next used.
        guard state != collectionCacheState else { return }
        collectionCache = try records.collectionRows().mapValues { row in
            var row = row
            row.readAt = state
            return row
        }
        collectionCacheState = state
    }

    static func validateName(_ name: String) throws(StoreError) {
        guard !name.isEmpty, name.utf8.count <= 256 else {
            throw .invalidCollection(name: name, reason: "a name has 1 to 256 bytes")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidCollection(name: name, reason: "a name cannot contain control characters")
        }
    }

    /// Checks what Swift code (not JSON) can build but a store must not hold: empty lists,
    /// empty keys, non-finite floats.
    static func validate(_ value: MetadataValue, key: String, error: (String) throws(StoreError) -> StoreError) throws(StoreError) {
        guard !key.isEmpty else { throw try error("a metadata key cannot be empty") }
        switch value {
        case .double(let d) where !d.isFinite:
            throw try error("metadata \"\(key)\" is \(d); only finite floats can be stored")
        case .doubleList(let l) where l.contains(where: { !$0.isFinite }):
            throw try error("metadata \"\(key)\" holds a non-finite float")
        case .stringList([]), .intList([]), .doubleList([]), .boolList([]):
            throw try error("metadata \"\(key)\" is an empty list (it has no element type)")
        default: return
        }
    }
}
