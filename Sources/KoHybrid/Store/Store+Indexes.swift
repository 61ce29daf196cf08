import Foundation

extension Store {
    /// The collection's indexes brought up to date with the store state `row` was read at.
    func indexes(for row: CollectionRow) throws(StoreError) -> CollectionIndexes {
        try indexManager.indexes(for: row, at: row.readAt)
    }

    /// Sets the publish thresholds (tests use small ones).
    func setPublishThresholds(writer: Int, reader: Int) {
        indexManager.publishThreshold = writer
        indexManager.readerPublishThreshold = reader
    }

    /// After a committed write batch (writer only): once enough records are unpublished, bring
    /// the indexes up to date and publish them, so a long ingest leaves snapshots behind as it
    /// goes. Best effort: the batch is committed whatever happens here.
    func noteWritten(_ count: Int, collectionID: Int64) {
        guard indexManager.noteWritten(count, collectionID: collectionID),
              (try? refreshCollectionCache()) != nil,
              let row = collectionCache.values.first(where: { $0.id == collectionID }),
              let indexes = try? indexes(for: row) else { return }
        // The batches since the last publish may have been caught up one search at a time.
        if indexes.publishedSeq != indexes.seq { _ = try? indexManager.publish(indexes, wait: true) }
    }

    /// Brings every collection's indexes up to date and publishes the ones whose snapshot is
    /// behind the database (writer only).
    public func persistIndexes() throws(StoreError) {
        try requireWriter()
        try refreshCollectionCache()
        for row in collectionCache.values {
            let published = try indexManager.publishedSeq(collectionID: row.id) ?? -1
            guard published < row.changedSeq || indexManager.loaded[row.id].map({ $0.unpublishedChanges > 0 }) == true else { continue }
            let indexes = try indexes(for: row)
            // Don't write the same seq twice.
            if indexes.publishedSeq != indexes.seq || published < indexes.seq { try indexManager.publish(indexes, wait: true) }
        }
    }

    /// Drops every snapshot, rebuilds all indexes from the records and publishes them (writer
    /// only), e.g. after `restore`.
    public func rebuildIndexes() throws(StoreError) {
        try requireWriter()
        try refreshCollectionCache()
        indexManager.removeSnapshots()
        for row in collectionCache.values { _ = try indexes(for: row) }
        try persistIndexes()
    }
}

extension Store {
    /// What index loading did in this `Store` so far (tests read it with `@testable import`).
    var indexActivity: IndexActivity { indexManager.activity }
}
