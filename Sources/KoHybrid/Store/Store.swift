import CSQLite
import Foundation
import KoHybridEmbedding
import KoHybridFiles
import KoHybridSQLite
import Synchronization

/// A durable store of collections: one directory holding a SQLite database (the source of
/// truth) and derived BM25 / HNSW index snapshots beside it.
///
/// ```swift
/// let store = try Store(directory: URL(fileURLWithPath: "./store"))
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
///
/// The actor coordinates: `RecordStore` holds the records (SQLite), `IndexManager` the derived
/// indexes, and each collection's `CollectionSearcher` ranks. Searches rank in parallel on the
/// caller's task; the actor's own turns run on a dedicated thread (`StoreExecutor`).
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
    /// The records (SQLite), the source of truth.
    let records: RecordStore
    /// The derived indexes: snapshots loaded, caught up and published.
    let indexManager: IndexManager
    private var writerLock: WriterLock?
    /// Parsed collection rows by name, refreshed when the store's state moves.
    var collectionCache: [String: CollectionRow] = [:]
    /// The store state the collection cache was read at (generation, seq, commit token).
    var collectionCacheState = StateBinding(generation: 0, seq: -1, commit: 0)
    /// The store generation the caches and indexes belong to (see `StoreSchema`).
    var knownGeneration: Int64?
    /// Searches running now (see `search(_:in:)`).
    nonisolated let searchesInFlight = Atomic<Int>(0)
    /// Whether a turn that publishes due snapshots is already queued.
    var publishScheduled = false
    /// Makes the embedders that collections record (see `Store+Embedding`).
    var embedderProvider = EmbedderProvider.openAICompatible()
    /// Embedders made so far, by collection id, with the configuration each was made from.
    var embedders: [Int64: (configuration: EmbedderConfiguration, embedder: any Embedder)] = [:]
    /// The store's own thread: SQLite calls, fsync and index catch-up block, so they run here
    /// rather than on the cooperative pool that every other task (and searches) share.
    private nonisolated let executor = StoreExecutor()
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The database connection, for maintenance that works on the file as a whole (check,
    /// backup, stats); records are read and written through `records`.
    var database: StoreDatabase { records.database }

    var databasePath: String { directory.appendingPathComponent(StoreSchema.databaseFile).path }
    var indexRoot: URL { directory.appendingPathComponent(StoreSchema.indexDirectory) }

    /// Opens (and, for `.readWrite`, creates) the store in `directory`: the one way to open a store.
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
        let db = try StoreDatabase(path: dbPath, readOnly: readOnlyFile)
        db.setBusyTimeout(milliseconds: 15_000)
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
        records = try RecordStore(database: db)
        indexManager = IndexManager(records: records, root: self.directory.appendingPathComponent(StoreSchema.indexDirectory),
                                    isWriter: mode == .readWrite)
        if case .takeTurns = writers {
            writerLock?.release()
            writerLock = nil
        }
    }

    /// Brings every loaded index up to date, publishes snapshots (writer only) and releases the
    /// writer lock. The store cannot be used afterwards.
    /// The lock is released and the database closed even when publishing fails (the records
    /// are safe either way; the next open catches the indexes up from the older snapshot).
    public func close() throws(StoreError) {
        defer {
            indexManager.dropAll()
            database.close()
            writerLock?.release()
            writerLock = nil
        }
        guard database.handle != nil else { return }
        if mode == .readWrite {
            try persistIndexes()
        } else {
            indexManager.publishDue()
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

    /// What index loading did in this `Store` so far (snapshots loaded, rebuilds from the
    /// records, changes applied on top, snapshots published), for tests in other processes.
    @_spi(Diagnostics) public var indexActivityCounts: [String: Int] {
        let activity = indexManager.activity
        return ["snapshots_loaded": activity.snapshotsLoaded, "rebuilds": activity.rebuilds,
                "changes_applied": activity.changesApplied, "snapshots_published": activity.snapshotsPublished]
    }
}

/// Runs a `Store`'s jobs one at a time on a dedicated dispatch queue (its own thread), so its
/// blocking SQLite and file calls never occupy a cooperative-pool thread.
final class StoreExecutor: SerialExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "kohybrid.store", qos: .userInitiated)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
