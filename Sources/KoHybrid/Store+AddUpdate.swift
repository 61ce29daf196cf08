/// What `add` or `update` did with a batch.
public struct WriteSummary: Sendable, Hashable {
    /// Records written.
    public var written: Int
    /// Ids left alone: already present for `add`, unknown for `update`.
    public var skipped: [String]
    /// The seq the batch committed as (nil when nothing was written).
    public var seq: Int64?

    public init(written: Int, skipped: [String], seq: Int64? = nil) {
        self.written = written; self.skipped = skipped; self.seq = seq
    }
}

extension Store {
    /// Inserts the records whose ids are new and leaves existing ones untouched (Chroma's `add`),
    /// as one atomic batch. Every record is checked before anything is written; in a collection
    /// that records an embedder, documents without vectors are embedded first.
    @discardableResult
    public func add(_ records: [Record], into collection: String) async throws(StoreError) -> WriteSummary {
        try requireWriter()
        let records = try await withDocumentVectors(records, in: collection)
        let row = try collectionRow(collection).fixingDimension(from: records)
        try validate(records, collection: row)
        return try writeBatch { () throws(StoreError) -> WriteSummary in
            // Decided inside the write transaction, so another writer's batch cannot slip between.
            let present = Set(try existingIDs(records.map(\.id), collectionID: row.id))
            let fresh = records.filter { !present.contains($0.id) }
            let skipped = records.map(\.id).filter(present.contains)
            guard !fresh.isEmpty else { return WriteSummary(written: 0, skipped: skipped, seq: nil) }
            let seq = try nextSeq()
            _ = try write(fresh, collection: row.fixingDimension(from: fresh), seq: seq)
            return WriteSummary(written: fresh.count, skipped: skipped, seq: seq)
        }
    }

    /// Changes stored records in place (Chroma's `update`): documents and vectors given replace
    /// the stored ones, metadata is merged key by key, unknown ids are skipped — or, with
    /// `insertingMissing` (Chroma's `upsert`), inserted as new records. One atomic batch; every
    /// resulting record is checked before anything is written. In a collection that records an
    /// embedder, a new document sent without a vector is embedded, so vector and text agree.
    @discardableResult
    public func update(_ updates: [RecordUpdate], in collection: String, insertingMissing: Bool = false) async throws(StoreError) -> WriteSummary {
        try requireWriter()
        var updates = updates
        let needing = updates.indices.filter { updates[$0].embedding == nil && !(updates[$0].document ?? "").isEmpty }
        if !needing.isEmpty, try collectionRow(collection).configuration.embedder != nil {
            let vectors = try await embed(needing.map { updates[$0].document ?? "" }, role: .document, for: collection)
            for (i, vector) in zip(needing, vectors) { updates[i].embedding = vector }
        }
        var seen = Set<String>()
        for update in updates where !seen.insert(update.id).inserted {
            throw .invalidRecord(collection: collection, id: update.id, reason: "the id appears twice in one batch")
        }
        let row = try collectionRow(collection)
        return try writeBatch { () throws(StoreError) -> WriteSummary in
            let read = try database.prepare("SELECT id, document, metadata, vector FROM records WHERE collection_id = ?1 AND id = ?2")
            var byID: [String: Record] = [:]
            for update in updates {
                try read.bind([.int(row.id), .text(update.id)])
                if try read.step() { byID[update.id] = try Self.record(read, column: 0, collection: collection) }
                read.reset()
            }
            var merged: [Record] = []
            var skipped: [String] = []
            for update in updates {
                if let record = byID[update.id] {
                    merged.append(update.applied(to: record))
                } else if insertingMissing {
                    merged.append(update.newRecord)
                } else {
                    skipped.append(update.id)
                }
            }
            let fixed = row.fixingDimension(from: merged)
            try validate(merged, collection: fixed)
            guard !merged.isEmpty else { return WriteSummary(written: 0, skipped: skipped, seq: nil) }
            let seq = try nextSeq()
            _ = try write(merged, collection: fixed, seq: seq)
            return WriteSummary(written: merged.count, skipped: skipped, seq: seq)
        }
    }

    /// The ids among `ids` that the collection holds.
    func existingIDs(_ ids: [String], collectionID: Int64) throws(StoreError) -> [String] {
        let stmt = try database.prepare("SELECT 1 FROM records WHERE collection_id = ?1 AND id = ?2")
        var found: [String] = []
        for id in ids {
            try stmt.bind([.int(collectionID), .text(id)])
            if try stmt.step() { found.append(id) }
            stmt.reset()
        }
        return found
    }
}
