import ArgumentParser
import Foundation
import KoHybrid

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a store's collections, record counts, sizes and index freshness.",
        discussion: """
        Opens the store read-only. "snapshot current" means the saved BM25/HNSW snapshot includes \
        every committed change, so opening the store needs no catch-up. --json prints \
        {store, seq, database_bytes, collections: [{name, count, dimension, metric, analyzer, snapshot_seq, snapshot_current, ...}]}.

        Examples:
          kohybrid stats --store ./store
          kohybrid stats --store ./store --json
        """
    )

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var output: JSONOutputOptions

    func run() async throws {
        let store = try storeOptions.openReadOnly()
        let stats = try await store.stats()
        try await store.close()
        if output.json {
            Terminal.printJSON(stats)
            return
        }
        print("\(stats.directory): seq \(stats.seq), database \(stats.databaseBytes / 1_000_000) MB")
        for c in stats.collections {
            let snapshot = c.snapshotSeq.map { "snapshot seq \($0)\(c.snapshotIsCurrent ? " (current)" : " (behind)"), \(c.snapshotBytes / 1_000_000) MB" } ?? "no snapshot"
            print("  \(c.name): \(c.count) records, dim \(c.configuration.dimension) \(c.configuration.metric.rawValue), analyzer \(c.configuration.analyzer.rawValue), \(snapshot)")
        }
    }
}
