import KoHybrid

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
