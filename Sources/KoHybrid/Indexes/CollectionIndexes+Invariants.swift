/// A broken promise between a collection's records and its derived indexes.
struct IndexInvariantError: Error, CustomStringConvertible {
    var description: String
}

extension Store {
    /// Checks that the collection's indexes hold exactly its records (tests call this after
    /// writes, crashes and snapshot loss): every record is in BM25, every record with a vector
    /// is in the dense index and nothing else is, and the dense index's own invariants hold.
    func checkIndexInvariants(_ collection: String) throws {
        let row = try collectionRow(collection)
        try verifyIndexes(try indexes(for: row), collectionID: row.id)
    }

    /// The checks of `checkIndexInvariants` on given indexes (also used by `check()`).
    func verifyIndexes(_ indexes: CollectionIndexes, collectionID: Int64) throws {
        try indexes.searcher.withIndexes { (sparse, dense) throws in
            var records = 0, vectors = 0
            let stmt = try database.prepare("SELECT key, id, vector IS NOT NULL FROM records WHERE collection_id = ?1")
            defer { stmt.reset() }
            try stmt.bind([.int(collectionID)])
            while try stmt.step() {
                let key = UInt64(stmt.int(0)), id = stmt.text(1) ?? ""
                let hasVector = stmt.int(2) != 0
                records += 1
                if hasVector { vectors += 1 }
                guard sparse.contains(key: key) else { throw IndexInvariantError(description: "record \(id) (key \(key)) is missing from BM25") }
                guard dense.contains(key: key) == hasVector else {
                    throw IndexInvariantError(description: "record \(id) (key \(key)): dense index membership \(!hasVector), vector \(hasVector)")
                }
            }
            guard sparse.count == records else { throw IndexInvariantError(description: "BM25 holds \(sparse.count) documents, the collection \(records)") }
            guard dense.count == vectors else { throw IndexInvariantError(description: "the dense index holds \(dense.count) vectors, the collection \(vectors)") }
            try dense.checkInvariants()
        }
        let records = try self.records.count(collectionID: collectionID)
        if let cache = indexes.filterCache, cache.entries.count != records {
            throw IndexInvariantError(description: "the filter cache holds \(cache.entries.count) records, the collection \(records)")
        }
    }
}
