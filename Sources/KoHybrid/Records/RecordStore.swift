import KoHybridSQLite
import Foundation

/// The store's records in SQLite, the source of truth: collections, records, tombstones and the
/// commit log, read and written through one connection (`StoreSchema` has the layout, the
/// journal mode and why). It knows nothing of indexes, locks between processes or caches; the
/// `Store` actor that owns it runs every call on its own thread, never two at once.
final class RecordStore {
    let database: StoreDatabase
    /// Whether the database has the `commits` table (stores made by older builds may not).
    private var hasCommitLog: Bool

    init(database: StoreDatabase) throws(StoreError) {
        self.database = database
        hasCommitLog = try Self.hasCommitLog(database)
    }

    var isOpen: Bool { database.handle != nil }

    private static func hasCommitLog(_ db: StoreDatabase) throws(StoreError) -> Bool {
        try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'commits'") == 1
    }

    // MARK: - Store state

    /// The store's state now (generation, seq and the commit token of that seq) in one read.
    func storeState() throws(StoreError) -> StateBinding {
        if !hasCommitLog { hasCommitLog = try Self.hasCommitLog(database) }
        let head = hasCommitLog ? "(SELECT token FROM commits ORDER BY seq DESC LIMIT 1)" : "0"
        let stmt = try database.prepare(
            "SELECT max(CASE name WHEN 'seq' THEN value END), max(CASE name WHEN 'generation' THEN value END), \(head) FROM store_info")
        defer { stmt.reset() }
        guard try stmt.step() else { return StateBinding(generation: 0, seq: 0, commit: 0) }
        return StateBinding(generation: stmt.int(1), seq: stmt.int(0), commit: stmt.isNull(2) ? 0 : stmt.int(2))
    }

    /// The state the database was in when it reached `seq`, or nil when it has not reached it.
    /// Stores older than the commit log have token 0 for the seqs before it.
    func state(at seq: Int64) throws(StoreError) -> StateBinding? {
        let commit = hasCommitLog ? "(SELECT token FROM commits WHERE seq <= ?1 ORDER BY seq DESC LIMIT 1)" : "?1 * 0"
        let stmt = try database.prepare(
            "SELECT max(CASE name WHEN 'seq' THEN value END), max(CASE name WHEN 'generation' THEN value END), \(commit) FROM store_info")
        defer { stmt.reset() }
        try stmt.bind([.int(seq)])
        guard try stmt.step(), stmt.int(0) >= seq else { return nil }
        return StateBinding(generation: stmt.int(1), seq: seq, commit: stmt.isNull(2) ? 0 : stmt.int(2))
    }

    /// The store-wide sequence number of the last committed write batch.
    func currentSeq() throws(StoreError) -> Int64 {
        try database.scalarInt("SELECT value FROM store_info WHERE name = 'seq'") ?? 0
    }

    /// Takes the next seq inside a write transaction, with a fresh commit token (see `StoreSchema`).
    func nextSeq() throws(StoreError) -> Int64 {
        try database.prepare("UPDATE store_info SET value = value + 1 WHERE name = 'seq'").run()
        let seq = try currentSeq()
        try database.prepare("INSERT OR REPLACE INTO commits(seq, token) VALUES (?1, abs(random()))").run(.int(seq))
        return seq
    }

    // MARK: - Collections

    /// Every collection row, by name.
    func collectionRows() throws(StoreError) -> [String: CollectionRow] {
        var rows: [String: CollectionRow] = [:]
        let stmt = try database.prepare("SELECT id, name, configuration, metadata, changed_seq FROM collections")
        defer { stmt.reset() }
        while try stmt.step() {
            let name = stmt.text(1) ?? ""
            let metadata: Metadata
            do { metadata = try MetadataCodec.decode(stmt.text(3) ?? "{}", path: "metadata") } catch {
                throw .invalidCollection(name: name, reason: error.description)
            }
            let configuration = try CollectionConfiguration(storedJSON: stmt.text(2) ?? "", metadata: metadata, name: name)
            rows[name] = CollectionRow(id: stmt.int(0), name: name, configuration: configuration, changedSeq: stmt.int(4))
        }
        return rows
    }

    /// Inserts a collection row inside the caller's write transaction; returns its id.
    func insertCollection(_ name: String, configuration: CollectionConfiguration) throws(StoreError) -> Int64 {
        guard try collectionID(named: name) == nil else { throw .collectionExists(name: name) }
        let seq = try nextSeq()
        try database.prepare("INSERT INTO collections(name, configuration, metadata, changed_seq) VALUES (?1, ?2, ?3, ?4)")
            .run(.text(name), .text(configuration.storedJSON), .text(MetadataCodec.encode(configuration.metadata)), .int(seq))
        return database.lastInsertRowID
    }

