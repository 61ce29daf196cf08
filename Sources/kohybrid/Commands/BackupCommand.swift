import ArgumentParser
import Foundation
import KoHybrid

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy a store into one file while readers keep working.",
        discussion: """
        Uses SQLite's online backup API: the copy is one consistent state of every collection. It \
        opens the store read-only, so it works while a writer is open elsewhere (the writer's next \
        commit waits until the copy is done). The copy then gets SQLite's full integrity check: a \
        damaged store fails with exit status 1 and no backup file is written (`kohybrid check` \
        tells more). Index snapshots are not copied; `restore` rebuilds them.

        Example:
          kohybrid backup --store ./store --to ./store-2026-11-22.kohybrid
        """
    )

    @Option(help: "The store directory.") var store: String
    @Option(help: "The backup file to write (replaced atomically if it exists).") var to: String
    @Flag(help: "Print a JSON summary.") var json = false

    func run() async throws {
        let started = Date()
        let store = try Store(directory: URL(fileURLWithPath: self.store), mode: .readOnly)
        try await store.backup(to: URL(fileURLWithPath: to))
        try await store.close()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? Int) ?? 0
        let seconds = Date().timeIntervalSince(started)
        if json {
            Terminal.printJSON(["backup": to, "bytes": bytes, "seconds": (seconds * 1000).rounded() / 1000])
        } else {
            print("backed up \(self.store) to \(to) (\(bytes / 1_000_000) MB, \(String(format: "%.2f", seconds)) s)")
        }
    }
}
