import ArgumentParser
import Foundation
import KoHybrid
import KoHybridCore
import KoHybridDatasets
import KoHybridFusion

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
        hybrid_recall_at_10 (over the corpus's own ids), hybrid_qps_by_tasks (hybrid queries/s \
        with 1, 2, ... tasks searching the one store at once, --tasks: they share each \
        collection's searcher, so they scale with cores), cold_open_first_query_ms (inside the \
        fresh process: open + first query), cold_process_ms (spawn to exit, seen from outside) \
        and kernel (the distance kernel that ran). Build with -c release and run it alone.

        Examples:
          swift build -c release
          .build/release/kohybrid bench search --records 60000 --json \\
              --corpus ../shared/corpora/kobest-boolq
          kohybrid bench search --corpus Corpora/shops --records 2000 --query-count 50 -k 5
        """
    )

    @Option(help: "BEIR corpus directory with corpus/queries vectors.") var corpus: String?
    @Option(help: "Records in the store.") var records = 60_000
    @Option(help: "How many queries to time (judged queries, in file order; default 1,000).") var queryCount: Int?
    /// Deprecated spelling: `--queries` (a file elsewhere).
    @Option(name: .customLong("queries"), help: .hidden) var oldQueries: Int?

    private var queries: Int { queryCount ?? oldQueries ?? 1_000 }
    @Option(help: "Where to build the store (default: a temporary directory, removed afterwards).") var store: String?
    @OptionGroup var top: TopKOptions
    @Option(help: "Embedding model in the vector file names.") var model = "e5-small"
    @OptionGroup var output: JSONOutputOptions
    @Flag(help: "Time queries on an existing --store built by an earlier run (no ingest numbers).") var reuseStore = false
    @Option(help: "How many tasks search at once when measuring throughput (comma-separated counts).")
    var tasks = CommaSeparated<Int>(argument: "1,2")!
    /// Internal: open this store, answer one query (text + row 0 of this vector file), print ms.
    @Option(help: .hidden) var probeStore: String?
    @Option(help: .hidden) var probeText: String?
    @Option(help: .hidden) var probeVectors: String?

    static let collection = "bench"

    func validate() throws {
        guard records >= 1 else { throw ValidationError("--records must be at least 1, got \(records)") }
        try Deprecated.check(new: queryCount, "--query-count", old: oldQueries, "--queries")
        guard queries >= 1 else { throw ValidationError("--query-count must be at least 1, got \(queries)") }
        if probeStore == nil, corpus == nil { throw ValidationError("--corpus is required: the BEIR corpus the store is built from") }
        guard !reuseStore || store != nil else { throw ValidationError("--reuse-store needs --store") }
        guard !tasks.items.isEmpty, tasks.items.allSatisfy({ (1...256).contains($0) }) else {
            throw ValidationError("--tasks takes counts from 1 to 256")
        }
    }

    private var k: Int { top.value }

    /// Times per query and their hits.
    private struct Timed {
        var ms: [Double] = [], cpu: [Double] = [], hits: [[SearchHit]] = []
        var p50: Double { BenchSearchCommand.round(BenchSearchCommand.percentile(ms, 50), 3) }
    }

    func run() async throws {
        if let probeStore { return try await probe(probeStore) }
        let data = try BEIRCorpus.load(from: URL(fileURLWithPath: corpus ?? ""))
        let documentVectors = try data.vectors(.documents, model: model)
        let queryVectors = try data.vectors(.queries, model: model)
        let directory = store.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-bench-\(UUID().uuidString)")
        defer { if store == nil { try? FileManager.default.removeItem(at: directory) } }
        let ingestSeconds = reuseStore ? nil : try await buildStore(at: directory, data, documentVectors)

        // Queries: judged ones, with their precomputed vectors.
        let rowOf = Dictionary(uniqueKeysWithValues: data.queries.enumerated().map { ($1.id, $0) })
        let judged = Array(data.judgedQueries.prefix(queries))
        let reader = try Store(directory: directory, mode: .readOnly)
        let recordCount = try await reader.count(in: Self.collection)
        let queryVector = { (id: String) in Array(queryVectors[rowOf[id] ?? 0]) }
        func timed(_ mode: SearchMode, text: Bool, vector: Bool, k: Int? = nil) async throws -> Timed {
            try await timeQueries(judged, on: reader, mode: mode, text: text, vector: vector ? queryVector : nil, k: k ?? self.k)
        }
        _ = try await timed(.hybrid(.hybridDefault), text: true, vector: true)  // warm-up pass
        let hybrid = try await timed(.hybrid(.hybridDefault), text: true, vector: true)
        let dense = try await timed(.dense, text: false, vector: true)
        let sparse = try await timed(.sparse, text: true, vector: false)
        // Each retriever alone at the candidate depth hybrid mode asks of it.
        let depth = max(Fusion.defaultCandidateDepth, k)
        let denseDeep = try await timed(.dense, text: false, vector: true, k: depth)
        let sparseDeep = try await timed(.sparse, text: true, vector: false, k: depth)
        let hybridQueries = judged.map { SearchQuery(text: $0.text, vector: queryVector($0.id), k: k) }
        var qpsByTasks: [String: any JSONConvertible] = [:]
        for count in tasks.items {
            qpsByTasks[String(count)] = Self.round(try await Self.throughput(reader, hybridQueries, tasks: count), 1)
        }
        try await reader.close()
        var found = 0
        for (query, hits) in zip(judged, hybrid.hits) {
            let relevant = Set(data.qrels[query.id]?.keys.map { $0 } ?? [])
            if hits.contains(where: { relevant.contains(String($0.id.split(separator: "#").first ?? "")) }) { found += 1 }
        }
        let first = judged.first ?? data.queries[0]
        let cold = try coldOpen(directory, text: first.text, vector: Array(queryVectors[rowOf[first.id] ?? 0]))

        let result: [String: any JSONConvertible] = [
            "corpus": data.name, "records": recordCount, "dim": documentVectors.dimension, "queries": judged.count, "k": k,
            "fusion": Fusion.hybridDefault.name,
            "ingest_s": ingestSeconds.map { Self.round($0, 2) },
            "ingest_docs_per_s": ingestSeconds.map { Self.round(Double(recordCount) / $0, 1) },
            "hybrid_p50_ms": hybrid.p50, "hybrid_p99_ms": Self.round(Self.percentile(hybrid.ms, 99), 3),
            "hybrid_cpu_p50_ms": Self.round(Self.percentile(hybrid.cpu, 50), 3), "hybrid_cpu_p99_ms": Self.round(Self.percentile(hybrid.cpu, 99), 3),
            "dense_p50_ms": dense.p50, "sparse_p50_ms": sparse.p50,
            "candidate_depth": depth,
            "dense_at_depth_p50_ms": denseDeep.p50, "sparse_at_depth_p50_ms": sparseDeep.p50,
            "hybrid_recall_at_10": Self.round(Double(found) / Double(max(judged.count, 1)), 4),
            "cold_open_first_query_ms": Self.round(cold.firstQueryMs, 2), "cold_process_ms": Self.round(cold.processMs, 2),
            "hybrid_qps_by_tasks": JSONValue.fields(qpsByTasks),
            "threads": ProcessInfo.processInfo.activeProcessorCount, "kernel": DistanceKernel.active,
        ]
        if output.json {
            Terminal.printJSON(JSONValue.fields(result))
        } else {
            for (key, value) in result.sorted(by: { $0.key < $1.key }) { print("\(key): \(value.json.plainText)") }
        }
    }

    /// Hybrid queries per second with `tasks` tasks searching `store` at once, each taking the
    /// next query from a shared counter until 2,000 (or every query, if more) are answered.
    static func throughput(_ store: Store, _ queries: [SearchQuery], tasks: Int) async throws -> Double {
        let total = max(2_000, queries.count)
        let next = Counter()
        let start = DispatchTime.now().uptimeNanoseconds
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    while true {
                        let i = next.increment()
                        guard i < total else { return }
                        _ = try await store.search(queries[i % queries.count], in: collection)
                    }
                }
            }
            try await group.waitForAll()
        }
        return Double(total) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Each query searched once in `mode`, with its text and/or its precomputed vector.
    private func timeQueries(_ queries: [BEIRCorpus.Query], on reader: Store, mode: SearchMode, text: Bool,
                             vector: ((String) -> [Float])?, k: Int) async throws -> Timed {
        var timed = Timed()
        for query in queries {
            let q = SearchQuery(text: text ? query.text : nil, vector: vector?(query.id), k: k, mode: mode)
            let start = DispatchTime.now().uptimeNanoseconds, startCPU = Self.processCPUNanoseconds()
            let result = try await reader.search(q, in: Self.collection)
            timed.ms.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            timed.cpu.append(Double(Self.processCPUNanoseconds() - startCPU) / 1e6)
            timed.hits.append(result)
        }
        return timed
    }

    /// Ingests --records records in atomic batches, then builds and publishes the indexes
    /// (close); returns the seconds it all took.
    private func buildStore(at directory: URL, _ data: BEIRCorpus, _ documentVectors: VectorMatrix) async throws -> Double {
        try? FileManager.default.removeItem(at: directory)
        let all = Self.records(data, documentVectors, count: records)
        let progress = ProgressLine("ingest", total: all.count, enabled: Terminal.stderrIsTerminal)
        defer { progress.finish() }
        let started = Date()
        let writer = try Store(directory: directory)
        try await writer.createCollection(Self.collection, configuration: .init(dimension: documentVectors.dimension))
        for start in stride(from: 0, to: all.count, by: 5_000) {
            try await writer.upsert(Array(all[start..<min(start + 5_000, all.count)]), into: Self.collection)
            progress.update(min(start + 5_000, all.count))
        }
        try await writer.close()
        return Date().timeIntervalSince(started)
    }

    /// A fresh process of this binary opens the store and answers one query: the time it
    /// reports from inside, and spawn to exit seen from outside.
    private func coldOpen(_ directory: URL, text: String, vector: [Float]) throws -> (firstQueryMs: Double, processMs: Double) {
        let probeVectorFile = FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-probe-\(UUID().uuidString).f32")
        defer { try? FileManager.default.removeItem(at: probeVectorFile) }
        try VectorMatrix(dimension: vector.count, values: vector).write(to: probeVectorFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        if !FileManager.default.isExecutableFile(atPath: process.executableURL?.path ?? "") {
            process.executableURL = Bundle.main.executableURL
        }
        process.arguments = ["bench", "search", "--probe-store", directory.path, "--probe-text", text, "--probe-vectors", probeVectorFile.path]
        let out = Pipe()
        process.standardOutput = out
        let spawn = DispatchTime.now().uptimeNanoseconds
        try process.run()
        let probeOutput = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let processMs = Double(DispatchTime.now().uptimeNanoseconds - spawn) / 1e6
        guard process.terminationStatus == 0, let ms = Double(String(decoding: probeOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CommandFailure("the cold-open probe process failed (status \(process.terminationStatus))")
        }
        return (ms, processMs)
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


/// A counter shared by concurrent tasks.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The value before this call added one.
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
