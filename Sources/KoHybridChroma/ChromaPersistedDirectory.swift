import KoHybridSQLite
import Foundation
import KoHybrid

/// Reads a Chroma `PersistentClient` directory written by chromadb 0.4, 0.5, 0.6 or 1.x, from the
/// files alone: `chroma.sqlite3` (opened read-only) for collections, ids, documents, metadata,
/// settings and the write-ahead queue, and the hnswlib files of each vector segment for vectors
/// that were flushed (and, from 0.5.6, purged from the queue).
///
/// Per collection: records (document, metadata) come from the METADATA segment's `embeddings`
/// rows joined with `embedding_metadata` (and `embedding_metadata_array`, lists in rowid order);
/// vectors from the VECTOR segment's hnswlib files, mapped to ids by `index_metadata.pickle`.
/// Each segment's `max_seq_id` says how much of `embeddings_queue` it already holds; queue rows
/// past it are applied in seq order (ADD, UPDATE, UPSERT, DELETE), to vectors and to records
/// separately. Queue vectors are the user's original float32 values; vectors read from a cosine
/// collection's HNSW files are the stored unit vector times its saved length.
struct ChromaPersistedDirectory {
    static let vectorSegmentType = "urn:chroma:segment/vector/hnsw-local-persisted"
    static let metadataSegmentType = "urn:chroma:segment/metadata/sqlite"
    static let documentKey = "chroma:document"
    /// The newest schema steps known (chromadb 1.5.9); a database past them was written by a
    /// Chroma this reader has never seen.
    static let newestMigrations = ["sysdb": 10, "metadb": 6, "embeddings_queue": 2]

    let directory: URL
    let databasePath: String
    let family: ChromaSchemaFamily

    /// Columns that differ between versions, looked up once.
    struct Schema {
        var collectionColumns: Set<String>
        var collectionMetadataHasBool: Bool
        var segmentMetadataHasBool: Bool
        var hasArrayTable: Bool
        var hasDatabases: Bool
    }
    let schema: Schema

    init(directory: URL) throws(ChromaError) {
        self.directory = directory
        databasePath = directory.appendingPathComponent("chroma.sqlite3").path
        let db = try ChromaDatabase.open(readOnly: databasePath)
        let family = try Self.detectFamily(db)
        self.family = family
        schema = Schema(
            collectionColumns: try db.columns(of: "collections"),
            collectionMetadataHasBool: try db.columns(of: "collection_metadata").contains("bool_value"),
            segmentMetadataHasBool: try db.columns(of: "segment_metadata").contains("bool_value"),
            hasArrayTable: try db.tableExists("embedding_metadata_array"),
            hasDatabases: try db.tableExists("databases"))
    }

    func open() throws(ChromaError) -> ChromaDatabase { try ChromaDatabase.open(readOnly: databasePath) }

    /// SQLite's `PRAGMA integrity_check` on `chroma.sqlite3` (read-only): the problems found,
    /// empty when the database is sound. A corrupt page can hide rows from every query without
    /// an error, so a migration checks this before trusting what it reads.
    func integrityProblems() throws(ChromaError) -> [String] {
        let db = try open()
        do {
            let lines = try db.rows("PRAGMA integrity_check(20)") { $0.text(0) ?? "?" }
            return lines == ["ok"] ? [] : lines
        } catch {
            // Damage can be bad enough that the check itself cannot run.
            return ["\(error)"]
        }
    }

