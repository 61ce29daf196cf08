import Foundation

extension Store {
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

    /// The collection's indexes, loaded from the snapshot on first use and brought up to date
    /// with the database: only records and tombstones newer than the snapshot's seq are read.
    /// `row` must come from `collectionRow(_:)` in the same actor turn: the state that call read
    /// is the one the indexes are brought to (one database round trip per search, not two).
    func indexes(for row: CollectionRow) throws(StoreError) -> CollectionIndexes {
        let storeState = collectionCacheState
        var indexes: CollectionIndexes
        // Loaded indexes are kept while they describe a past state of this database and the
        // collection's dimension is unchanged (the first vectors fix an open one).
        if let loaded = loadedIndexes[row.id], loaded.configuration.dimension == row.configuration.dimension,
           try isInHistory(loaded, storeState) {
            indexes = loaded
        } else {
            indexes = try loadIndexes(row, storeState: storeState)
        }
        loadedIndexes[row.id] = indexes
        if row.changedSeq > indexes.seq {
            try catchUp(indexes, through: storeState)
        }
        // A reader publishes any rebuild once (nothing on disk describes this history yet),
        // then only large catch-ups: not the whole snapshot again after every small batch.
        let threshold = mode == .readWrite ? publishThreshold : indexes.publishedSeq == nil ? 1 : readerPublishThreshold
        if indexes.unpublishedChanges >= threshold {
            // Best effort: a snapshot only saves work at the next open, so a failure to write
            // one (a full disk, a read-only folder, another publisher busy) must not fail the
            // search that triggered it. Readers never wait for the publish lock.
            _ = try? publish(indexes, wait: mode == .readWrite)
        }
        return indexes
    }

    /// Whether loaded indexes still describe a past state of this database: the database did
    /// not go back in time (a restored backup) nor reach their seq by other batches (a replaced
    /// or rolled-back file). Checked once per store state.
    private func isInHistory(_ indexes: CollectionIndexes, _ storeState: StateBinding) throws(StoreError) -> Bool {
        if indexes.confirmedAt == storeState { return true }
        guard let binding = indexes.binding else { return true }
        guard binding.seq <= storeState.seq, try state(at: binding.seq) == binding else { return false }
        indexes.confirmedAt = storeState
        return true
    }

    private func loadIndexes(_ row: CollectionRow, storeState: StateBinding) throws(StoreError) -> CollectionIndexes {
        let directory = IndexSnapshot.directory(root: indexRoot, collectionID: row.id)
        var lookupError: StoreError?
        let snapshot = IndexSnapshot.load(from: directory, configuration: row.configuration) { seq in
            if seq == storeState.seq { return storeState }
            do throws(StoreError) { return try state(at: seq) } catch { lookupError = error; return nil }
        }
        if let lookupError { throw lookupError }
        if snapshot != nil { indexActivity.snapshotsLoaded += 1 } else { indexActivity.rebuilds += 1 }
        let indexes = CollectionIndexes(collectionID: row.id, configuration: row.configuration, snapshot: snapshot)
        indexes.confirmedAt = storeState
        // A manifest that reads fine but was unusable (stale, damaged files): publishing must
        // replace it even at the same seq.
        if snapshot == nil { indexes.rejectedManifest = IndexSnapshot.readManifest(in: directory)?.checksum }
        return indexes
    }

    /// Reads and applies every change with `indexes.seq < seq <= target`, key by key in chunks.
    /// Each chunk is its own read, so a change committed meanwhile either has seq > target
    /// (left for the next catch-up) or replaced a row this pass would have read (then its new
    /// version has seq > target too): nothing is applied twice or lost.
    func catchUp(_ indexes: CollectionIndexes, through state: StateBinding) throws(StoreError) {
        let from = indexes.seq, target = state.seq
        let before = indexes.unpublishedChanges
        var removed = ChangeSet()
        let tombstones = try database.prepare("SELECT key FROM tombstones WHERE collection_id = ?1 AND seq > ?2 AND seq <= ?3")
        try tombstones.bind([.int(indexes.collectionID), .int(from), .int(target)])
        while try tombstones.step() { removed.removed.append(UInt64(tombstones.int(0))) }
        tombstones.reset()
        try indexes.apply(removed, threads: Self.threads)

        let chunk = try database.prepare("""
            SELECT key, id, document, metadata, vector FROM records
            WHERE collection_id = ?1 AND seq > ?2 AND seq <= ?3 AND key > ?4 ORDER BY key LIMIT ?5
            """)
        var lastKey: Int64 = 0
        defer { chunk.reset() }
        while true {
            var changes = ChangeSet()
            try chunk.bind([.int(indexes.collectionID), .int(from), .int(target), .int(lastKey), .int(Int64(Self.catchUpChunk))])
            while try chunk.step() {
                lastKey = chunk.int(0)
                changes.upserted.append((UInt64(lastKey), try Self.record(chunk, column: 1, collection: "#\(indexes.collectionID)")))
            }
            chunk.reset()
            if changes.isEmpty { break }
            try indexes.apply(changes, threads: Self.threads)
        }
        indexes.advance(to: state)
        indexes.confirmedAt = collectionCacheState
        indexActivity.changesApplied += indexes.unpublishedChanges - before
    }

