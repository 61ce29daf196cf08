import ArgumentParser
import Foundation
import KoHybrid
import KoHybridChroma

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move data from another vector store into a KoHybrid store.",
        discussion: """
        One subcommand per source system; each reads the source directly (no Python, no running \
        server), checks it first, and builds the target beside it so a failed run changes nothing.

        Examples:
          kohybrid migrate chroma ./chroma-persist --store ./store --dry-run
          kohybrid migrate chroma all.jsonl --store ./other-store --space cosine
        """,
        subcommands: [MigrateChromaCommand.self]
    )
}

struct MigrateChromaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chroma",
        abstract: "Migrate Chroma collections (persisted directory or export), with no Python and no running Chroma.",
        discussion: """
        SOURCE is one of:
          a persisted directory (PersistentClient(path=...)), written by
            chromadb 0.4, 0.5, 0.6 or 1.0-1.5; read directly, never modified
          a .json file: json.dump of collection.get(include=["embeddings",
            "documents","metadatas"]) (embeddings converted with .tolist())
          a .jsonl file: `cdp export` lines (record or flat shape, also its
            --out bytes literals) or `kohybrid export` lines

        Every collection comes over with its metadata, the distance space its
        index really used, its dimension and HNSW settings; every live record
        with its id, document, typed metadata (ints stay ints, floats stay
        floats, 1.5 list values included) and its exact float32 embedding,
        updates and deletes applied. BM25 is built from the documents.

        Nothing is lost silently. The source is checked first (SQLite's integrity \
        check of chroma.sqlite3), and a collection with records that cannot be \
        migrated (no vector in the HNSW files or the write-ahead queue, a missing \
        segment folder, an export line without an embedding) is not written: the \
        run fails and names the records. --allow-partial migrates what can be read \
        instead, and the report lists every record left behind. Exit status: 0 when \
        every source record is in the target (or --allow-partial accepted the \
        rest), 1 on an error, 2 when --verify finds a difference, 3 when a dry run \
        finds records that a real run could not migrate.

        Re-running is safe: records are upserted by id. An interrupted run
        leaves the target as it was: a new store is built beside the target
        and renamed into place at the end; in an existing store each
        collection is written in one transaction. --json prints {source, format, target, \
        dry_run, complete, seconds, collections: [{name, status, read, imported, skipped, \
        not_migrated, differences?}]}.

        Examples:
          kohybrid migrate chroma ./chroma-persist --store ./store --dry-run
          kohybrid migrate chroma ./chroma-persist --store ./store --verify
          kohybrid migrate chroma ./chroma-persist --store ./store \\
              --collections sources,examples --json
          kohybrid migrate chroma ./fine_dining.json --store ./store \\
              --name fine_dining --space cosine
        """
    )

    @Argument(help: "Chroma persisted directory, collection.get JSON dump, or JSON-lines export.")
    var source: String

    @Option(help: ArgumentHelp("The KoHybrid store directory (created if missing).", valueName: "dir"))
    var store: String?

    /// Deprecated spelling: `--to` (every command names its store with `--store`).
    @Option(name: .customLong("to"), help: .hidden)
    var to: String?

    @Option(help: ArgumentHelp("Only these collections.", valueName: "name,name,..."))
    var collections: String?

    @Flag(help: "Read the source and report what would be migrated; write nothing.")
    var dryRun = false

    @Flag(help: "After importing, read every record back and compare it with the source.")
    var verify = false

    @Flag(help: "Migrate what can be read when some records cannot be (listed in the report), and read a source that fails its integrity check.")
    var allowPartial = false

    @OptionGroup var output: JSONOutputOptions

    @Option(help: "Exports only: the collection name (default: the file name).")
    var name: String?

    @Option(help: "Exports only: the distance space the vectors were indexed with.")
    var space = ChromaSpace.l2

    @Option(help: "Flat JSON lines only: the id field.")
    var idField = "id"

    @Option(help: "Flat JSON lines only: the document field.")
    var documentField = "text_chunk"

    @Option(help: "Flat JSON lines only: the embedding field.")
    var embeddingField = "embedding"

    func validate() throws {
        try Deprecated.check(new: store, "--store", old: to, "--to")
        guard target != nil else { throw ValidationError("--store is required: the KoHybrid store to migrate into") }
        if let collections, selectedCollections(collections).isEmpty { throw ValidationError("--collections needs at least one name") }
    }

    private var target: String? { store ?? to }

    private func selectedCollections(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let report = try await migrate()
        if output.json {
            Terminal.printJSON(report.json)
        } else {
            printSummary(report)
        }
        if report.collections.contains(where: { !($0.differences?.isEmpty ?? true) }) { throw ExitCode(2) }
        if !allowPartial, !report.isComplete {
            // Only a dry run gets here: a real run stops before writing such a collection.
            throw CommandFailure("\(report.notMigrated.count) records could not be migrated"
                + (report.sourceProblems.isEmpty ? "" : " and the source fails its integrity check")
                + "; a real run would stop (pass --allow-partial to accept a partial migration)", status: ExitCode(3))
        }
    }

    /// Reads the source and writes (or, in a dry run, only checks) every selected collection.
    private func migrate() async throws -> ChromaMigrationReport {
        let exportOptions = ChromaExportOptions(collectionName: name, space: space, idField: idField,
                                                documentField: documentField, embeddingField: embeddingField)
        let display = MigrationProgressDisplay()
        defer { display.finish() }
        do {
            let chroma = try ChromaSource.open(URL(fileURLWithPath: source), exportOptions: exportOptions)
            let migration = ChromaMigration(source: chroma, target: URL(fileURLWithPath: target ?? ""),
                                            options: .init(collections: collections.map(selectedCollections), dryRun: dryRun,
                                                           verify: verify, allowPartial: allowPartial))
            return try await migration.run { display.show($0) }
        } catch let error as ChromaError {
            throw CommandFailure(error.description)
        } catch let error as ChromaMigrationError {
            throw CommandFailure(error.description)
        }
    }

    private func printSummary(_ report: ChromaMigrationReport) {
        let verb = report.dryRun ? "would migrate" : "migrated"
        print("\(verb) \(report.source) (\(report.format.label)) → \(report.target) in \(String(format: "%.2f", report.seconds)) s")
        for problem in report.sourceProblems.prefix(10) { print("  source integrity: \(problem)") }
        for c in report.collections {
            var line = "  \(c.name): "
            if c.status == .skipped {
                line += "skipped: \(c.reason ?? "")"
            } else {
                line += "\(c.read) read, \(c.imported) imported"
                if c.replaced > 0 { line += " (\(c.replaced) replaced)" }
                line += ", \(c.space.rawValue), dimension \(c.dimension.map(String.init) ?? "-")"
                if !c.notMigrated.isEmpty { line += ", \(c.notMigrated.count) NOT MIGRATED" }
                if c.skipped.count > c.notMigrated.count { line += ", \(c.skipped.count - c.notMigrated.count) duplicate lines skipped" }
                if let differences = c.differences {
                    line += !differences.isEmpty ? ", \(differences.count) DIFFERENCES"
                        : c.notMigrated.isEmpty ? ", verified identical"
                        : ", the \(c.imported) migrated verified identical"
                }
            }
            print(line)
            // Every record left behind, so a partial migration can be followed up.
            for s in c.notMigrated { print("    not migrated \(s.id): \(s.reason)") }
            for s in c.skipped.filter({ s in !c.notMigrated.contains { $0.id == s.id } }).prefix(10) { print("    skipped \(s.id): \(s.reason)") }
            for d in (c.differences ?? []).prefix(10) { print("    differs \(d)") }
        }
    }
}

