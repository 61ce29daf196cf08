import CSQLite
import Foundation
import KoHybridEmbedding

/// A durable store of collections: one directory holding a SQLite database (the source of
/// truth) and derived BM25 / HNSW index snapshots beside it.
///
/// ```swift
/// let store = try await Store.open(at: URL(fileURLWithPath: "./store"))
/// try await store.createCollection("omakase.sources", configuration: .init(dimension: 384))
/// try await store.upsert([Record(id: "s1", document: "스시 오마카세 런치 코스",
///                                metadata: ["price": .int(120000)], embedding: vector)],
///                        into: "omakase.sources")
/// let hits = try await store.search(SearchQuery(text: "오마카세 런치", vector: query, k: 5,
///                                               filter: try Filter(json: #"{"price": {"$lte": 150000}}"#)),
///                                   in: "omakase.sources")
/// try await store.close()
/// ```
///
/// Layout: `store.sqlite` (records, see `StoreSchema` for the journal mode and locking),
/// `writer.lock`, and `indexes/<collection id>/` (snapshots, see `IndexSnapshot`).
/// One writer at a time (`.readWrite`, which holds the writer lock until `close()`), any number
/// of `.readOnly` readers, in this process or others.
public actor Store {
    /// How a store is opened.
    public enum Mode: Sendable, Hashable {
        /// Creates the store if needed and takes the writer lock.
        case readWrite
        /// Reads an existing store; sees the writer's commits as they happen.
        case readOnly
    }

    public nonisolated let directory: URL
    public nonisolated let mode: Mode
    let database: SQLiteDatabase
    private var writerLock: WriterLock?
    /// Parsed collection rows by name, refreshed when the store's seq moves.
    var collectionCache: [String: CollectionRow] = [:]
    var collectionCacheSeq: Int64 = -1
    /// The store generation the caches and indexes belong to (see `StoreSchema`).
    var knownGeneration: Int64?
    /// Loaded indexes by collection id.
    var loadedIndexes: [Int64: CollectionIndexes] = [:]
    /// Makes the embedders that collections record (see `Store+Embedding`).
    var embedderProvider = EmbedderProvider.openAICompatible()
    /// Embedders made so far, by collection id, with the configuration each was made from.
    var embedders: [Int64: (configuration: EmbedderConfiguration, embedder: any Embedder)] = [:]

    var databasePath: String { directory.appendingPathComponent(StoreSchema.databaseFile).path }
    var indexRoot: URL { directory.appendingPathComponent(StoreSchema.indexDirectory) }

    /// Opens (and, for `.readWrite`, creates) the store in `directory`.
    public init(directory: URL, mode: Mode = .readWrite) throws(StoreError) {
        self.directory = directory.standardizedFileURL
        self.mode = mode
        let dbPath = self.directory.appendingPathComponent(StoreSchema.databaseFile).path
        let fileManager = FileManager.default
        switch mode {
        case .readWrite:
            do { try fileManager.createDirectory(at: self.directory, withIntermediateDirectories: true) } catch {
                throw .io(path: self.directory.path, message: "cannot create the store directory: \(error.localizedDescription)")
            }
            writerLock = try WriterLock(path: self.directory.appendingPathComponent(StoreSchema.lockFile).path)
        case .readOnly:
            guard fileManager.fileExists(atPath: dbPath) else { throw .storeNotFound(path: self.directory.path) }
        }
        // A reader still opens read-write when it may: after a writer crashed, the first
        // connection must roll the hot journal back, which a read-only connection cannot do.
        let readOnlyFile = mode == .readOnly && !fileManager.isWritableFile(atPath: dbPath)
        let db = try SQLiteDatabase(path: dbPath, readOnly: readOnlyFile)
        sqlite3_busy_timeout(db.handle, 15_000)
        try db.execute(StoreSchema.pragmas)
        if mode == .readWrite {
            try db.transaction(immediate: true) { () throws(StoreError) in try db.execute(StoreSchema.create) }
        }
        let format = try db.scalarInt("SELECT value FROM store_info WHERE name = 'format'") ?? 0
        guard format == StoreSchema.formatVersion else {
            throw .incompatibleFormat(path: dbPath, found: Int(format), expected: StoreSchema.formatVersion)
        }
        database = db
    }

    /// Opens a store; see `init(directory:mode:)`.
    public static func open(at directory: URL, mode: Mode = .readWrite) async throws(StoreError) -> Store {
        try Store(directory: directory, mode: mode)
    }

    /// Brings every loaded index up to date, publishes snapshots (writer only) and releases the
    /// writer lock. The store cannot be used afterwards.
    /// The lock is released and the database closed even when publishing fails (the records
    /// are safe either way; the next open catches the indexes up from the older snapshot).
    public func close() throws(StoreError) {
        defer {
            loadedIndexes = [:]
            database.close()
            writerLock?.release()
            writerLock = nil
        }
        if mode == .readWrite, database.handle != nil {
            try persistIndexes()
        }
    }

    func requireWriter() throws(StoreError) {
        guard mode == .readWrite, writerLock != nil else { throw .readOnly(path: directory.path) }
        guard database.handle != nil else { throw .database(path: databasePath, message: "the store is closed") }
    }

    func requireOpen() throws(StoreError) {
        guard database.handle != nil else { throw .database(path: databasePath, message: "the store is closed") }
    }

    /// The seq and generation in one read.
    func storeVersion() throws(StoreError) -> (seq: Int64, generation: Int64) {
        let stmt = try database.prepare(
            "SELECT max(CASE name WHEN 'seq' THEN value END), max(CASE name WHEN 'generation' THEN value END) FROM store_info")
        defer { stmt.reset() }
        guard try stmt.step() else { return (0, 0) }
        return (stmt.int(0), stmt.int(1))
    }

    /// The store-wide sequence number of the last committed write batch.
    func currentSeq() throws(StoreError) -> Int64 {
        try database.scalarInt("SELECT value FROM store_info WHERE name = 'seq'") ?? 0
    }

    /// Takes the next seq inside a write transaction.
    func nextSeq() throws(StoreError) -> Int64 {
        try database.prepare("UPDATE store_info SET value = value + 1 WHERE name = 'seq'").run()
        return try currentSeq()
    }
}
