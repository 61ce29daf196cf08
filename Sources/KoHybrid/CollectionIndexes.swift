import Foundation
import KoHybridAnalysis
import KoHybridDense
import KoHybridSparse

/// One collection's in-memory search state, derived from its records: the BM25 index
/// (Robertson & Zaragoza 2009) over analyzed documents, the dense index (flat, then HNSW by
/// Malkov & Yashunin 2018, once large), and, once a filtered search needs it, a cache of every
/// record's metadata and document.
///
/// It includes every change with seq up to `seq`; `Store` brings it forward with `apply(_:)`.
final class CollectionIndexes {
    let collectionID: Int64
    let configuration: CollectionConfiguration
    let analyzer: Analyzer
    var sparse: BM25Index
    let dense: DenseIndex
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
        self.configuration = configuration
        analyzer = Analyzer(configuration.analyzerConfiguration)
        sparse = snapshot?.sparse ?? BM25Index(parameters: configuration.bm25)
        dense = snapshot?.dense ?? DenseIndex(dimension: configuration.dimension, metric: configuration.metric, parameters: configuration.hnsw)
        binding = snapshot?.binding
        publishedSeq = snapshot?.seq
    }

    /// Applies one chunk of changes read from the database.
    func apply(_ changes: ChangeSet, threads: Int) throws(StoreError) {
        if !changes.isEmpty { admittedByFilter = [:] }
        for key in changes.removed {
            _ = sparse.remove(key: key)
            dense.remove(key: key)
            filterCache?.entries[key] = nil
        }
        var vectors: [(key: UInt64, vector: [Float])] = []
        vectors.reserveCapacity(changes.upserted.count)
        // Every part the BM25 fields read (by default just the document), analysed together.
        let parts = configuration.bm25.parts
        let terms = analyze(changes.upserted.flatMap { change in parts.map { change.record.text(ofPart: $0) } }, threads: threads)
        for (i, change) in changes.upserted.enumerated() {
            var document: [String: [Term]] = [:]
            for (j, part) in parts.enumerated() { document[part] = terms[i * parts.count + j] }
            sparse.upsert(key: change.key, parts: document)
            if let vector = change.record.embedding {
                vectors.append((change.key, vector))
            } else {
                dense.remove(key: change.key)
            }
            filterCache?.entries[change.key] = .init(metadata: change.record.metadata, document: change.record.document)
        }
        do { try dense.upsert(batch: vectors, threads: threads) } catch {
            throw .database(path: "collection #\(collectionID)", message: "stored vector rejected by the index: \(error)")
        }
        unpublishedChanges += changes.removed.count + changes.upserted.count
    }

    /// Analyzes documents on up to `threads` threads (analysis is the costly part of BM25
    /// indexing and independent per document); results keep the input order.
    private func analyze(_ documents: [String?], threads: Int) -> [[Term]] {
        let analyzer = analyzer
        let slices = max(1, min(threads, documents.count / 256))
        guard slices > 1 else { return documents.map { $0.map { analyzer.analyze($0) } ?? [] } }
        var results = [[Term]](repeating: [], count: documents.count)
        results.withUnsafeMutableBufferPointer { output in
            // Each slice writes only its own range of the buffer, so the writes never overlap.
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let range = (documents.count * slice / slices)..<(documents.count * (slice + 1) / slices)
                for i in range { output[i] = documents[i].map { analyzer.analyze($0) } ?? [] }
            }
        }
        return results
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
