import Foundation

/// What the index manager knows of one collection's loaded indexes: the shared
/// `CollectionSearcher` (analyzer + BM25 + dense index) and the store state it includes, its
/// published snapshot, and, once a filtered search needs it, a cache of every record's
/// metadata and document. Touched only inside the `Store` actor; searches get the searcher.
///
/// It includes every change with seq up to `seq`; the index manager brings it forward with
/// `apply(_:threads:)`.
final class CollectionIndexes {
    let collectionID: Int64
    let searcher: CollectionSearcher
    var configuration: CollectionConfiguration { searcher.configuration }
    /// Every change with seq <= this is applied.
    var seq: Int64 { binding?.seq ?? 0 }
    /// The store state the indexes include (nil: none yet, they are empty).
    private(set) var binding: StateBinding?
    /// The store state at which `binding` was last confirmed to be in the database's history.
    var confirmedAt: StateBinding?
    /// The checksum of a manifest found on disk but unusable when these indexes were loaded.
    var rejectedManifest: UInt64?
    /// The seq of the snapshot on disk that matches (or precedes) this state.
    var publishedSeq: Int64?
    /// Changes applied since the last published snapshot.
    private(set) var unpublishedChanges = 0
    /// Metadata and documents for filtered search, loaded on first use.
    var filterCache: FilterCache?
    /// The keys recent filters admitted, valid until the next change (batch jobs tend to repeat
    /// one filter across many queries).
    var admittedByFilter: [FilterPair: Set<UInt64>] = [:]

    init(collectionID: Int64, configuration: CollectionConfiguration, snapshot: IndexSnapshot?) {
        self.collectionID = collectionID
        searcher = CollectionSearcher(configuration: configuration, sparse: snapshot?.sparse, dense: snapshot?.dense)
        binding = snapshot?.binding
        publishedSeq = snapshot?.seq
    }

    /// Applies one chunk of changes read from the database.
    func apply(_ changes: ChangeSet, threads: Int) throws(StoreError) {
        guard !changes.isEmpty else { return }
        admittedByFilter = [:]
        for key in changes.removed { filterCache?.entries[key] = nil }
        for change in changes.upserted {
            filterCache?.entries[change.key] = .init(metadata: change.record.metadata, document: change.record.document)
        }
        do { try searcher.apply(changes, threads: threads) } catch {
            throw .database(path: "collection #\(collectionID)", message: error.description)
        }
        unpublishedChanges += changes.removed.count + changes.upserted.count
    }

    /// Marks every change through `state.seq` applied (after the last chunk of a catch-up).
    func advance(to state: StateBinding) {
        if state.seq >= seq { binding = state }
    }

    func markPublished() {
        publishedSeq = seq
        unpublishedChanges = 0
    }
}

/// What index loading and publishing did in one `Store`, for tests and diagnostics.
struct IndexActivity: Sendable, Equatable {
    /// Indexes that started from a published snapshot.
    var snapshotsLoaded = 0
    /// Indexes built from the records because no usable snapshot was there.
    var rebuilds = 0
    /// Records and tombstones applied on top of a snapshot (or a rebuild).
    var changesApplied = 0
    /// Snapshots this store published.
    var snapshotsPublished = 0
}

/// Changes to a collection read from the database: keys removed (tombstones) and records
/// inserted or replaced.
struct ChangeSet {
    var removed: [UInt64] = []
    var upserted: [(key: UInt64, record: Record)] = []
    var isEmpty: Bool { removed.isEmpty && upserted.isEmpty }
}

/// Every record's metadata and document by key, for evaluating filters during search.
struct FilterCache: Sendable {
    struct Entry: Sendable {
        var metadata: Metadata
        var document: String?
    }
    var entries: [UInt64: Entry] = [:]

    /// The keys of the records that pass both filters.
    func admitted(_ filter: Filter?, _ document: DocumentFilter?) throws(StoreError) -> Set<UInt64> {
        var keys = Set<UInt64>()
        for (key, entry) in entries where filter?.matches(entry.metadata) ?? true {
            let passes: Bool
            do { passes = try document?.matches(entry.document) ?? true } catch { throw .invalidFilter(error) }
            if passes { keys.insert(key) }
        }
        return keys
    }
}

/// A filter pair as a dictionary key, for remembering which keys it admits.
struct FilterPair: Hashable {
    var filter: Filter?
    var document: DocumentFilter?
}
