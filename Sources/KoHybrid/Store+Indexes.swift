import Foundation

extension Store {
    /// Apply changes in chunks of this many records, so catching up never holds a read lock
    /// (which would stall the writer) for long nor loads every vector at once.
    static let catchUpChunk = 5_000
    /// A writer publishes a fresh snapshot once this many changes are unpublished (and at close).
    static let publishThreshold = 20_000

    /// The collection's indexes, loaded from the snapshot on first use and brought up to date
    /// with the database: only records and tombstones newer than the snapshot's seq are read.
    /// `row` must come from `collectionRow(_:)` in the same actor turn: the seq that call read
    /// is the one the indexes are brought to (one database round trip per search, not two).
    func indexes(for row: CollectionRow) throws(StoreError) -> CollectionIndexes {
        let storeSeq = collectionCacheSeq
        var indexes = loadedIndexes[row.id] ?? loadIndexes(row, storeSeq: storeSeq)
        if indexes.seq > storeSeq || indexes.configuration.dimension != row.configuration.dimension {
            // The database went back in time (restored from a backup), or the first vectors
            // fixed the collection's dimension: start again.
            indexes = CollectionIndexes(collectionID: row.id, configuration: row.configuration, snapshot: nil)
        }
        loadedIndexes[row.id] = indexes
        if row.changedSeq > indexes.seq {
            try catchUp(indexes, through: storeSeq)
        }
        if mode == .readWrite, indexes.unpublishedChanges >= Self.publishThreshold {
            // Best effort: a snapshot only saves work at the next open, so a failure to write
            // one (a full disk) must not fail the search that triggered it.
            try? publish(indexes)
        }
        return indexes
    }

    private func loadIndexes(_ row: CollectionRow, storeSeq: Int64) -> CollectionIndexes {
        let directory = IndexSnapshot.directory(root: indexRoot, collectionID: row.id)
        let snapshot = IndexSnapshot.load(from: directory, configuration: row.configuration, storeSeq: storeSeq)
        return CollectionIndexes(collectionID: row.id, configuration: row.configuration, snapshot: snapshot)
    }

    /// Reads and applies every change with `indexes.seq < seq <= target`, key by key in chunks.
    /// Each chunk is its own read, so a change committed meanwhile either has seq > target
    /// (left for the next catch-up) or replaced a row this pass would have read (then its new
    /// version has seq > target too): nothing is applied twice or lost.
    func catchUp(_ indexes: CollectionIndexes, through target: Int64) throws(StoreError) {
        let from = indexes.seq
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
        indexes.advance(to: target)
    }

    /// Loads metadata and documents for filtered search (once per collection per process).
    func filterCache(for indexes: CollectionIndexes) throws(StoreError) -> FilterCache {
        if let cache = indexes.filterCache { return cache }
        // Read under one read transaction at a seq the indexes also reach afterwards.
        var cache = FilterCache()
        var seq: Int64 = 0
        try database.transaction(immediate: false) { () throws(StoreError) in
            seq = try currentSeq()
            try scan(collectionID: indexes.collectionID, withVectors: false) { (key, record) in
                cache.entries[UInt64(key)] = .init(metadata: record.metadata, document: record.document)
                return true
            }
        }
        // The cache is now at `seq`; indexes behind it catch up (updating the cache with the
        // same rows again is harmless), indexes ahead of it cannot be: they read the same store.
        if indexes.seq < seq {
            indexes.filterCache = cache
            try catchUp(indexes, through: seq)
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
        let keys = cache.admitted(filter, document)
        if indexes.admittedByFilter.count >= 16 { indexes.admittedByFilter = [:] }
        indexes.admittedByFilter[pair] = keys
        return keys
    }

    /// Writes the collection's snapshot and publishes it (writer only).
    func publish(_ indexes: CollectionIndexes) throws(StoreError) {
        let directory = IndexSnapshot.directory(root: indexRoot, collectionID: indexes.collectionID)
        try withWriterTurn { () throws(StoreError) in
            // Another writer taking turns may have published a newer state already: keep it.
            if let published = IndexSnapshot.readManifest(in: directory)?.seq, published >= indexes.seq { return }
            try IndexSnapshot(seq: indexes.seq, sparse: indexes.sparse, dense: indexes.dense).publish(to: directory)
        }
        indexes.markPublished()
    }

    /// Brings every collection's indexes up to date and publishes the ones whose snapshot is
    /// behind the database (writer only).
    public func persistIndexes() throws(StoreError) {
        try requireWriter()
        try refreshCollectionCache()
        for row in collectionCache.values {
            let published = IndexSnapshot.readManifest(in: IndexSnapshot.directory(root: indexRoot, collectionID: row.id))?.seq ?? -1
            guard published < row.changedSeq || loadedIndexes[row.id].map({ $0.unpublishedChanges > 0 }) == true else { continue }
            let indexes = try indexes(for: row)
            // `indexes(for:)` may just have published (threshold); don't write the same seq twice.
            if indexes.publishedSeq != indexes.seq { try publish(indexes) }
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
