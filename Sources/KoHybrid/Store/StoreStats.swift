import Foundation

/// Sizes and freshness of a store, for `kohybrid stats` and monitoring.
public struct StoreStats: Sendable, Hashable {
    public var directory: String
    /// The seq of the last committed write batch.
    public var seq: Int64
    public var databaseBytes: Int
    public var collections: [CollectionStats]

    public init(directory: String, seq: Int64, databaseBytes: Int, collections: [CollectionStats]) {
        self.directory = directory; self.seq = seq; self.databaseBytes = databaseBytes
        self.collections = collections
    }
}

/// One collection in `StoreStats`.
public struct CollectionStats: Sendable, Hashable {
    public var name: String
    public var configuration: CollectionConfiguration
    public var count: Int
    /// The seq of the last batch that changed the collection.
    public var changedSeq: Int64
    /// The seq the published index snapshot includes (nil when there is none, or it was built
    /// from another store state).
    public var snapshotSeq: Int64?
    public var snapshotBytes: Int

    public init(name: String, configuration: CollectionConfiguration, count: Int, changedSeq: Int64,
                snapshotSeq: Int64? = nil, snapshotBytes: Int) {
        self.name = name; self.configuration = configuration; self.count = count; self.changedSeq = changedSeq
        self.snapshotSeq = snapshotSeq; self.snapshotBytes = snapshotBytes
    }

    /// Whether the snapshot includes every change (open then needs no catch-up).
    public var snapshotIsCurrent: Bool { snapshotSeq.map { $0 >= changedSeq } ?? false }
}

extension Store {
    /// Record counts, file sizes and snapshot freshness of every collection.
    ///
    /// ```swift
    /// for c in try await store.stats().collections where !c.snapshotIsCurrent {
    ///     print("\(c.name): the next open catches up from seq \(c.snapshotSeq ?? 0)")
    /// }
    /// ```
    public func stats() throws(StoreError) -> StoreStats {
        try refreshCollectionCache()
        let fileManager = FileManager.default
        func size(_ path: String) -> Int { (try? fileManager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var collections: [CollectionStats] = []
        for row in collectionCache.values.sorted(by: { $0.name < $1.name }) {
            let directory = IndexSnapshot.directory(root: indexManager.root, collectionID: row.id)
            let manifest = IndexSnapshot.readManifest(in: directory)
            let bytes = manifest.map { size(directory.appendingPathComponent($0.sparseFile).path) + size(directory.appendingPathComponent($0.denseFile).path) } ?? 0
            // A snapshot of another store state (a replaced database) counts as none.
            collections.append(CollectionStats(name: row.name, configuration: row.configuration, count: try records.count(collectionID: row.id),
                                               changedSeq: row.changedSeq, snapshotSeq: try indexManager.publishedSeq(collectionID: row.id), snapshotBytes: bytes))
        }
        return StoreStats(directory: directory.path, seq: try records.currentSeq(), databaseBytes: size(databasePath), collections: collections)
    }
}
