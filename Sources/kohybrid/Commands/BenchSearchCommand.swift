import ArgumentParser
import Foundation
import KoHybrid
import KoHybridCore
import KoHybridDatasets

/// `kohybrid bench search`: the store end to end at the users' scale.
struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Build a store at the users' scale and time hybrid search and cold open.",
        discussion: """
        Builds a store of --records records from a BEIR corpus with precomputed vectors (when the \
        corpus has fewer, its passages repeat with ids "<id>#<n>" and vectors get small Gaussian \
        noise), ingesting in atomic batches and then building and publishing the indexes. Then \
        answers the judged queries in hybrid mode (default fusion) with their precomputed query \
        vectors (query embedding excluded) and finally starts a fresh process of this binary that \
        opens the store and answers one query.

        Prints one JSON object: records, dim, ingest_docs_per_s (batches through published \
        snapshots), hybrid_p50_ms, hybrid_p99_ms, hybrid_cpu_p50_ms and hybrid_cpu_p99_ms \
        (process CPU time per query, which leaves out waiting for a core on a busy machine), \
        dense_p50_ms and sparse_p50_ms (k hits), dense_at_depth_p50_ms and \
        sparse_at_depth_p50_ms (each retriever alone at the candidate depth hybrid asks of it), \
        hybrid_recall_at_10 (over the corpus's own ids), cold_open_first_query_ms (inside the \
        fresh process: open + first query) and cold_process_ms (spawn to exit, seen from \
        outside). Build with -c release.

        Example:
          swift build -c release
          .build/release/kohybrid bench search --records 60000 --json \\
              --corpus ../shared/corpora/kobest-boolq
        """
    )

    @Option(help: "BEIR corpus directory with corpus/queries vectors.") var corpus: String?
    @Option(help: "Records in the store.") var records = 60_000
    @Option(help: "Queries to time (judged queries, in file order).") var queries = 1_000
    @Option(help: "Where to build the store (default: a temporary directory, removed afterwards).") var store: String?
    @Option(name: .short, help: "Hits per query.") var k = 10
    @Option(help: "Embedding model in the vector file names.") var model = "e5-small"
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Time queries on an existing --store built by an earlier run (no ingest numbers).") var reuseStore = false
    /// Internal: open this store, answer one query (text + row 0 of this vector file), print ms.
    @Option(help: .hidden) var probeStore: String?
    @Option(help: .hidden) var probeText: String?
    @Option(help: .hidden) var probeVectors: String?

    static let collection = "bench"

    func validate() throws {
        guard records >= 1 else { throw ValidationError("--records must be at least 1, got \(records)") }
        guard queries >= 1 else { throw ValidationError("--queries must be at least 1, got \(queries)") }
        guard (1...10_000).contains(k) else { throw ValidationError("-k must be between 1 and 10,000, got \(k)") }
    }

    func run() async throws {
        if let probeStore { return try await probe(probeStore) }
        guard let corpusPath = corpus else { throw ValidationError("--corpus is required") }
        let data = try BEIRCorpus.load(from: URL(fileURLWithPath: corpusPath))
        let documentVectors = try data.vectors(.documents, model: model)
        let queryVectors = try data.vectors(.queries, model: model)
        let dimension = documentVectors.dimension
        let directory = store.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-bench-\(UUID().uuidString)")
        defer { if store == nil { try? FileManager.default.removeItem(at: directory) } }
        guard !reuseStore || store != nil else { throw ValidationError("--reuse-store needs --store") }
        var ingestSeconds: Double?
        if !reuseStore {
            // Ingest: atomic batches, then build and publish the indexes (close).
            try? FileManager.default.removeItem(at: directory)
            let all = Self.records(data, documentVectors, count: records)
            let progress = ProgressLine("ingest", total: all.count, enabled: Terminal.stderrIsTerminal)
            let ingestStart = Date()
            let writer = try Store(directory: directory)
            try await writer.createCollection(Self.collection, configuration: .init(dimension: dimension))
            for start in stride(from: 0, to: all.count, by: 5_000) {
                try await writer.upsert(Array(all[start..<min(start + 5_000, all.count)]), into: Self.collection)
                progress.update(min(start + 5_000, all.count))
            }
            try await writer.close()
            ingestSeconds = Date().timeIntervalSince(ingestStart)
            progress.finish()
        }

        // Queries: judged ones, with their precomputed vectors.
        let rowOf = Dictionary(uniqueKeysWithValues: data.queries.enumerated().map { ($1.id, $0) })
        let judged = data.judgedQueries.prefix(queries)
        let reader = try Store(directory: directory, mode: .readOnly)
        let recordCount = try await reader.count(in: Self.collection)
        func timed(_ mode: SearchMode, text: Bool, vector: Bool, k: Int? = nil) async throws -> (ms: [Double], cpu: [Double], hits: [[SearchHit]]) {
            var ms: [Double] = [], cpu: [Double] = [], hits: [[SearchHit]] = []
            for query in judged {
                let q = SearchQuery(text: text ? query.text : nil, vector: vector ? Array(queryVectors[rowOf[query.id] ?? 0]) : nil, k: k ?? self.k, mode: mode)
                let start = DispatchTime.now().uptimeNanoseconds, startCPU = Self.processCPUNanoseconds()
                let result = try await reader.search(q, in: Self.collection)
                ms.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                cpu.append(Double(Self.processCPUNanoseconds() - startCPU) / 1e6)
                hits.append(result)
            }
            return (ms, cpu, hits)
        }
        _ = try await timed(.hybrid(.hybridDefault), text: true, vector: true)  // warm-up pass
        let hybrid = try await timed(.hybrid(.hybridDefault), text: true, vector: true)
        let dense = try await timed(.dense, text: false, vector: true)
        let sparse = try await timed(.sparse, text: true, vector: false)
        // Each retriever alone at the candidate depth hybrid mode asks of it.
        let depth = max(Fusion.defaultCandidateDepth, k)
        let denseDeep = try await timed(.dense, text: false, vector: true, k: depth)
        let sparseDeep = try await timed(.sparse, text: true, vector: false, k: depth)
        try await reader.close()
        var found = 0
        for (query, hits) in zip(judged, hybrid.hits) {
            let relevant = Set(data.qrels[query.id]?.keys.map { $0 } ?? [])
            if hits.contains(where: { relevant.contains(String($0.id.split(separator: "#").first ?? "")) }) { found += 1 }
        }

        // Cold: a fresh process opens the store and answers one query.
        let first = judged.first ?? data.queries[0]
        let probeVectorFile = FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-probe-\(UUID().uuidString).f32")
        defer { try? FileManager.default.removeItem(at: probeVectorFile) }
        try VectorMatrix(dimension: dimension, values: Array(queryVectors[rowOf[first.id] ?? 0])).write(to: probeVectorFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = ["bench", "search", "--probe-store", directory.path, "--probe-text", first.text, "--probe-vectors", probeVectorFile.path]
        let out = Pipe()
        process.standardOutput = out
        let spawn = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let probeOutput = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let coldProcessMs = Double(DispatchTime.now().uptimeNanoseconds - spawn) / 1e6
        guard process.terminationStatus == 0, let coldMs = Double(String(decoding: probeOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailure("the cold-open probe process failed (status \(process.terminationStatus))")
        }

        let result: [String: Any] = [
            "corpus": data.name, "records": recordCount, "dim": dimension, "queries": judged.count, "k": k,
            "fusion": Fusion.hybridDefault.name,
            "ingest_s": ingestSeconds.map { Self.round($0, 2) } ?? NSNull(),
            "ingest_docs_per_s": ingestSeconds.map { Self.round(Double(recordCount) / $0, 1) } ?? NSNull(),
            "hybrid_p50_ms": Self.round(Self.percentile(hybrid.ms, 50), 3), "hybrid_p99_ms": Self.round(Self.percentile(hybrid.ms, 99), 3),
            "hybrid_cpu_p50_ms": Self.round(Self.percentile(hybrid.cpu, 50), 3), "hybrid_cpu_p99_ms": Self.round(Self.percentile(hybrid.cpu, 99), 3),
            "dense_p50_ms": Self.round(Self.percentile(dense.ms, 50), 3), "sparse_p50_ms": Self.round(Self.percentile(sparse.ms, 50), 3),
            "candidate_depth": depth,
            "dense_at_depth_p50_ms": Self.round(Self.percentile(denseDeep.ms, 50), 3),
            "sparse_at_depth_p50_ms": Self.round(Self.percentile(sparseDeep.ms, 50), 3),
            "hybrid_recall_at_10": Self.round(Double(found) / Double(max(judged.count, 1)), 4),
            "cold_open_first_query_ms": Self.round(coldMs, 2), "cold_process_ms": Self.round(coldProcessMs, 2),
            "threads": ProcessInfo.processInfo.activeProcessorCount,
        ]
        if json {
            Terminal.printJSON(result)
        } else {
            for key in result.keys.sorted() { print("\(key): \(result[key] ?? "")") }
        }
    }

    /// The fresh process's side: time from here to the first answer.
    private func probe(_ path: String) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let store = try Store(directory: URL(fileURLWithPath: path), mode: .readOnly)
        let dimension = try await store.configuration(of: Self.collection).dimension
        let vector = try probeVectors.map { try VectorMatrix.read(contentsOf: URL(fileURLWithPath: $0), dimension: dimension) }
        let hits = try await store.search(SearchQuery(text: probeText, vector: vector.map { Array($0[0]) }, k: k), in: Self.collection)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard !hits.isEmpty else { throw CommandFailure("the probe query found nothing") }
        print(ms)
    }

    /// The corpus's documents, repeated with noisy vectors until there are `count`.
    static func records(_ corpus: BEIRCorpus, _ vectors: VectorMatrix, count: Int) -> [Record] {
        var rng = SplitMix64(seed: 2026)
        let n = corpus.documents.count
        return (0..<count).map { i in
            let document = corpus.documents[i % n]
            var vector = Array(vectors[i % n])
            if i >= n {
                // Box-Muller Gaussian noise, sigma 0.01 per component (vectors are unit length).
                for j in vector.indices {
                    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
                    vector[j] += Float(0.01 * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
                }
            }
            return Record(id: i < n ? document.id : "\(document.id)#\(i / n)", document: document.fullText,
                          metadata: ["copy": .int(Int64(i / n))], embedding: vector)
        }
    }

    /// CPU time of the whole process: on a shared machine, wall-clock tails include time spent
    /// waiting for a core, which CPU time does not.
    static func processCPUNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = p / 100 * Double(sorted.count - 1)
        let low = Int(rank.rounded(.down)), high = Int(rank.rounded(.up))
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
    }

    static func round(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

