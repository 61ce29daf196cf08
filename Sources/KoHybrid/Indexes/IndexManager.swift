import Foundation

/// Keeps each collection's derived indexes in step with the records: loads a published
/// snapshot on first use (`IndexSnapshot`), catches it up with the batches committed since,
/// rebuilds from the records when no usable snapshot is there, and publishes snapshots so the
/// next process starts from them. Owned by one `Store` actor, used only inside its turns; what
/// it hands out to searches is the collection's shared `CollectionSearcher`.
final class IndexManager {
    /// Apply changes in chunks of this many records, so catching up never holds a read lock
    /// (which would stall the writer) for long nor loads every vector at once.
    static let catchUpChunk = 5_000
    /// A writer publishes a fresh snapshot once this many changes are unpublished: during a long
    /// ingest (counted per batch) and on searches, not only at close, so a writer that dies
    /// leaves at most this much for the next process to catch up.
    static let defaultPublishThreshold = 10_000
    /// A reader publishes what it rebuilt from the records, or caught up by this many changes,
    /// so the next process loads it instead of doing the same work again.
    static let defaultReaderPublishThreshold = 5_000

    let records: RecordStore
    let root: URL
    let isWriter: Bool
    /// Loaded indexes by collection id.
    private(set) var loaded: [Int64: CollectionIndexes] = [:]
    /// What loading and publishing did, for tests and `check`.
    var activity = IndexActivity()
    /// Unpublished changes after which a writer, or a reader that caught up, publishes.
    var publishThreshold = IndexManager.defaultPublishThreshold
    var readerPublishThreshold = IndexManager.defaultReaderPublishThreshold
    /// Records written per collection since its indexes were last published (writer only).
    var writesSincePublish: [Int64: Int] = [:]

    init(records: RecordStore, root: URL, isWriter: Bool) {
        self.records = records
        self.root = root
        self.isWriter = isWriter
    }

    /// Forgets every loaded index (the store was restored or replaced: keys may now name other records).
    func dropAll() { loaded = [:] }

    /// Forgets one collection's indexes (the collection was deleted).
    func drop(collectionID: Int64) { loaded[collectionID] = nil }

    /// The collection's indexes, loaded from the snapshot on first use and brought up to date
    /// with `storeState` (the state `row` was read at): only records and tombstones newer than
    /// the snapshot's seq are read.
    func indexes(for row: CollectionRow, at storeState: StateBinding) throws(StoreError) -> CollectionIndexes {
        var indexes: CollectionIndexes
        // Loaded indexes are kept while they describe a past state of this database and the
        // collection's dimension is unchanged (the first vectors fix an open one).
        if let current = loaded[row.id], current.configuration.dimension == row.configuration.dimension,
           try isInHistory(current, storeState) {
            indexes = current
        } else {
            indexes = try load(row, storeState: storeState)
        }
        loaded[row.id] = indexes
        if row.changedSeq > indexes.seq {
            try catchUp(indexes, through: storeState)
        }
        // A reader publishes any rebuild once (nothing on disk describes this history yet),
        // then only large catch-ups: not the whole snapshot again after every small batch.
        // Not here: the caller that asked for the indexes (a search) should not wait for files
        // to be written; `publishDue()` runs after it.
        let threshold = isWriter ? publishThreshold : indexes.publishedSeq == nil ? 1 : readerPublishThreshold
        if indexes.unpublishedChanges >= threshold { duePublishes.insert(row.id) }
        return indexes
    }

    /// Collections whose indexes have enough unpublished changes to be worth a snapshot.
    private(set) var duePublishes = Set<Int64>()

    /// Publishes the snapshots that are due. Best effort: a snapshot only saves work at the
    /// next open, so a failure to write one (a full disk, a read-only folder, another publisher
    /// busy) fails nothing. Readers never wait for the publish lock.
    func publishDue() {
        let due = duePublishes
        duePublishes = []
        for id in due {
            guard let indexes = loaded[id], indexes.publishedSeq != indexes.seq || indexes.unpublishedChanges > 0 else { continue }
            _ = try? publish(indexes, wait: isWriter)
        }
    }

    /// Whether loaded indexes still describe a past state of this database: the database did
    /// not go back in time (a restored backup) nor reach their seq by other batches (a replaced
    /// or rolled-back file). Checked once per store state.
    private func isInHistory(_ indexes: CollectionIndexes, _ storeState: StateBinding) throws(StoreError) -> Bool {
        if indexes.confirmedAt == storeState { return true }
        guard let binding = indexes.binding else { return true }
        guard binding.seq <= storeState.seq, try records.state(at: binding.seq) == binding else { return false }
        indexes.confirmedAt = storeState
        return true
    }

    private func load(_ row: CollectionRow, storeState: StateBinding) throws(StoreError) -> CollectionIndexes {
        let directory = IndexSnapshot.directory(root: root, collectionID: row.id)
        var lookupError: StoreError?
        let snapshot = IndexSnapshot.load(from: directory, configuration: row.configuration) { seq in
            if seq == storeState.seq { return storeState }
            do throws(StoreError) { return try records.state(at: seq) } catch { lookupError = error; return nil }
        }
        if let lookupError { throw lookupError }
        if snapshot != nil { activity.snapshotsLoaded += 1 } else { activity.rebuilds += 1 }
        let indexes = CollectionIndexes(collectionID: row.id, configuration: row.configuration, snapshot: snapshot)
        indexes.confirmedAt = storeState
        // A manifest that reads fine but was unusable (stale, damaged files): publishing must
        // replace it even at the same seq.
        if snapshot == nil { indexes.rejectedManifest = IndexSnapshot.readManifest(in: directory)?.checksum }
        return indexes
    }