    func collectionID(named name: String) throws(StoreError) -> Int64? {
        try database.scalarInt("SELECT id FROM collections WHERE name = ?1", .text(name))
    }

    /// Live records in a collection.
    func count(collectionID: Int64) throws(StoreError) -> Int {
        Int(try database.scalarInt("SELECT count(*) FROM records WHERE collection_id = ?1", .int(collectionID)) ?? 0)
    }

    func markChanged(_ collectionID: Int64, seq: Int64) throws(StoreError) {
        try database.prepare("UPDATE collections SET changed_seq = ?2 WHERE id = ?1").run(.int(collectionID), .int(seq))
    }

    // MARK: - Reading records

    /// Reads `id, document, metadata, vector` starting at `column`.
    static func record(_ stmt: StoreStatement, column: Int32, collection: String) throws(StoreError) -> Record {
        let id = stmt.text(column) ?? ""
        let metadata: Metadata
        do { metadata = try MetadataCodec.decode(stmt.text(column + 2) ?? "{}", path: "metadata") } catch {
            throw .invalidRecord(collection: collection, id: id, reason: "stored metadata is unreadable: \(error)")
        }
        return Record(id: id, document: stmt.text(column + 1), metadata: metadata, embedding: stmt.floats(column + 3))
    }

    /// Visits a collection's records in key order until `body` returns false.
    func scan(collectionID: Int64, withVectors: Bool, _ body: (Int64, Record) throws(StoreError) -> Bool) throws(StoreError) {
        let stmt = try database.prepare("SELECT key, id, document, metadata, \(withVectors ? "vector" : "NULL") FROM records WHERE collection_id = ?1 ORDER BY key")
        defer { stmt.reset() }
        try stmt.bind([.int(collectionID)])
        while try stmt.step() {
            let record = try Self.record(stmt, column: 1, collection: "#\(collectionID)")
            guard try body(stmt.int(0), record) else { break }
        }
    }

    /// The records behind `keys` (without vectors), by key; keys deleted meanwhile are absent.
    /// One statement for all: one shared-lock round trip instead of one per key.
    func records(keys: [UInt64], collection: String) throws(StoreError) -> [UInt64: Record] {
        guard !keys.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let stmt = try database.prepare("SELECT key, id, document, metadata, NULL FROM records WHERE key IN (\(placeholders))")
        defer { stmt.reset() }
        try stmt.bind(keys.map { .int(Int64($0)) })
        var records: [UInt64: Record] = [:]
        while try stmt.step() {
            records[UInt64(stmt.int(0))] = try Self.record(stmt, column: 1, collection: collection)
        }
        return records
    }

