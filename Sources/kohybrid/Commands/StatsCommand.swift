import ArgumentParser
import Foundation
import KoHybrid

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a store's collections, record counts, sizes and index freshness.",
        discussion: """
        Opens the store read-only. "snapshot current" means the saved BM25/HNSW snapshot includes \
        every committed change, so opening the store needs no catch-up.

        Example:
          kohybrid stats --store ./store --json
        """
    )

    @Option(help: "The store directory.") var store: String
    @Flag(help: "Print one JSON object.") var json = false

    func run() async throws {
        let store = try Store(directory: URL(fileURLWithPath: self.store), mode: .readOnly)
        let stats = try await store.stats()
        try await store.close()
        if json {
            let collections: [JSONValue] = stats.collections.map { c in
                .object(["name": .string(c.name), "count": .int(Int64(c.count)), "dimension": .int(Int64(c.configuration.dimension)),
                         "metric": .string(c.configuration.metric.rawValue), "analyzer": .string(c.configuration.analyzer.rawValue),
                         "changed_seq": .int(c.changedSeq), "snapshot_seq": c.snapshotSeq.map { .int($0) } ?? .null,
                         "snapshot_bytes": .int(Int64(c.snapshotBytes)), "snapshot_current": .bool(c.snapshotIsCurrent),
                         "metadata": c.configuration.metadata.json])
            }
            print(JSONValue.object(["store": .string(stats.directory), "seq": .int(stats.seq),
                                    "database_bytes": .int(Int64(stats.databaseBytes)), "collections": .array(collections)]).jsonText)
            return
        }
        print("\(stats.directory): seq \(stats.seq), database \(stats.databaseBytes / 1_000_000) MB")
        for c in stats.collections {
            let snapshot = c.snapshotSeq.map { "snapshot seq \($0)\(c.snapshotIsCurrent ? " (current)" : " (behind)"), \(c.snapshotBytes / 1_000_000) MB" } ?? "no snapshot"
            print("  \(c.name): \(c.count) records, dim \(c.configuration.dimension) \(c.configuration.metric.rawValue), analyzer \(c.configuration.analyzer.rawValue), \(snapshot)")
        }
    }
}