    /// Reads and applies every change with `indexes.seq < seq <= state.seq`, key by key in
    /// chunks. Each chunk is its own read, so a change committed meanwhile either has a seq past
    /// the target (left for the next catch-up) or replaced a row this pass would have read (then
    /// its new version is past the target too): nothing is applied twice or lost.
    func catchUp(_ indexes: CollectionIndexes, through state: StateBinding) throws(StoreError) {
        let before = indexes.unpublishedChanges
        let range = (after: indexes.seq, through: state.seq)
        try indexes.apply(ChangeSet(removed: try records.tombstones(collectionID: indexes.collectionID, seqs: range)),
                          threads: Self.threads)
        var lastKey: Int64 = 0
        while true {
            let chunk = try records.changedRecords(collectionID: indexes.collectionID, seqs: range, after: lastKey, limit: Self.catchUpChunk)
            guard let last = chunk.last else { break }
            lastKey = Int64(last.key)
            try indexes.apply(ChangeSet(upserted: chunk), threads: Self.threads)
        }
        indexes.advance(to: state)
        indexes.confirmedAt = state
        activity.changesApplied += indexes.unpublishedChanges - before
    }

    /// Loads metadata and documents for filtered search (once per collection per process).
    func filterCache(for indexes: CollectionIndexes) throws(StoreError) -> FilterCache {
        if let cache = indexes.filterCache { return cache }
        // Read under one read transaction at a seq the indexes also reach afterwards.
        var cache = FilterCache()
        var state: StateBinding?
        try records.database.transaction(immediate: false) { () throws(StoreError) in
            state = try records.state(at: try records.currentSeq())
            try records.scan(collectionID: indexes.collectionID, withVectors: false) { (key, record) in
                cache.entries[UInt64(key)] = .init(metadata: record.metadata, document: record.document)
                return true
            }
        }
        indexes.filterCache = cache
        // The cache is now at `state`; indexes behind it catch up (updating the cache with the
        // same rows again is harmless), indexes ahead of it cannot be: they read the same store.
        if let state, indexes.seq < state.seq { try catchUp(indexes, through: state) }
        return indexes.filterCache ?? cache
    }

    /// The keys that pass the filters, from the filter cache. An exact key set (rather than a
    /// predicate) lets the dense index pick an exact scan when few records pass, so a very
    /// selective filter still finds its k nearest.
    func admittedKeys(_ filter: Filter?, _ document: DocumentFilter?, in indexes: CollectionIndexes) throws(StoreError) -> Set<UInt64> {
        let cache = try filterCache(for: indexes)
        let pair = FilterPair(filter: filter, document: document)
        if let known = indexes.admittedByFilter[pair] { return known }
        let keys = try cache.admitted(filter, document)
        if indexes.admittedByFilter.count >= 16 { indexes.admittedByFilter = [:] }
        indexes.admittedByFilter[pair] = keys
        return keys
    }

    /// Publishes the indexes as the collection's snapshot, unless a snapshot of the same store
    /// history that includes more is already there (publishers never go back). Publishers take
    /// turns under the directory's `SnapshotPublishLock`; with `wait` false (readers) a busy or
    /// unwritable folder just skips publishing. Returns whether a snapshot was written.
    @discardableResult
    func publish(_ indexes: CollectionIndexes, wait: Bool) throws(StoreError) -> Bool {
        guard let binding = indexes.binding else { return false }
        let directory = IndexSnapshot.directory(root: root, collectionID: indexes.collectionID)
        guard let lock = SnapshotPublishLock.acquire(directory: directory, wait: wait) else {
            if wait { throw .io(path: directory.path, message: "cannot lock the index directory to publish a snapshot") }
            return false
        }
        defer { lock.release() }
        // Keep a snapshot of this history that includes as much (another reader of this
        // process or another one just published the same rebuild), unless it is the one found
        // unusable at load.
        if let existing = IndexSnapshot.readManifest(in: directory), existing.seq >= binding.seq,
           existing.seq > binding.seq || existing.checksum != indexes.rejectedManifest,
           try records.state(at: existing.seq) == existing.binding {
            indexes.markPublished()
            duePublishes.remove(indexes.collectionID)
            return false
        }
        try indexes.searcher.withIndexes { (sparse, dense) throws(StoreError) in
            try IndexSnapshot(binding: binding, analyzerFingerprint: indexes.searcher.analyzer.fingerprint, sparse: sparse, dense: dense)
                .publish(to: directory)
        }
        indexes.markPublished()
        writesSincePublish[indexes.collectionID] = 0
        duePublishes.remove(indexes.collectionID)
        activity.snapshotsPublished += 1
        return true
    }

    /// The seq of the collection's published snapshot if it belongs to this store's history
    /// (its file contents are checked only when it is loaded), else nil.
    func publishedSeq(collectionID: Int64) throws(StoreError) -> Int64? {
        guard let manifest = IndexSnapshot.readManifest(in: IndexSnapshot.directory(root: root, collectionID: collectionID)),
              try records.state(at: manifest.seq) == manifest.binding else { return nil }
        return manifest.seq
    }

    /// Counts a committed batch's records; true once the collection has enough unpublished
    /// writes that the writer should publish (the count then starts again).
    func noteWritten(_ count: Int, collectionID: Int64) -> Bool {
        let pending = writesSincePublish[collectionID, default: 0] + count
        writesSincePublish[collectionID] = pending
        guard pending >= publishThreshold else { return false }
        writesSincePublish[collectionID] = 0
        return true
    }

    /// Removes every snapshot (before rebuilding all indexes from the records).
    func removeSnapshots() {
        try? FileManager.default.removeItem(at: root)
        loaded = [:]
    }

    static var threads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
