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
