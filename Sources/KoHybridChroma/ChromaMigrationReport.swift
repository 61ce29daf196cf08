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

/// A migration that could not run or was stopped; the target is as it was before the run.
public enum ChromaMigrationError: Error, Sendable, CustomStringConvertible {
    case source(ChromaError)
    case target(StoreError)
    /// The target already has the collection with a different dimension or metric.
    case incompatibleCollection(name: String, reason: String)
    case targetNotAStore(path: String, reason: String)
    /// The source fails its integrity check; nothing was migrated (see `Options.allowPartial`).
    case damagedSource(path: String, problems: [String])
    /// Some records of a collection cannot be migrated; nothing of that collection was written
    /// (see `Options.allowPartial`).
    case incomplete(collection: String, notMigrated: [ChromaSkippedRecord])

    /// Ids grouped by reason, a few of each: `a, b and 3 more (no vector ...)`.
    static func grouped(_ records: [ChromaSkippedRecord]) -> String {
        var order: [String] = []
        var ids: [String: [String]] = [:]
        for r in records {
            if ids[r.reason] == nil { order.append(r.reason) }
            ids[r.reason, default: []].append(r.id)
        }
        let parts = order.map { reason -> String in
            let list = ids[reason] ?? []
            return list.prefix(10).joined(separator: ", ") + (list.count > 10 ? " and \(list.count - 10) more" : "") + " (\(reason))"
        }
        return parts.joined(separator: "; ") + (records.count > 10 ? " (every id: --dry-run --json)" : "")
    }

    public var description: String {
        switch self {
        case let .source(error): error.description
        case let .target(error): error.description
        case let .incompatibleCollection(name, reason): "collection \"\(name)\" exists in the target with \(reason); migrate it under another name or delete it first"
        case let .targetNotAStore(path, reason): "\(path): \(reason)"
        case let .damagedSource(path, problems):
            "\(path) fails SQLite's integrity check (\(problems.prefix(3).joined(separator: "; "))), so records could be "
                + "missing without any error; nothing was migrated. Repair it (sqlite3 chroma.sqlite3 \".recover\" into a new "
                + "database beside the segment folders) or pass --allow-partial to migrate what can still be read"
        case let .incomplete(collection, lost):
            "collection \"\(collection)\": \(lost.count) record\(lost.count == 1 ? "" : "s") cannot be migrated: "
                + Self.grouped(lost) + "; nothing of it was written. Pass --allow-partial to migrate the rest"
        }
    }
}
