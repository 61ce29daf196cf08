import ArgumentParser
import Foundation
import KoHybrid
#if canImport(Glibc)
import Glibc
#endif

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a store from a file written by `kohybrid backup`.",
        discussion: """
        Checks the backup's integrity, then copies it into the store directory in one transaction \
        and rebuilds the BM25 and HNSW index snapshots. Refuses to overwrite an existing store \
        unless --replace is given, and fails while a writer has the store open. --json prints \
        {store, collections: {name: records}, seconds}.

        Examples:
          kohybrid backup --store ./store --output ./store-2026-11-22.kohybrid
          kohybrid restore --from ./store-2026-11-22.kohybrid --store ./store-restored
        """
    )

    @Option(help: ArgumentHelp("The backup file (written by `kohybrid backup`).", valueName: "file")) var from: String
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Overwrite an existing store.") var replace = false
    @OptionGroup var output: JSONOutputOptions
    /// Test hook: SIGKILL this process once the staged copy is complete, before it becomes the store.
    @Flag(help: .hidden) var crashBeforePublish = false

    func run() async throws {
        let started = Date()
        let directory = storeOptions.url
        do {
            let crash = crashBeforePublish
            try await Store.restore(from: URL(fileURLWithPath: from), to: directory, replacing: replace) {
                if crash { kill(getpid(), SIGKILL) }
            }
        } catch {
            guard case .storeExists(let path) = error else { throw error }
            throw CommandFailure("\(path): a store already exists here; pass --replace to overwrite it")
        }
        // Opening as the writer and closing rebuilds and publishes every collection's snapshots.
        let progress = ProgressLine("rebuilding indexes")
        progress.update(0)
        let restored = try Store(directory: directory)
        let collections = try await restored.collections()
        try await restored.rebuildIndexes()
        try await restored.close()
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        let counts = Dictionary(uniqueKeysWithValues: collections.map { ($0.name, $0.count) })
        if output.json {
            Terminal.printJSON(JSONValue.fields(["store": storeOptions.store, "collections": counts, "seconds": roundedSeconds(seconds)]))
        } else {
            print("restored \(collections.count) collections (\(counts.values.reduce(0, +)) records) into \(storeOptions.store) in \(String(format: "%.1f", seconds)) s")
        }
    }
}