    /// Tells the layout generation by features (which tables and columns exist, and the
    /// highest `migrations` step per directory) rather than by version number, and refuses databases that lack the
    /// tables every version has or that ran schema steps newer than any version checked.
    static func detectFamily(_ db: ChromaDatabase) throws(ChromaError) -> ChromaSchemaFamily {
        for table in ["collections", "segments", "embeddings", "embedding_metadata", "embeddings_queue", "max_seq_id",
                      "collection_metadata", "segment_metadata", "migrations"] where try !db.tableExists(table) {
            throw .notChromaData(path: db.path, reason: "no \(table) table")
        }
        try db.forEachRow("SELECT dir, MAX(version) FROM migrations GROUP BY dir") { (row) throws(ChromaError) in
            let dir = row.text(0) ?? "", version = row.int(1)
            if let newest = newestMigrations[dir], version > newest {
                throw .unsupportedVersion(path: db.path, reason: "schema step \(dir) \(version) is newer than chromadb 1.5.9 (\(dir) \(newest)); export with collection.get and migrate the JSON instead")
            }
        }
        let collections = try db.columns(of: "collections")
        let hasAcquireWrite = try db.tableExists("acquire_write")
        switch (collections.contains("topic"), collections.contains("config_json_str"),
                hasAcquireWrite, collections.contains("schema_str")) {
        case (true, false, false, false): return .v0_4
        case (false, true, false, false): return .v0_5
        case (false, true, true, false): return .v1_0
        case (false, true, true, true): return .v1_3
        case let features:
            throw .unsupportedVersion(path: db.path, reason: "unknown combination of schema features (collections.topic \(features.0), config_json_str \(features.1), acquire_write \(features.2), schema_str \(features.3))")
        }
    }

    /// One row of `collections`.
    struct CollectionRow {
        var id: String
        var name: String
        var dimension: Int?
        var configJSON: String?
        var schemaJSON: String?
    }

    func collectionRows(_ db: ChromaDatabase) throws(ChromaError) -> [CollectionRow] {
        let config = schema.collectionColumns.contains("config_json_str") ? "config_json_str" : "NULL"
        let schemaColumn = schema.collectionColumns.contains("schema_str") ? "schema_str" : "NULL"
        let rows = try db.rows("SELECT id, name, dimension, \(config), \(schemaColumn) FROM collections ORDER BY name") { row in
            CollectionRow(id: row.text(0) ?? "", name: row.text(1) ?? "",
                          dimension: row.isNull(2) ? nil : Int(row.int(2)),
                          configJSON: row.text(3), schemaJSON: row.text(4))
        }
        // Names are unique per Chroma database; several databases or tenants in one directory
        // (never seen in the fixtures) would make a name ambiguous.
        for (previous, next) in zip(rows, rows.dropFirst()) where previous.name == next.name {
            throw .unsupportedData(path: databasePath, reason: "two collections named \"\(next.name)\" (several Chroma databases or tenants are not supported)")
        }
        return rows
    }

    func summaries() throws(ChromaError) -> [ChromaCollectionSummary] {
        try collectionRows(try open()).map { ChromaCollectionSummary(name: $0.name, id: $0.id, dimension: $0.dimension) }
    }