/// Shows migration phases on stderr, only when a person is watching.
final class MigrationProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: ProgressLine?
    private var counting = ""
    private var shown = false

    func show(_ event: ChromaMigrationProgress) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case let .reading(collection): phase("reading \(collection)…")
        case let .writing(collection, done, total):
            if counting != collection {
                counting = collection
                counter = ProgressLine("writing \(collection)", total: total)
            }
            counter?.update(done)
            shown = true
        case let .verifying(collection): phase("verifying \(collection)…")
        case .buildingIndexes: phase("building BM25 and HNSW indexes…")
        case .publishing: phase("publishing the store…")
        }
    }

    /// A phase without a count: one line, replaced by the next.
    private func phase(_ text: String) {
        counting = ""
        guard Terminal.stdoutIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        shown = true
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if shown, Terminal.stdoutIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

extension ChromaSourceFormat {
    var label: String {
        switch self {
        case let .persistedDirectory(family): "persisted directory, \(family.rawValue)"
        case .getExport: "collection.get JSON"
        case .jsonLines: "JSON lines"
        }
    }
}

extension ChromaMigrationReport {
    /// The `--json` form: one object, per-collection counts and reasons.
    var json: JSONValue {
        .fields([
            "source": source, "format": format.label, "target": target, "dry_run": dryRun,
            "complete": isComplete, "source_problems": sourceProblems,
            "seconds": roundedSeconds(seconds),
            "records_per_second": seconds > 0 ? Double(collections.reduce(0) { $0 + $1.imported }) / seconds : 0,
            "collections": collections.map { c in
                var o: [String: any JSONConvertible] = [
                    "name": c.name, "status": c.status.rawValue, "space": c.space.rawValue,
                    "read": c.read, "imported": c.imported, "replaced": c.replaced, "created": c.created,
                    "skipped": c.skipped.map { JSONValue.fields(["id": $0.id, "reason": $0.reason]) },
                    "not_migrated": c.notMigrated.map { JSONValue.fields(["id": $0.id, "reason": $0.reason]) },
                    "dimension": c.dimension,
                ]
                if let reason = c.reason { o["reason"] = reason }
                if let differences = c.differences { o["differences"] = differences }
                return JSONValue.fields(o)
            },
        ])
    }
}
