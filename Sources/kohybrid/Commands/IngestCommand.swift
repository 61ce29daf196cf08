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

        The whole file is checked first: a bad line is reported as FILE:LINE and nothing is \
        written. Records are then upserted in batches, each one atomic. The collection is created \
        when missing (with --dim or the vectors' dimension, --metric, --analyzer). Index \
        snapshots are built and published at the end.

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

    @Option(help: "The store directory (created when missing).") var store: String
    @Option(help: "The collection to write to.") var collection: String
    @Option(help: "A JSONL file of records.") var jsonl: String?
    @Option(help: "A raw little-endian float32 file with one vector per JSONL record.") var vectors: String?
    @Option(help: "The vector dimension (for --vectors, or a new collection).") var dim: Int?
    @Option(help: "A BEIR corpus directory (corpus.jsonl and corpus.<model>.f32).") var corpus: String?
    @Option(help: "The embedding model name in the corpus's vector file name.") var model = "e5-small"
    @Option(help: "Distance metric for a new collection: cosine, ip or l2.") var metric = "cosine"
    @Option(help: "Analyzer preset for a new collection.") var analyzer = AnalyzerPreset.korean.rawValue
    @Option(help: "Records per atomic batch.") var batchSize = 2000
    @Flag(help: "Print a JSON summary.") var json = false
    @OptionGroup(title: "Embedding") var embedding: EmbedOptions
    /// Test hook: SIGKILL this process after writing this many rows of a batch, before it commits.
    @Option(help: .hidden) var crashAfterRows: Int?

    func run() async throws {
        guard (jsonl == nil) != (corpus == nil) else { throw ValidationError("give exactly one of --jsonl or --corpus") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard vectors == nil || dim != nil else { throw ValidationError("--vectors needs --dim (values per vector)") }
        guard let metric = DistanceMetric(rawValue: metric) else { throw ValidationError("--metric must be cosine, ip or l2") }
        guard let preset = AnalyzerPreset(rawValue: analyzer) else {
            throw ValidationError("--analyzer must be one of \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var records: [Record]
        do {
            records = try jsonl.map { try RecordFile.readJSONL(path: $0, vectors: vectors, dimension: dim ?? 0) }
                ?? RecordFile.readBEIR(path: corpus ?? "", model: model)
        } catch let error as DatasetError {
            throw CommandFailure(error.description)
        }
        let started = Date()
        let store = try Store(directory: URL(fileURLWithPath: self.store))
        // Embedding comes before any write: a failing embedder leaves the store as it was.
        var embedder: CommandEmbedder?
        if let configuration = embedding.configuration {
            let existing = try await store.collections().first { $0.name == collection }?.configuration
            if let recorded = existing?.embedder, !Self.sameVectors(recorded, configuration) {
                throw CommandFailure("collection \"\(collection)\" was embedded with model \"\(recorded.model)\" (\(recorded.vectorIdentity(for: .document))); these options make other vectors")
            }
            let made = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(),
                                           dimension: existing?.dimension ?? dim ?? configuration.dimensions)
            let needing = records.indices.filter { records[$0].embedding == nil && !(records[$0].document ?? "").isEmpty }
            let vectors = try await made.embed(needing.map { records[$0].document ?? "" }, role: .document, label: "embedding \(collection)")
            for (i, vector) in zip(needing, vectors) { records[i].embedding = vector }
            await made.printSummary()
            embedder = made
        }
        let dimension = try await ensureCollection(store, records: records, metric: metric, preset: preset)
        if let configuration = embedding.configuration, try await store.configuration(of: collection).embedder != configuration {
            try await store.setEmbedder(configuration, for: collection)
        }
        if let bad = records.first(where: { ($0.embedding?.count ?? dimension) != dimension }) {
            throw CommandFailure("record \"\(bad.id)\": vector has \(bad.embedding?.count ?? 0) values, collection \"\(collection)\" has dimension \(dimension)")
        }

        let progress = ProgressLine("ingest \(collection)", total: records.count)
        var inserted = 0, updated = 0
        for start in stride(from: 0, to: records.count, by: batchSize) {
            let batch = Array(records[start..<min(start + batchSize, records.count)])
            let crashAt = crashAfterRows
            let summary = try await store.upsert(batch, into: collection) { written in
                progress.update(start + written)
                if let crashAt, written >= crashAt { kill(getpid(), SIGKILL) }
            }
            inserted += summary.inserted
            updated += summary.updated
        }
        progress.finish()
        let indexing = ProgressLine("building indexes")
        indexing.update(0)
        try await store.close()
        indexing.finish()
        let seconds = Date().timeIntervalSince(started)
        if json {
            var summary: [String: Any] = ["collection": collection, "records": records.count, "inserted": inserted, "updated": updated,
                                          "seconds": (seconds * 1000).rounded() / 1000,
                                          "docs_per_s": (Double(records.count) / max(seconds, 1e-9)).rounded()]
            if let embedder { summary["embedding"] = await embedder.report() }
            Terminal.printJSON(summary)
        } else {
            print("\(collection): \(inserted) inserted, \(updated) updated in \(String(format: "%.1f", seconds)) s")
        }
    }

    /// The collection's dimension, creating the collection when it does not exist.
    private func ensureCollection(_ store: Store, records: [Record], metric: DistanceMetric, preset: AnalyzerPreset) async throws -> Int {
        if let existing = try await store.collections().first(where: { $0.name == collection }) {
            return existing.configuration.dimension
        }
        guard let dimension = dim ?? records.lazy.compactMap(\.embedding).first?.count else {
            throw CommandFailure("collection \"\(collection)\" does not exist: give --dim to create it")
        }
        try await store.createCollection(collection, configuration: .init(dimension: dimension, metric: metric, analyzer: preset,
                                                                         embedder: embedding.configuration))
        return dimension
    }

    /// Whether two embedder configurations make the same vectors (the URL may differ).
    static func sameVectors(_ a: EmbedderConfiguration, _ b: EmbedderConfiguration) -> Bool {
        EmbeddingRole.allCases.allSatisfy { a.vectorIdentity(for: $0) == b.vectorIdentity(for: $0) }
    }
}

/// A failure already phrased for the user (exit status 1, message on stderr).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