    /// Records by id with their keys, in the order asked (unknown ids skipped).
    func records(ids: [String], collectionID: Int64, collection: String, withVectors: Bool) throws(StoreError) -> [(key: Int64, record: Record)] {
        let stmt = try database.prepare("SELECT key, id, document, metadata, \(withVectors ? "vector" : "NULL") FROM records WHERE collection_id = ?1 AND id = ?2")
        defer { stmt.reset() }
        var out: [(key: Int64, record: Record)] = []
        for id in ids {
            try stmt.bind([.int(collectionID), .text(id)])
            if try stmt.step() { out.append((stmt.int(0), try Self.record(stmt, column: 1, collection: collection))) }
            stmt.reset()
        }
        return out
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

    // MARK: - Changes since a seq (index catch-up)

    /// Keys deleted from the collection by batches with `after < seq <= through`.
    func tombstones(collectionID: Int64, seqs: (after: Int64, through: Int64)) throws(StoreError) -> [UInt64] {
        let stmt = try database.prepare("SELECT key FROM tombstones WHERE collection_id = ?1 AND seq > ?2 AND seq <= ?3")
        defer { stmt.reset() }
        try stmt.bind([.int(collectionID), .int(seqs.after), .int(seqs.through)])
        var keys: [UInt64] = []
        while try stmt.step() { keys.append(UInt64(stmt.int(0))) }
        return keys
    }

    /// Up to `limit` records (with vectors) written by batches with `after < seq <= through`,
    /// in key order from the first key past `key`.
    func changedRecords(collectionID: Int64, seqs: (after: Int64, through: Int64), after key: Int64,
                        limit: Int) throws(StoreError) -> [(key: UInt64, record: Record)] {
        let stmt = try database.prepare("""
            SELECT key, id, document, metadata, vector FROM records
            WHERE collection_id = ?1 AND seq > ?2 AND seq <= ?3 AND key > ?4 ORDER BY key LIMIT ?5
            """)
        defer { stmt.reset() }
        try stmt.bind([.int(collectionID), .int(seqs.after), .int(seqs.through), .int(key), .int(Int64(limit))])
        var out: [(key: UInt64, record: Record)] = []
        while try stmt.step() {
            out.append((UInt64(stmt.int(0)), try Self.record(stmt, column: 1, collection: "#\(collectionID)")))
        }
        return out
    }

    // MARK: - Writing records (inside the caller's write transaction)

    /// Writes validated records (replacing existing ids whole), records a dimension the batch
    /// fixed, and returns how many ids already existed.
    func write(_ records: [Record], collection row: CollectionRow, seq: Int64,
               progress: (@Sendable (Int) -> Void)? = nil) throws(StoreError) -> Int {
        let existing = try database.prepare("SELECT 1 FROM records WHERE collection_id = ?1 AND id = ?2")
        let write = try database.prepare("""
            INSERT INTO records(collection_id, id, document, metadata, vector, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT(collection_id, id) DO UPDATE SET
                document = excluded.document, metadata = excluded.metadata, vector = excluded.vector, seq = excluded.seq
            """)
        var updated = 0
        for (i, record) in records.enumerated() {
            try existing.bind([.int(row.id), .text(record.id)])
            if try existing.step() { updated += 1 }
            existing.reset()
            try write.run(.int(row.id), .text(record.id), record.document.map { .text($0) } ?? .null,
                          .text(MetadataCodec.encode(record.metadata)), record.embedding.map { .floats($0) } ?? .null,
                          .int(seq))
            if let progress, (i + 1) % 1000 == 0 { progress(i + 1) }
        }
        // A first vector fixes the dimension; a row without this build's analyzer record (older
        // store, other analyzer rules) gets it, so the collection now names the rules it is
        // indexed with (see `CollectionConfiguration`).
        if row.dimensionFixedByBatch || row.configuration.needsAnalyzerRecord {
            // Read again inside the batch: another writer may have fixed the dimension first.
            let stored = try database.prepare("SELECT configuration, metadata FROM collections WHERE id = ?1")
            try stored.bind([.int(row.id)])
            var current: CollectionConfiguration?
            if try stored.step(), let json = stored.text(0) {
                current = try CollectionConfiguration(storedJSON: json, metadata: [:], name: row.name)
            }
            stored.reset()
            if row.dimensionFixedByBatch, let current, current.dimension != 0, current.dimension != row.configuration.dimension {
                throw .dimensionMismatch(collection: row.name, id: records.first { $0.embedding != nil }?.id ?? "",
                                         expected: current.dimension, got: row.configuration.dimension)
            }
            let rewritten = row.dimensionFixedByBatch ? row.configuration : current
            if let rewritten, row.dimensionFixedByBatch || rewritten.needsAnalyzerRecord {
                try database.prepare("UPDATE collections SET configuration = ?2 WHERE id = ?1")
                    .run(.int(row.id), .text(rewritten.storedJSON))
            }
        }
        try markChanged(row.id, seq: seq)
        progress?(records.count)
        return updated
    }

    /// Deletes records by key, leaving tombstones so indexes elsewhere learn of it.
    func deleteKeys(_ keys: [Int64], collectionID: Int64, seq: Int64) throws(StoreError) {
        guard !keys.isEmpty else { return }
        let remove = try database.prepare("DELETE FROM records WHERE key = ?1")
        let tombstone = try database.prepare("INSERT OR REPLACE INTO tombstones(collection_id, key, seq) VALUES (?1, ?2, ?3)")
        for key in keys {
            try remove.run(.int(key))
            try tombstone.run(.int(collectionID), .int(key), .int(seq))
        }
        try markChanged(collectionID, seq: seq)
    }

    /// The keys of the records with these ids.
    func keys(ids: Set<String>, collectionID: Int64) throws(StoreError) -> [Int64] {
        let find = try database.prepare("SELECT key FROM records WHERE collection_id = ?1 AND id = ?2")
        var keys: [Int64] = []
        for id in ids {
            try find.bind([.int(collectionID), .text(id)])
            if try find.step() { keys.append(find.int(0)) }
            find.reset()
        }
        return keys
    }

    /// Removes a collection with its records and tombstones.
    func deleteCollection(id: Int64) throws(StoreError) {
        try database.prepare("DELETE FROM tombstones WHERE collection_id = ?1").run(.int(id))
        try database.prepare("DELETE FROM records WHERE collection_id = ?1").run(.int(id))
        try database.prepare("DELETE FROM collections WHERE id = ?1").run(.int(id))
    }
}
