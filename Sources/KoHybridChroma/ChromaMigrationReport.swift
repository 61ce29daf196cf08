import KoHybrid

/// What a migration did to one collection (`kohybrid migrate chroma --json` prints these).
public struct ChromaCollectionReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Records were written (or would be, in a dry run).
        case imported
        /// Dry run: nothing was written.
        case dryRun = "dry-run"
        /// The collection was not carried over; `reason` says why.
        case skipped
    }

    public var name: String
    public var status: Status
    /// Why the collection was skipped, if it was.
    public var reason: String?
    public var space: ChromaSpace
    public var dimension: Int?
    /// Live records found in the source.
    public var read: Int
    /// Records written to the store (0 in a dry run).
    public var imported: Int
    /// Of `imported`, ids that already existed in the target and were replaced (re-runs).
    public var replaced: Int
    /// Source records not carried over, each with its reason.
    public var skipped: [ChromaSkippedRecord]
    /// With `verify`: records that differ from the source after the import (empty = identical).
    public var differences: [String]?
    /// Whether this run created the collection (false when it existed and was upserted into).
    public var created: Bool
}

/// The outcome of `ChromaMigration.run`.
public struct ChromaMigrationReport: Sendable, Equatable {
    public var source: String
    public var format: ChromaSourceFormat
    public var target: String
    public var dryRun: Bool
    public var collections: [ChromaCollectionReport]
    public var seconds: Double

    /// True when nothing was skipped and verification (if run) found no difference.
    public var isComplete: Bool {
        collections.allSatisfy { $0.status != .skipped && $0.skipped.isEmpty && ($0.differences?.isEmpty ?? true) }
    }
}

/// Progress events for a terminal display.
public enum ChromaMigrationProgress: Sendable {
    case reading(collection: String)
    case writing(collection: String, done: Int, total: Int)
    case verifying(collection: String)
    /// The store builds its BM25 and HNSW indexes and writes their snapshots.
    case buildingIndexes
    /// A new store is moved into place.
    case publishing
}

/// A migration that could not run or was stopped; the target is as it was before the run.
public enum ChromaMigrationError: Error, Sendable, CustomStringConvertible {
    case source(ChromaError)
    case target(StoreError)
    /// The target already has the collection with a different dimension or metric.
    case incompatibleCollection(name: String, reason: String)
    case targetNotAStore(path: String, reason: String)

    public var description: String {
        switch self {
        case let .source(error): error.description
        case let .target(error): error.description
        case let .incompatibleCollection(name, reason): "collection \"\(name)\" exists in the target with \(reason); migrate it under another name or delete it first"
        case let .targetNotAStore(path, reason): "\(path): \(reason)"
        }
    }
}
