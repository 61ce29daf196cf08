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
    /// Source entries not carried over as read, each with its reason (a duplicate id's earlier
    /// line included; its last line is migrated).
    public var skipped: [ChromaSkippedRecord]
    /// Source records that are not in the target at all after the run: the skipped ones whose
    /// id was not migrated from another line. Non-empty only with `allowPartial`.
    public var notMigrated: [ChromaSkippedRecord]
    /// With `verify`: records that differ from the source after the import (empty = identical).
    public var differences: [String]?
    /// Whether this run created the collection (false when it existed and was upserted into).
    public var created: Bool

    public init(name: String, status: Status, reason: String? = nil, space: ChromaSpace, dimension: Int? = nil,
                read: Int, imported: Int, replaced: Int, skipped: [ChromaSkippedRecord],
                notMigrated: [ChromaSkippedRecord], differences: [String]? = nil, created: Bool) {
        self.name = name; self.status = status; self.reason = reason; self.space = space
        self.dimension = dimension; self.read = read; self.imported = imported; self.replaced = replaced
        self.skipped = skipped; self.notMigrated = notMigrated; self.differences = differences
        self.created = created
    }
}

/// The outcome of `ChromaMigration.run`.
public struct ChromaMigrationReport: Sendable, Equatable {
    public var source: String
    public var format: ChromaSourceFormat
    public var target: String
    public var dryRun: Bool
    public var collections: [ChromaCollectionReport]
    public var seconds: Double
    /// What the source's integrity check found (only with `allowPartial`; otherwise such a
    /// source stops the run).
    public var sourceProblems: [String] = []

    public init(source: String, format: ChromaSourceFormat, target: String, dryRun: Bool,
                collections: [ChromaCollectionReport], seconds: Double, sourceProblems: [String] = []) {
        self.source = source; self.format = format; self.target = target; self.dryRun = dryRun
        self.collections = collections; self.seconds = seconds; self.sourceProblems = sourceProblems
    }

    /// Every source record that is not in the target, across collections.
    public var notMigrated: [ChromaSkippedRecord] { collections.flatMap(\.notMigrated) }

    /// True when every source record was migrated, the source passed its integrity check, and
    /// verification (if run) found no difference.
    public var isComplete: Bool {
        sourceProblems.isEmpty && notMigrated.isEmpty && collections.allSatisfy { $0.differences?.isEmpty ?? true }
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
