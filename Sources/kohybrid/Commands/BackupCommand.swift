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
        tells more). Index snapshots are not copied; `restore` rebuilds them. --json prints \
        {backup, bytes, seconds}.

        Examples:
          kohybrid backup --store ./store --output ./store-2026-11-22.kohybrid
          kohybrid restore --from ./store-2026-11-22.kohybrid --store ./store-restored
        """
    )

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: ArgumentHelp("The backup file to write (replaced atomically if it exists).", valueName: "file"))
    var output: String?

    /// Deprecated spelling: `--to` (it names a store in `migrate`; a file is `--output` everywhere).
    @Option(name: .customLong("to"), help: .hidden)
    var to: String?

    @OptionGroup var jsonOutput: JSONOutputOptions

    func validate() throws {
        try Deprecated.check(new: output, "--output", old: to, "--to")
        guard file != nil else { throw ValidationError("--output is required: the backup file to write") }
    }

    private var file: String? { output ?? to }

    func run() async throws {
        guard let file else { return }
        let started = Date()
        let store = try storeOptions.openReadOnly()
        try await store.backup(to: URL(fileURLWithPath: file))
        try await store.close()
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let seconds = Date().timeIntervalSince(started)
        if jsonOutput.json {
            Terminal.printJSON(JSONValue.fields(["backup": file, "bytes": bytes, "seconds": roundedSeconds(seconds)]))
        } else {
            print("backed up \(storeOptions.store) to \(file) (\(bytes / 1_000_000) MB, \(String(format: "%.2f", seconds)) s)")
        }
    }
}
