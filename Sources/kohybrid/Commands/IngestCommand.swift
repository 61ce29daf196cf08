import ArgumentParser
import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridDense
import KoHybridEmbedding
#if canImport(Glibc)
import Glibc
#endif

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add records to a collection from JSONL (with vectors) or a BEIR corpus.",
        discussion: """
        Each JSONL line is one record, Chroma style:
          {"id": "s1", "document": "스시 오마카세 런치",
           "metadata": {"price": 120000, "tags": ["런치"]}, "embedding": [0.1, ...]}
        ("_id" and "text" are accepted too). Integers and floats in metadata keep their type. \
        Vectors may instead come from a raw float32 file (--vectors, --dim), one row per line, \
        or from an embedder: with --embed-url and --embed-model, documents without a vector are \
        embedded (through the vector cache, progress on stderr) and the collection records the \
        embedder, so `kohybrid search --text` embeds queries the same way.

        All or nothing before the first write: every record is read and checked first (JSON, \
        ids present and unique, vectors of the collection's dimension with finite values, \
        metadata types), and one bad record, reported as FILE:LINE or by id, means nothing is \
        written. Records are then upserted in batches of --batch-size, each batch atomic; \
        writers in other processes (pods) take turns with it batch by batch (--lock-timeout); \
        should writing itself fail midway (disk full, a kill), the batches already committed \
        stay, and the error says how many records were committed. Re-running the same ingest \
        is safe: records are upserted by id.

        A missing collection is created, in the same transaction as the first batch, with \
        --dim (or the vectors' dimension), --metric (default cosine) and --analyzer (default \
        korean). For an existing collection these options may be repeated but must match: \
        its settings are fixed when it is created. Index snapshots are built and published at \
        the end.

        Examples:
          kohybrid ingest --store ./store --collection omakase.sources \\
              --jsonl shops.jsonl
          kohybrid ingest --store ./store --collection shops --jsonl shops.jsonl \\
              --vectors shops.f32 --dim 384
          kohybrid ingest --store ./store --collection boolq \\
              --corpus ../shared/corpora/kobest-boolq
          kohybrid ingest --store ./store --collection docs --jsonl docs.jsonl \\
              --embed-url http://127.0.0.1:8080/v1 --embed-model e5-small --embed-input-type
        """
    )

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The collection to write to (created when missing).") var collection: String
    @Option(help: ArgumentHelp("A JSONL file of records.", valueName: "file")) var jsonl: String?
    @Option(help: ArgumentHelp("A raw little-endian float32 file with one vector per JSONL record.", valueName: "file")) var vectors: String?
    @Option(help: "The vector dimension (for --vectors, or a new collection; 1 to 65,536).") var dim: Int?
    @Option(help: ArgumentHelp("A BEIR corpus directory (corpus.jsonl and corpus.<model>.f32).", valueName: "dir")) var corpus: String?
    @Option(help: "The embedding model in the corpus's vector file name (corpus.<model>.f32; default e5-small when that file exists).")
    var model: String?
    @Option(help: "Distance metric for a new collection (default cosine).") var metric: DistanceMetric?
    @OptionGroup var analyzer: AnalyzerOptions
    @Option(help: "Records per atomic batch.") var batchSize = 2000
    @Option(help: "Seconds each batch waits for its turn while writers in other processes (pods) write theirs.")
    var lockTimeout = 60.0
    @OptionGroup var output: JSONOutputOptions
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions
    /// Test hook: SIGKILL this process after writing this many rows of a batch, before it commits.
    @Option(help: .hidden) var crashAfterRows: Int?
    /// Test hook: SIGSTOP this process once, when the first batch has written this many rows (a
    /// multiple of 1,000), before it commits.
    @Option(help: .hidden) var stopAfterRows: Int?

    func validate() throws {
        guard (jsonl == nil) != (corpus == nil) else { throw ValidationError("give exactly one of --jsonl or --corpus") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        guard lockTimeout >= 0, lockTimeout.isFinite else { throw ValidationError("--lock-timeout must be a number of seconds, 0 or more") }
        if let dim, !(1...CollectionConfiguration.maximumDimension).contains(dim) {
            throw ValidationError("--dim must be between 1 and \(CollectionConfiguration.maximumDimension), got \(dim)")
        }
        guard vectors == nil || dim != nil else { throw ValidationError("--vectors needs --dim (values per vector)") }
        guard vectors == nil || jsonl != nil else { throw ValidationError("--vectors goes with --jsonl (a corpus brings its own vector files)") }
        guard model == nil || corpus != nil else { throw ValidationError("--model picks a corpus vector file; it needs --corpus") }
    }

    /// The counts one ingest reports.
    private struct Summary {
        var inserted = 0, updated = 0, committed = 0
    }

    func run() async throws {
        var records = try readRecords()
        let started = Date()
        // A store that does not exist yet is created only once the records have passed.
        let directory = storeOptions.url
        let storeExists = FileManager.default.fileExists(atPath: directory.appendingPathComponent("store.sqlite").path)
        let writers = Store.WriterPolicy.takeTurns(timeout: .seconds(lockTimeout))
        let opened = storeExists ? try Store(directory: directory, writers: writers) : nil
        let existing = try await opened?.collections().first(where: { $0.name == collection })?.configuration
        let embedder: CommandEmbedder?
        let configuration: CollectionConfiguration
        do {
            // Embedding comes before any write: a failing embedder leaves the store as it was.
            embedder = try await embedMissingVectors(&records, existing: existing)
            configuration = try checkedConfiguration(records, existing: existing)
        } catch {
            try? await opened?.close()
            throw error
        }
        let writer = try opened ?? Store(directory: directory, writers: writers)
        let summary = try await write(records, to: writer, creatingWith: existing == nil ? configuration : nil)
        if existing != nil, let configuration = embedding.configuration, existing?.embedder != configuration {
            try await writer.setEmbedder(configuration, for: collection)
        }
        try await publishIndexes(writer, records: records.count, summary)
        try await report(summary, records: records.count, seconds: Date().timeIntervalSince(started), embedder: embedder)
    }

    /// Every record of --jsonl (with --vectors) or --corpus, each problem named by file and line.
    private func readRecords() throws -> [Record] {
        do {
            if let jsonl { return try RecordFile.readJSONL(path: jsonl, vectors: vectors, dimension: dim ?? 0) }
            return try RecordFile.readBEIR(path: corpus ?? "", model: model)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// Embeds the documents that have no vector, when --embed-url is given; refuses an embedder
    /// that makes other vectors than the ones the collection holds.
    private func embedMissingVectors(_ records: inout [Record], existing: CollectionConfiguration?) async throws -> CommandEmbedder? {
        guard let configuration = embedding.configuration else { return nil }
        if let recorded = existing?.embedder, !Self.sameVectors(recorded, configuration) {
            throw CommandFailure("collection \"\(collection)\" was embedded with model \"\(recorded.model)\" (\(recorded.vectorIdentity(for: .document))); these options make other vectors")
        }
        let embedder = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(),
                                           dimension: existing?.dimension ?? dim ?? configuration.dimensions)
        let needing = records.indices.filter { records[$0].embedding == nil && !(records[$0].document ?? "").isEmpty }
        let vectors = try await embedder.embed(needing.map { records[$0].document ?? "" }, role: .document, label: "embedding \(collection)")
        for (i, vector) in zip(needing, vectors) { records[i].embedding = vector }
        await embedder.printSummary()
        return embedder
    }

    /// The collection's configuration (an existing one's, or the one this ingest creates),
    /// with every record checked against it before the first batch is written.
    private func checkedConfiguration(_ records: [Record], existing: CollectionConfiguration?) throws -> CollectionConfiguration {
        do {
            var configuration = try existing.map(checkSettings) ?? newConfiguration(records)
            if existing == nil { configuration.embedder = embedding.configuration }
            try Store.validate(records, collection: collection, configuration: configuration)
            return configuration
        } catch {
            throw CommandFailure("\(error); nothing was written")
        }
    }

    /// Upserts in batches of --batch-size, each atomic; a failing batch says what stays.
    private func write(_ records: [Record], to writer: Store, creatingWith configuration: CollectionConfiguration?) async throws -> Summary {
        let progress = ProgressLine("ingest \(collection)", total: records.count)
        var summary = Summary()
        for start in stride(from: 0, to: records.count, by: batchSize) {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            let crashAt = crashAfterRows, stopAt = stopAfterRows
            do {
                let written = try await writer.upsert(batch, into: collection, creatingWith: configuration) { written in
                    progress.update(start + written)
                    if let crashAt, written >= crashAt { kill(getpid(), SIGKILL) }
                    if let stopAt, written == stopAt, start == 0 { kill(getpid(), SIGSTOP) }
                }
                summary.inserted += written.inserted
                summary.updated += written.updated
                summary.committed += batch.count
            } catch {
                progress.finish()
                try? await writer.close()
                let kept = summary.committed == 0 ? "nothing was written" + (configuration != nil ? " (the collection was not created)" : "")
                    : "\(summary.committed) of \(records.count) records were committed in earlier batches and stay; re-run to add the rest"
                throw CommandFailure("the batch of records \(start + 1)-\(start + batch.count) was not written: \(error); \(kept)")
            }
        }
        progress.finish()
        return summary
    }

    /// Closing the writer builds and publishes the index snapshots.
    private func publishIndexes(_ writer: Store, records: Int, _ summary: Summary) async throws {
        let indexing = ProgressLine("building indexes")
        indexing.update(0)
        defer { indexing.finish() }
        do { try await writer.close() } catch {
            throw CommandFailure("all \(records) records were committed (\(summary.inserted) inserted, \(summary.updated) updated), "
                + "but publishing the index snapshots failed: \(error); the records are safe, and searches rebuild the indexes from them")
        }
    }

    private func report(_ summary: Summary, records: Int, seconds: Double, embedder: CommandEmbedder?) async throws {
        guard output.json else {
            print("\(collection): \(summary.inserted) inserted, \(summary.updated) updated in \(String(format: "%.1f", seconds)) s")
            return
        }
        var fields: [String: any JSONConvertible] = [
            "collection": collection, "records": records, "inserted": summary.inserted, "updated": summary.updated,
            "seconds": roundedSeconds(seconds), "docs_per_s": wholeNumber(Double(records) / max(seconds, 1e-9)),
        ]
        if let embedder { fields["embedding"] = JSONValue.fields(await embedder.report()) }
        Terminal.printJSON(JSONValue.fields(fields))
    }

    /// An existing collection's settings are fixed: options that repeat them are fine, options
    /// that differ would be silently ignored, so they are refused.
    private func checkSettings(_ existing: CollectionConfiguration) throws -> CollectionConfiguration {
        var conflicts: [String] = []
        if let dim, dim != existing.dimension { conflicts.append("--dim \(dim) (it has dimension \(existing.dimension))") }
        if let metric, metric != existing.metric { conflicts.append("--metric \(metric.rawValue) (it has \(existing.metric.rawValue))") }
        if let analyzer = analyzer.given, analyzer != existing.analyzer {
            conflicts.append("--analyzer \(analyzer.rawValue) (it has \(existing.analyzer.rawValue))")
        }
        guard conflicts.isEmpty else {
            throw CommandFailure("collection \"\(collection)\" already exists and its settings are fixed at creation: "
                + conflicts.joined(separator: ", ") + "; drop the option or ingest into a new collection")
        }
        return existing
    }

    /// The configuration of the collection this ingest creates.
    private func newConfiguration(_ records: [Record]) throws -> CollectionConfiguration {
        guard let dimension = dim ?? records.lazy.compactMap(\.embedding).first?.count else {
            throw CommandFailure("collection \"\(collection)\" does not exist and no record has a vector: give --dim to create it")
        }
        return CollectionConfiguration(dimension: dimension, metric: metric ?? .cosine, analyzer: analyzer.value)
    }

    /// Whether two embedder configurations make the same vectors (the URL may differ).
    static func sameVectors(_ a: EmbedderConfiguration, _ b: EmbedderConfiguration) -> Bool {
        EmbeddingRole.allCases.allSatisfy { a.vectorIdentity(for: $0) == b.vectorIdentity(for: $0) }
    }
}
