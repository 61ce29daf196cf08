import CSQLite
import Foundation
import KoHybridFiles
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
/// Writers in several processes take turns, one write batch at a time (`WriterPolicy`), with
/// any number of `.readOnly` readers, in this process or others.
public actor Store {
    /// How a store is opened.
    public enum Mode: Sendable, Hashable {
        /// Creates the store if needed and takes the writer lock.
        case readWrite
        /// Reads an existing store; sees the writer's commits as they happen.
        case readOnly
    }

    /// How a read-write store shares the store with writers in other processes.
    public enum WriterPolicy: Sendable, Hashable {
        /// Take the writer lock for each write batch, waiting up to `timeout` for it, so writers
        /// in several processes (pods on one shared volume) take turns; every batch lands whole
        /// and each writer's indexes catch up with the others' batches before they answer.
        case takeTurns(timeout: Duration)
        /// Hold the writer lock from open to `close()`: a second writer fails at open.
        case exclusive

        /// Writers wait up to a minute for their turn.
        public static let `default` = WriterPolicy.takeTurns(timeout: .seconds(60))
    }

    public nonisolated let directory: URL
    public nonisolated let mode: Mode
    public nonisolated let writerPolicy: WriterPolicy
    let database: SQLiteDatabase
    private var writerLock: WriterLock?
    /// Parsed collection rows by name, refreshed when the store's state moves.
    var collectionCache: [String: CollectionRow] = [:]
    /// The store state the collection cache was read at (generation, seq, commit token).
    var collectionCacheState = StateBinding(generation: 0, seq: -1, commit: 0)
    var collectionCacheSeq: Int64 { collectionCacheState.seq }
    /// Whether the database has the `commits` table (stores made by older builds may not).
    var hasCommitLog = false
    /// What index loading did, for tests and `check` (snapshots loaded, rebuilds, publishes).
    var indexActivity = IndexActivity()
    /// Records written per collection since its indexes were last published (writer only).
    var writesSincePublish: [Int64: Int] = [:]
    /// Unpublished changes after which a writer, or a reader that caught up, publishes.
    var publishThreshold = Store.defaultPublishThreshold
    var readerPublishThreshold = Store.defaultReaderPublishThreshold
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
    public init(directory: URL, mode: Mode = .readWrite, writers: WriterPolicy = .default) throws(StoreError) {
        self.directory = directory.standardizedFileURL
        self.mode = mode
        self.writerPolicy = writers
        let dbPath = self.directory.appendingPathComponent(StoreSchema.databaseFile).path
        let fileManager = FileManager.default
        switch mode {
        case .readWrite:
            do { try fileManager.createDirectory(at: self.directory, withIntermediateDirectories: true) } catch {
                throw .io(path: self.directory.path, message: "cannot create the store directory: \(FileSystemErrorText.describe(error))")
            }
            let lockPath = self.directory.appendingPathComponent(StoreSchema.lockFile).path
            switch writers {
            case .exclusive: writerLock = try WriterLock(path: lockPath)
            // Held only while the schema is made; every write batch takes it again.
            case .takeTurns(let timeout): writerLock = try WriterLock(path: lockPath, waiting: timeout)
            }
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
            // Keep a batch's changed pages in memory until COMMIT: spilling them to the file
            // mid-batch takes SQLite's EXCLUSIVE lock, which would block every reader for as
            // long as the batch runs (or forever, if the writer stalls). See `StoreSchema`.
            try db.execute("PRAGMA cache_spill=OFF")
            try db.transaction(immediate: true) { () throws(StoreError) in try db.execute(StoreSchema.create) }
        }
        let format = try db.scalarInt("SELECT value FROM store_info WHERE name = 'format'") ?? 0
        guard format == StoreSchema.formatVersion else {
            throw .incompatibleFormat(path: dbPath, found: Int(format), expected: StoreSchema.formatVersion)
        }
        database = db
        if case .takeTurns = writers {
            writerLock?.release()
            writerLock = nil
        }
        hasCommitLog = try Self.hasCommitLog(db)
    }

    static func hasCommitLog(_ db: SQLiteDatabase) throws(StoreError) -> Bool {
        try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'commits'") == 1
    }

    /// Opens a store; see `init(directory:mode:)`.
    public static func open(at directory: URL, mode: Mode = .readWrite, writers: WriterPolicy = .default) async throws(StoreError) -> Store {
        try Store(directory: directory, mode: mode, writers: writers)
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
        guard mode == .readWrite else { throw .readOnly(path: directory.path) }
        guard database.handle != nil else { throw .database(path: databasePath, message: "the store is closed") }
        if case .exclusive = writerPolicy, writerLock == nil { throw .readOnly(path: directory.path) }
    }

    /// Runs one write batch as an immediate transaction while holding the writer lock: the
    /// store's lifetime lock (`.exclusive`), or this batch's turn, waited for (`.takeTurns`).
    func writeBatch<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try requireWriter()
        return try withWriterTurn { () throws(StoreError) -> T in try database.transaction(immediate: true, body) }
    }

    /// Runs `body` holding the writer lock (a batch, or publishing snapshots).
    func withWriterTurn<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        guard case .takeTurns(let timeout) = writerPolicy, writerLock == nil else { return try body() }
        let turn = try WriterLock(path: directory.appendingPathComponent(StoreSchema.lockFile).path, waiting: timeout)
        writerLock = turn
        defer { turn.release(); writerLock = nil }
        return try body()
    }

    func requireOpen() throws(StoreError) {
        guard database.handle != nil else { throw .database(path: databasePath, message: "the store is closed") }
    }

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

    /// What index loading did in this `Store` so far (snapshots loaded, rebuilds from the
    /// records, changes applied on top, snapshots published), for tests in other processes.
    @_spi(Diagnostics) public var indexActivityCounts: [String: Int] {
        ["snapshots_loaded": indexActivity.snapshotsLoaded, "rebuilds": indexActivity.rebuilds,
         "changes_applied": indexActivity.changesApplied, "snapshots_published": indexActivity.snapshotsPublished]
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
}