    /// Loads metadata and documents for filtered search (once per collection per process).
    func filterCache(for indexes: CollectionIndexes) throws(StoreError) -> FilterCache {
        if let cache = indexes.filterCache { return cache }
        // Read under one read transaction at a seq the indexes also reach afterwards.
        var cache = FilterCache()
        var seq: Int64 = 0
        var state: StateBinding?
        try database.transaction(immediate: false) { () throws(StoreError) in
            seq = try currentSeq()
            state = try self.state(at: seq)
            try scan(collectionID: indexes.collectionID, withVectors: false) { (key, record) in
                cache.entries[UInt64(key)] = .init(metadata: record.metadata, document: record.document)
                return true
            }
        }
        // The cache is now at `seq`; indexes behind it catch up (updating the cache with the
        // same rows again is harmless), indexes ahead of it cannot be: they read the same store.
        if indexes.seq < seq, let state {
            indexes.filterCache = cache
            try catchUp(indexes, through: state)
        } else {
            indexes.filterCache = cache
        }
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
        let directory = IndexSnapshot.directory(root: indexRoot, collectionID: indexes.collectionID)
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
           try state(at: existing.seq) == existing.binding {
            indexes.markPublished()
            return false
        }
        try IndexSnapshot(binding: binding, analyzerFingerprint: indexes.analyzer.fingerprint, sparse: indexes.sparse, dense: indexes.dense)
            .publish(to: directory)
        indexes.markPublished()
        writesSincePublish[indexes.collectionID] = 0
        indexActivity.snapshotsPublished += 1
        return true
    }

    /// The seq of the collection's published snapshot if it belongs to this store's history
    /// (its file contents are checked only when it is loaded), else nil.
    func publishedSeq(collectionID: Int64) throws(StoreError) -> Int64? {
        guard let manifest = IndexSnapshot.readManifest(in: IndexSnapshot.directory(root: indexRoot, collectionID: collectionID)),
              try state(at: manifest.seq) == manifest.binding else { return nil }
        return manifest.seq
    }

    /// After a committed write batch (writer only): once enough records are unpublished, bring
    /// the indexes up to date and publish them, so a long ingest leaves snapshots behind as it
    /// goes. Best effort: the batch is committed whatever happens here.
    /// Sets the publish thresholds (tests use small ones).
    func setPublishThresholds(writer: Int, reader: Int) {
        publishThreshold = writer
        readerPublishThreshold = reader
    }

    func noteWritten(_ count: Int, collectionID: Int64) {
        let pending = writesSincePublish[collectionID, default: 0] + count
        writesSincePublish[collectionID] = pending
        guard pending >= publishThreshold else { return }
        writesSincePublish[collectionID] = 0
        guard (try? refreshCollectionCache()) != nil,
              let row = collectionCache.values.first(where: { $0.id == collectionID }),
              let indexes = try? indexes(for: row) else { return }
        // `indexes(for:)` publishes past the threshold; a catch-up smaller than that (the
        // indexes were loaded earlier) still leaves this many records unpublished.
        if indexes.publishedSeq != indexes.seq { _ = try? publish(indexes, wait: true) }
    }

    /// Brings every collection's indexes up to date and publishes the ones whose snapshot is
    /// behind the database (writer only).
    public func persistIndexes() throws(StoreError) {
        try requireWriter()
        try refreshCollectionCache()
        for row in collectionCache.values {
            let published = try publishedSeq(collectionID: row.id) ?? -1
            guard published < row.changedSeq || loadedIndexes[row.id].map({ $0.unpublishedChanges > 0 }) == true else { continue }
            let indexes = try indexes(for: row)
            // `indexes(for:)` may just have published (threshold); don't write the same seq twice.
            if indexes.publishedSeq != indexes.seq || published < indexes.seq { try publish(indexes, wait: true) }
        }
    }

    /// Drops every snapshot, rebuilds all indexes from the records and publishes them (writer
    /// only), e.g. after `restore`.
    public func rebuildIndexes() throws(StoreError) {
        try requireWriter()
        try refreshCollectionCache()
        try? FileManager.default.removeItem(at: indexRoot)
        loadedIndexes = [:]
        for row in collectionCache.values { _ = try indexes(for: row) }
        try persistIndexes()
    }

    static var threads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}
