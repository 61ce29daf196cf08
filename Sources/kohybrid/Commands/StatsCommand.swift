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
            print(stats.json.jsonText)
            return
        }
        print("\(stats.directory): seq \(stats.seq), database \(stats.databaseBytes / 1_000_000) MB")
        for c in stats.collections {
            let snapshot = c.snapshotSeq.map { "snapshot seq \($0)\(c.snapshotIsCurrent ? " (current)" : " (behind)"), \(c.snapshotBytes / 1_000_000) MB" } ?? "no snapshot"
            print("  \(c.name): \(c.count) records, dim \(c.configuration.dimension) \(c.configuration.metric.rawValue), analyzer \(c.configuration.analyzer.rawValue), \(snapshot)")
        }
    }
}
