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
            let present = Set(try self.records.existingIDs(records.map(\.id), collectionID: row.id))
            let fresh = records.filter { !present.contains($0.id) }
            let skipped = records.map(\.id).filter(present.contains)
            guard !fresh.isEmpty else { return WriteSummary(written: 0, skipped: skipped, seq: nil) }
            let seq = try self.records.nextSeq()
            _ = try self.records.write(fresh, collection: row.fixingDimension(from: fresh), seq: seq)
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
            var byID: [String: Record] = [:]
            for (_, record) in try records.records(ids: updates.map(\.id), collectionID: row.id, collection: collection, withVectors: true) {
                byID[record.id] = record
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
            let seq = try records.nextSeq()
            _ = try records.write(merged, collection: fixed, seq: seq)
            return WriteSummary(written: merged.count, skipped: skipped, seq: seq)
        }
    }
}