    /// Reads one collection completely: records and vectors, the write-ahead queue applied.
    func readCollection(named name: String) throws(ChromaError) -> ChromaCollection {
        let db = try open()
        let rows = try collectionRows(db)
        guard let row = rows.first(where: { $0.name == name }) else {
            throw .unknownCollection(path: directory.path, name: name, available: rows.map(\.name))
        }
        var segments: [String: String] = [:]
        try db.forEachRow("SELECT id, type FROM segments WHERE collection = ?", [.text(row.id)]) { r in
            if let type = r.text(1), let id = r.text(0) { segments[type] = id }
        }
        guard let metadataSegment = segments[Self.metadataSegmentType], let vectorSegment = segments[Self.vectorSegmentType] else {
            throw .unsupportedData(path: databasePath, reason: "collection \"\(name)\" lacks a \(segments[Self.metadataSegmentType] == nil ? "METADATA (sqlite)" : "VECTOR (hnsw-local-persisted)") segment")
        }
        let collectionMetadata = try keyValues(db, table: "collection_metadata", idColumn: "collection_id", id: row.id,
                                               hasBool: schema.collectionMetadataHasBool)
        let segmentMetadata = try keyValues(db, table: "segment_metadata", idColumn: "segment_id", id: vectorSegment,
                                            hasBool: schema.segmentMetadataHasBool)
        let configuration = try Self.configuration(row: row, collectionMetadata: collectionMetadata,
                                                   segmentMetadata: segmentMetadata, path: databasePath)

        var state = try readMetadataSegment(db, segment: metadataSegment)
        let vectorRead = try readVectorSegment(db, segment: vectorSegment, collection: row, space: configuration.space)
        var vectors = vectorRead.vectors
        try replayQueue(db, collection: row, vectorSeqID: vectorRead.seqID,
                        metadataSeqID: try maxSeqID(db, segment: metadataSegment) ?? -1,
                        records: &state, vectors: &vectors)

        let segmentFolder = directory.appendingPathComponent(vectorSegment)
        let missingVectorReason = FileManager.default.fileExists(atPath: segmentFolder.path)
            ? "no vector in the HNSW files or the write-ahead queue"
            : "no vector: the vector segment folder \(segmentFolder.path) is missing, and the write-ahead queue does not hold it"
        var records: [Record] = []
        var skipped: [ChromaSkippedRecord] = []
        records.reserveCapacity(state.count)
        for (id, entry) in state {
            guard let vector = vectors[id] else {
                skipped.append(ChromaSkippedRecord(id: id, reason: missingVectorReason))
                continue
            }
            records.append(Record(id: id, document: entry.document, metadata: entry.metadata, embedding: vector))
        }
        records.sortByID()
        skipped.sort { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        return ChromaCollection(name: row.name, id: row.id,
                                metadata: collectionMetadata.filter { !$0.key.hasPrefix("hnsw:") },
                                configuration: configuration, dimension: row.dimension,
                                records: records, skipped: skipped)
    }

    /// A typed key/value table (`collection_metadata`, `segment_metadata`): exactly one value
    /// column is set per row. chromadb 0.4 has no `bool_value` and stores booleans as integers;
    /// they stay integers, as 0.4's own API returns them.
    func keyValues(_ db: ChromaDatabase, table: String, idColumn: String, id: String, hasBool: Bool) throws(ChromaError) -> Metadata {
        var result: Metadata = [:]
        let bool = hasBool ? "bool_value" : "NULL"
        try db.forEachRow("SELECT key, str_value, int_value, float_value, \(bool) FROM \(table) WHERE \(idColumn) = ? ORDER BY rowid",
                          [.text(id)]) { (row) throws(ChromaError) in
            let key = row.text(0) ?? ""
            guard let value = Self.typedValue(row, firstColumn: 1) else {
                throw .corruptData(path: databasePath, reason: "\(table) row for \(id), key \"\(key)\" has no value")
            }
            result[key] = value
        }
        return result
    }

    /// The one non-NULL of four typed columns (string, int, float, bool) starting at `firstColumn`.
    static func typedValue(_ row: ChromaRow, firstColumn c: Int32) -> MetadataValue? {
        if let text = row.text(c) { return .string(text) }
        if !row.isNull(c + 1) { return .int(row.int(c + 1)) }
        if !row.isNull(c + 2) { return .double(row.double(c + 2)) }
        if !row.isNull(c + 3) { return .bool(row.int(c + 3) != 0) }
        return nil
    }

    /// `max_seq_id` of a segment: INTEGER (1.x) or big-endian BLOB (0.x); nil when absent.
    func maxSeqID(_ db: ChromaDatabase, segment: String) throws(ChromaError) -> Int64? {
        var result: Int64?
        try db.forEachRow("SELECT seq_id FROM max_seq_id WHERE segment_id = ?", [.text(segment)]) { (row) throws(ChromaError) in
            result = try seqID(row, column: 0, context: "max_seq_id of segment \(segment)")
        }
        return result
    }

    /// A sequence id: INTEGER, or an 8-byte (24-byte for values past 64 bits, which are refused)
    /// big-endian BLOB as chromadb 0.x writes it. Both forms coexist in upgraded databases.
    func seqID(_ row: ChromaRow, column: Int32, context: String) throws(ChromaError) -> Int64 {
        switch row.type(column) {
        case .integer: return row.int(column)
        case .blob:
            let bytes = row.bytes(column) ?? []
            guard bytes.count == 8 || (bytes.count == 24 && bytes.prefix(16).allSatisfy { $0 == 0 }) else {
                throw .unsupportedData(path: databasePath, reason: "\(context): \(bytes.count)-byte sequence id")
            }
            let value = bytes.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            guard value <= UInt64(Int64.max) else { throw .unsupportedData(path: databasePath, reason: "\(context): sequence id past 2^63") }
            return Int64(value)
        default:
            throw .corruptData(path: databasePath, reason: "\(context): sequence id is neither INTEGER nor BLOB")
        }
    }
}
