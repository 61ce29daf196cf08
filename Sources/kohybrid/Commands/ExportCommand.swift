import ArgumentParser
import Foundation
import KoHybrid

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every record of a store as JSON lines, so data leaves as easily as it came in.",
        discussion: """
        One line per record: {"collection","id","document","metadata",
        "embedding"}. Embedding floats are printed in float32's shortest
        round-trip form, so they read back to the identical float32; metadata
        integers stay integers (4) and floats stay floats (4.0). The store is
        opened read-only. `kohybrid migrate chroma FILE.jsonl` reads it back.

        Examples:
          kohybrid export --store ./store --format jsonl > all.jsonl
          kohybrid export --store ./store --collection sources --format jsonl \\
              --output sources.jsonl
        """
    )

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only this collection (default: all).") var collection: String?
    @Option(help: "Output format.") var format = ExportFormat.jsonl
    @Option(help: ArgumentHelp("Write to this file instead of standard output (replaced atomically).", valueName: "file")) var output: String?

    func run() async throws {
        let store = try storeOptions.openReadOnly()
        var names: [String] = []
        if let collection { names = [collection] } else { names = try await store.collections().map(\.name) }
        let destination = output.map { URL(fileURLWithPath: $0) }
        let temporary = destination.map { $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).partial-\(UUID().uuidString)") }
        let handle: FileHandle
        if let temporary {
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw CommandFailure("cannot create \(temporary.path): check that the folder of --output exists and is writable")
            }
            handle = try FileHandle(forWritingTo: temporary)
        } else {
            handle = FileHandle.standardOutput
        }
        let progress = ProgressLine("exporting", enabled: output != nil && Terminal.stderrIsTerminal)
        var written = 0
        do {
            for name in names {
                let records = try await store.get(from: name, includeEmbeddings: true)
                var chunk = ""
                for record in records {
                    chunk += RecordJSONLines.line(collection: name, record: record)
                    chunk += "\n"
                    written += 1
                    if chunk.utf8.count > 1 << 20 {
                        try handle.write(contentsOf: Data(chunk.utf8))
                        chunk = ""
                        progress.update(written)
                    }
                }
                try handle.write(contentsOf: Data(chunk.utf8))
            }
            try await store.close()
            if let temporary, let destination {
                try handle.close()
                guard rename(temporary.path, destination.path) == 0 else {
                    throw CommandFailure("cannot write \(destination.path): \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            throw error
        }
        progress.finish()
    }
}
