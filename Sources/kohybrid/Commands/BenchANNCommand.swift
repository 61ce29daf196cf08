import ArgumentParser
import Foundation
import KoHybrid
import KoHybridDatasets
import KoHybridDense

/// `kohybrid bench ann`: HNSW build time, single-thread queries/s and recall@k over an ef sweep,
/// in the same JSON fields as `../shared/peers/ann_peers.py`, so the two can be put side by side.
struct BenchANNCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ann",
        abstract: "Benchmark the HNSW index: build time, queries/s and recall@k per ef.",
        discussion: """
        Builds an HNSW index over raw float32 vectors (single-threaded, then with --threads), \
        writes and re-opens it, then runs every query one at a time on one thread for each ef \
        and scores recall@k against exact search.

        Prints one JSON line per ef with the fields of ../shared/peers/ann_peers.py (task, base, \
        queries, dim, M, ef_construction, k, ef, build_s, qps, recall@10) plus build_s_2threads, \
        open_ms (open_ms_full_checksum also checksums the vectors), memory_mb and flat_qps \
        (exact search). qps is timed on the index re-opened from its file (how the store uses \
        it); qps_built on the in-memory index just built (how ann_peers.py times hnswlib). \
        Build with `swift build -c release` first.

        Examples:
          kohybrid bench ann --base vectors.e5-small.f32 --dim 384 --holdout 1000 \\
              --M 16 --ef-construction 200 --ef 16,32,64,128,256 --json
          # steadier on a shared machine: best of 5 passes per ef
          kohybrid bench ann --base vectors.f32 --holdout 1000 --repeats 5
          # then delete 30%, consolidate, re-insert, with recall after each step
          kohybrid bench ann --base vectors.f32 --holdout 1000 --ef 128 --churn 0.3
        """
    )

    @Option(help: ArgumentHelp("Base vectors: raw little-endian float32, row-major.", valueName: "file")) var base: String
    @Option(help: "Values per vector.") var dim: Int = 384
    @Option(help: ArgumentHelp("Query vectors (float32). Without it, the last --holdout base rows are the queries.", valueName: "file"))
    var queryVectors: String?
    /// Deprecated spelling: `--queries` (a count in `bench search`, a queries file in `eval`).
    @Option(name: .customLong("queries"), help: .hidden) var oldQueries: String?
    @Option(help: "Base rows held out as queries when --query-vectors is not given.") var holdout: Int = 1000

    private var queries: String? { queryVectors ?? oldQueries }
    @Option(help: "Use only the first N base rows.") var limit: Int?
    @OptionGroup var top: TopKOptions
    @Option(name: .customLong("M"), help: "HNSW links per node (layer 0 keeps 2M).") var m: Int = 16
    @Option(name: .customLong("ef-construction"), help: "Candidate list size while building.") var efConstruction: Int = 200
    @Option(help: ArgumentHelp("efSearch values, comma-separated.", valueName: "n,n,...")) var ef = CommaSeparated<Int>(argument: "16,32,64,128,256")!
    @Option(help: "Distance (ip matches ann_peers.py on normalized vectors).") var metric = DistanceMetric.innerProduct
    @Option(help: "Threads for the parallel build.") var threads: Int = 2
    @Option(help: "Query passes per ef; qps is the best of them (1 = a single pass, as ann_peers.py).") var repeats: Int = 1
    @Option(help: "After the sweep, delete this fraction of the records, consolidate, re-insert them, and measure recall and queries/s after each step (0 skips).") var churn: Double = 0
    @OptionGroup var output: JSONOutputOptions

    private var k: Int { top.value }

    func validate() throws {
        // Every number reaches index arithmetic: out-of-range values are errors here, not traps later.
        guard (1...65_536).contains(dim) else { throw ValidationError("--dim must be between 1 and 65536, got \(dim)") }
        guard (2...255).contains(m) else { throw ValidationError("--M must be between 2 and 255, got \(m)") }
        guard efConstruction >= 1 else { throw ValidationError("--ef-construction must be at least 1, got \(efConstruction)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        guard ef.items.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--ef is a comma-separated list of positive integers, got \(ef.items.map(String.init).joined(separator: ","))")
        }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard churn >= 0, churn < 1 else { throw ValidationError("--churn is a fraction of the records: at least 0 and below 1, got \(churn)") }
        try Deprecated.check(new: queryVectors, "--query-vectors", old: oldQueries, "--queries")
        guard queries != nil || holdout >= 1 else { throw ValidationError("--holdout must be at least 1 without --query-vectors") }
    }

    /// The base rows and the query rows (from --query-vectors, or held out from the base).
    private func loadVectors() throws -> (base: VectorMatrix, queries: VectorMatrix) {
        var baseRows = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: base), dimension: dim)
        let queryRows: VectorMatrix
        if let queries {
            queryRows = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: queries), dimension: dim)
        } else {
            guard holdout < baseRows.count else {
                throw CommandFailure("--holdout \(holdout) leaves no base rows: \(base) has \(baseRows.count) rows, so hold out 1 to \(baseRows.count - 1)")
            }
            let split = (baseRows.count - holdout) * dim
            queryRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[split...]))
            baseRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[..<split]))
        }
        if let limit, limit < baseRows.count {
            baseRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[..<(limit * dim)]))
        }
        return (baseRows, queryRows)
    }

    private func note(_ s: String) { if Terminal.stderrIsTerminal { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

    /// Builds one index with `threads` threads; returns it and the seconds it took.
    private func build(_ batch: [(key: UInt64, vector: [Float])], parameters: HNSWParameters, threads: Int) throws -> (HNSWIndex, Double) {
        note("building \(batch.count) x \(dim) " + (threads == 1 ? "single-threaded" : "with \(threads) threads"))
        let start = Date()
        let index = HNSWIndex(dimension: dim, metric: metric, parameters: parameters)
        try index.upsert(batch: batch, threads: threads)
        return (index, Date().timeIntervalSince(start))
    }

    /// Median of three opens of the written index, without and with the full checksum.
    private func openTimes(_ index: HNSWIndex, file: URL) throws -> (plain: Double, checksummed: Double) {
        try index.write(to: file)
        var plain: [Double] = [], checksummed: [Double] = []
        for _ in 0 ..< 3 {
            var start = Date()
            _ = try HNSWIndex.open(file)
            plain.append(Date().timeIntervalSince(start) * 1000)
            start = Date()
            _ = try HNSWIndex.open(file, verification: .full)
            checksummed.append(Date().timeIntervalSince(start) * 1000)
        }
        return (plain.sorted()[1], checksummed.sorted()[1])
    }

    func run() async throws {
        let (baseRows, queryRows) = try loadVectors()
        let n = baseRows.count, nq = queryRows.count
        let batch = (0 ..< n).map { (key: UInt64($0), vector: Array(baseRows[$0])) }
        let queryVectors = (0 ..< nq).map { Array(queryRows[$0]) }
        let efs = ef.items
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efs[0])

        let (index, buildSeconds) = try build(batch, parameters: parameters, threads: 1)
        let (parallel, build2Seconds) = try build(batch, parameters: parameters, threads: threads)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-bench-\(UUID().uuidString).hnsw")
        defer { try? FileManager.default.removeItem(at: file) }
        let opens = try openTimes(index, file: file)
        let reopened = try HNSWIndex.open(file)

        note("exact ground truth for \(nq) queries")
        let progress = ProgressLine("bench ann")
        let start = Date()
        let truth = queryVectors.enumerated().map { i, q in
            progress.update(i)
            return Set(index.exactSearch(q, k: k).map(\.key))
        }
        let flatQPS = Double(nq) / Date().timeIntervalSince(start)
        progress.finish()

        let vectorsAndLinks = Double(n * dim * 4 + n * (1 + 2 * m) * 4) / 1_048_576
        for efValue in efs {
            let timed = timeQueries(queryVectors, reopened: reopened, built: index, ef: efValue)
            let parallelFound = queryVectors.map { parallel.search($0, k: k, ef: efValue) }
            Terminal.printJSON(JSONValue.fields([
                "peer": "kohybrid", "task": "ann", "kernel": DistanceKernel.active, "base": n, "queries": nq, "dim": dim, "M": m,
                "ef_construction": efConstruction, "k": k, "ef": efValue,
                "build_s": round2(buildSeconds), "build_s_2threads": round2(build2Seconds),
                "qps": (Double(nq) / timed.seconds * 10).rounded() / 10,
                "qps_cpu": (Double(nq) / timed.cpuSeconds * 10).rounded() / 10,
                "qps_built": (Double(nq) / timed.builtSeconds * 10).rounded() / 10,
                "qps_passes": timed.passes,
                "recall@\(k)": (recall(timed.found, truth) * 10_000).rounded() / 10_000,
                "recall@\(k)_2threads": (recall(parallelFound, truth) * 10_000).rounded() / 10_000,
                "open_ms": round2(opens.plain), "open_ms_full_checksum": round2(opens.checksummed),
                "memory_mb": round2(Double(index.memoryBytes) / 1_048_576),
                "vectors_links_mb": round2(vectorsAndLinks),
                "flat_qps": (flatQPS * 10).rounded() / 10,
            ]))
        }
        if churn > 0 { try runChurn(index: index, batch: batch, queries: queryVectors, efs: efs, originalTruth: truth) }
    }

    /// Best of --repeats passes at one ef: on a shared machine a pass is only ever slowed down.
    private func timeQueries(_ queries: [[Float]], reopened: HNSWIndex, built: HNSWIndex, ef: Int)
        -> (found: [[VectorHit]], seconds: Double, cpuSeconds: Double, builtSeconds: Double, passes: [Double]) {
        var found: [[VectorHit]] = []
        var seconds = Double.infinity, cpuSeconds = Double.infinity, builtSeconds = Double.infinity
        var passes: [Double] = []
        for _ in 0 ..< repeats {
            found = []
            found.reserveCapacity(queries.count)
            var start = Date()
            let cpuStart = threadCPUSeconds()
            for q in queries { found.append(reopened.search(q, k: k, ef: ef)) }
            let pass = Date().timeIntervalSince(start)
            passes.append((Double(queries.count) / pass * 10).rounded() / 10)
            seconds = min(seconds, pass)
            cpuSeconds = min(cpuSeconds, threadCPUSeconds() - cpuStart)
            // The same queries on the in-memory index just built (what ann_peers.py times).
            start = Date()
            for q in queries { _ = built.search(q, k: k, ef: ef) }
            builtSeconds = min(builtSeconds, Date().timeIntervalSince(start))
        }
        return (found, seconds, cpuSeconds, builtSeconds, passes)
    }

    /// Mean recall@k of `found` against the exact neighbours.
    private func recall(_ found: [[VectorHit]], _ truth: [Set<UInt64>]) -> Double {
        zip(found, truth).reduce(0.0) { $0 + Double(Set($1.0.map(\.key)).intersection($1.1).count) / Double(k) } / Double(max(found.count, 1))
    }

    /// Deletes a fraction of the records (spread by a hash of the key), measures recall while
    /// they are tombstones, consolidates, re-inserts them and measures again: one JSON line per
    /// phase and ef. Recall is against exact search over the records live in that phase.
    private func runChurn(index: HNSWIndex, batch: [(key: UInt64, vector: [Float])], queries: [[Float]],
                          efs: [Int], originalTruth: [Set<UInt64>]) throws {
        let removed = batch.filter { Double(($0.key &* 0x9E37_79B9_7F4A_7C15) >> 11) * 0x1.0p-53 < churn }
        var start = Date()
        for row in removed { index.remove(key: row.key) }
        let deleteSeconds = Date().timeIntervalSince(start)
        var truth = queries.map { Set(index.exactSearch($0, k: k).map(\.key)) }
        func measure(_ phase: String, _ extra: [String: any JSONConvertible]) {
            for efValue in efs {
                start = Date()
                let found = queries.map { index.search($0, k: k, ef: efValue) }
                let seconds = Date().timeIntervalSince(start)
                let fields: [String: any JSONConvertible] = [
                    "peer": "kohybrid", "task": "ann-churn", "kernel": DistanceKernel.active, "phase": phase, "base": batch.count,
                    "removed": removed.count, "ef": efValue, "k": k,
                    "qps": (Double(queries.count) / seconds * 10).rounded() / 10,
                    "recall@\(k)": (recall(found, truth) * 10_000).rounded() / 10_000,
                ]
                Terminal.printJSON(JSONValue.fields(fields.merging(extra) { a, _ in a }))
            }
        }
        measure("deleted", ["delete_s": round2(deleteSeconds)])
        start = Date()
        index.consolidateRemoved(threads: threads)
        let consolidateSeconds = Date().timeIntervalSince(start)
        measure("consolidated", ["consolidate_s_\(threads)threads": round2(consolidateSeconds)])
        start = Date()
        try index.upsert(batch: removed, threads: 1)
        let reinsertSeconds = Date().timeIntervalSince(start)
        truth = originalTruth
        measure("reinserted", ["reinsert_s": round2(reinsertSeconds), "memory_mb": round2(Double(index.memoryBytes) / 1_048_576)])
    }

    /// CPU time of this thread: unlike wall time, not inflated when other processes take the
    /// core (the machines these run on are shared).
    private func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
