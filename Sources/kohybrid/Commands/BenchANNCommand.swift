import ArgumentParser
import Foundation
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

    @Option(help: "Base vectors: raw little-endian float32, row-major.") var base: String
    @Option(help: "Values per vector.") var dim: Int = 384
    @Option(help: "Query vectors (float32). Without it, the last --holdout base rows are the queries.") var queries: String?
    @Option(help: "Base rows held out as queries when --queries is not given.") var holdout: Int = 1000
    @Option(help: "Use only the first N base rows.") var limit: Int?
    @Option(help: "Neighbours per result.") var k: Int = 10
    @Option(name: .customLong("M"), help: "HNSW links per node (layer 0 keeps 2M).") var m: Int = 16
    @Option(name: .customLong("ef-construction"), help: "Candidate list size while building.") var efConstruction: Int = 200
    @Option(help: "Comma-separated efSearch values.") var ef: String = "16,32,64,128,256"
    @Option(help: "Distance: ip, cosine or l2 (ip matches ann_peers.py on normalized vectors).") var metric: String = "ip"
    @Option(help: "Threads for the parallel build.") var threads: Int = 2
    @Option(help: "Query passes per ef; qps is the best of them (1 = a single pass, as ann_peers.py).") var repeats: Int = 1
    @Option(help: "After the sweep, delete this fraction of the records, consolidate, re-insert them, and measure recall and queries/s after each step (0 skips).") var churn: Double = 0
    @Flag(help: "Print JSON lines (the default output is also JSON; kept for symmetry with other commands).") var json = false

    func validate() throws {
        // Every number reaches index arithmetic: out-of-range values are errors here, not traps later.
        guard (1...65_536).contains(dim) else { throw ValidationError("--dim must be between 1 and 65536, got \(dim)") }
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard (2...255).contains(m) else { throw ValidationError("--M must be between 2 and 255, got \(m)") }
        guard efConstruction >= 1 else { throw ValidationError("--ef-construction must be at least 1, got \(efConstruction)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        let efs = ef.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !efs.isEmpty, efs.allSatisfy({ ($0 ?? 0) >= 1 }) else {
            throw ValidationError("--ef is a comma-separated list of positive integers, got \(ef)")
        }
    }

    func run() async throws {
        guard let metric = DistanceMetric(rawValue: metric) else { throw ValidationError("unknown metric '\(metric)': use ip, cosine or l2") }
        let efs = ef.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !efs.isEmpty else { throw ValidationError("--ef needs at least one integer") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
        guard churn >= 0, churn < 1 else { throw ValidationError("--churn is a fraction of the records: at least 0 and below 1, got \(churn)") }
        var baseRows = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: base), dimension: dim)
        let queryRows: VectorMatrix
        if let queries {
            queryRows = try VectorMatrix.read(contentsOf: URL(fileURLWithPath: queries), dimension: dim)
        } else {
            guard holdout > 0, holdout < baseRows.count else { throw ValidationError("--holdout must be between 1 and \(baseRows.count - 1)") }
            let split = (baseRows.count - holdout) * dim
            queryRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[split...]))
            baseRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[..<split]))
        }
        if let limit, limit < baseRows.count {
            baseRows = VectorMatrix(dimension: dim, values: Array(baseRows.values[..<(limit * dim)]))
        }
        let n = baseRows.count, nq = queryRows.count
        let batch = (0 ..< n).map { (key: UInt64($0), vector: Array(baseRows[$0])) }
        let queryVectors = (0 ..< nq).map { Array(queryRows[$0]) }
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, efSearch: efs[0])
        let progress = ProgressLine("bench ann")
        func note(_ s: String) { if Terminal.stderrIsTerminal { FileHandle.standardError.write(Data((s + "\n").utf8)) } }

        note("building \(n) x \(dim) single-threaded")
        var start = Date()
        let index = HNSWIndex(dimension: dim, metric: metric, parameters: parameters)
        try index.upsert(batch: batch, threads: 1)
        let buildSeconds = Date().timeIntervalSince(start)

        note("building with \(threads) threads")
        start = Date()
        let parallel = HNSWIndex(dimension: dim, metric: metric, parameters: parameters)
        try parallel.upsert(batch: batch, threads: threads)
        let build2Seconds = Date().timeIntervalSince(start)
        let parallelRecallIndex = parallel

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kohybrid-bench-\(UUID().uuidString).hnsw")
        defer { try? FileManager.default.removeItem(at: file) }
        try index.write(to: file)
        var openTimes: [Double] = [], openFastTimes: [Double] = []
        for _ in 0 ..< 3 {
            start = Date()
            _ = try HNSWIndex.open(file)
            openTimes.append(Date().timeIntervalSince(start) * 1000)
            start = Date()
            _ = try HNSWIndex.open(file, verification: .full)
            openFastTimes.append(Date().timeIntervalSince(start) * 1000)
        }
        let reopened = try HNSWIndex.open(file)

        note("exact ground truth for \(nq) queries")
        start = Date()
        let truth = queryVectors.enumerated().map { i, q in
            progress.update(i)
            return Set(index.exactSearch(q, k: k).map(\.key))
        }
        let flatQPS = Double(nq) / Date().timeIntervalSince(start)
        progress.finish()

        func recall(_ found: [[VectorHit]]) -> Double {
            zip(found, truth).reduce(0.0) { $0 + Double(Set($1.0.map(\.key)).intersection($1.1).count) / Double(k) } / Double(nq)
        }
        let vectorsAndLinks = Double(n * dim * 4 + n * (1 + 2 * m) * 4) / 1_048_576
        for efValue in efs {
            var found: [[VectorHit]] = []
            var seconds = Double.infinity, cpuSeconds = Double.infinity, builtSeconds = Double.infinity
            var passes: [Double] = []
            // Best of --repeats passes: on a shared machine a pass is only ever slowed down.
            for _ in 0 ..< max(repeats, 1) {
                found = []
                found.reserveCapacity(nq)
                start = Date()
                let cpuStart = threadCPUSeconds()
                for q in queryVectors { found.append(reopened.search(q, k: k, ef: efValue)) }
                let pass = Date().timeIntervalSince(start)
                passes.append((Double(nq) / pass * 10).rounded() / 10)
                seconds = min(seconds, pass)
                cpuSeconds = min(cpuSeconds, threadCPUSeconds() - cpuStart)
                // The same queries on the in-memory index just built (what ann_peers.py times).
                start = Date()
                for q in queryVectors { _ = index.search(q, k: k, ef: efValue) }
                builtSeconds = min(builtSeconds, Date().timeIntervalSince(start))
            }
            let parallelFound = queryVectors.map { parallelRecallIndex.search($0, k: k, ef: efValue) }
            Terminal.printJSON([
                "peer": "kohybrid", "task": "ann", "kernel": DistanceKernel.active, "base": n, "queries": nq, "dim": dim, "M": m,
                "ef_construction": efConstruction, "k": k, "ef": efValue,
                "build_s": round2(buildSeconds), "build_s_2threads": round2(build2Seconds),
                "qps": (Double(nq) / seconds * 10).rounded() / 10,
                "qps_cpu": (Double(nq) / cpuSeconds * 10).rounded() / 10,
                "qps_built": (Double(nq) / builtSeconds * 10).rounded() / 10,
                "qps_passes": passes,
                "recall@\(k)": (recall(found) * 10_000).rounded() / 10_000,
                "recall@\(k)_2threads": (recall(parallelFound) * 10_000).rounded() / 10_000,
                "open_ms": round2(openTimes.sorted()[1]), "open_ms_full_checksum": round2(openFastTimes.sorted()[1]),
                "memory_mb": round2(Double(index.memoryBytes) / 1_048_576),
                "vectors_links_mb": round2(vectorsAndLinks),
                "flat_qps": (flatQPS * 10).rounded() / 10,
            ] as [String: Any])
        }
        if churn > 0 { try runChurn(index: index, batch: batch, queries: queryVectors, efs: efs, originalTruth: truth) }
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
        func recall(_ found: [[VectorHit]]) -> Double {
            zip(found, truth).reduce(0.0) { $0 + Double(Set($1.0.map(\.key)).intersection($1.1).count) / Double(k) } / Double(found.count)
        }
        func measure(_ phase: String, _ extra: [String: Any]) {
            for efValue in efs {
                start = Date()
                let found = queries.map { index.search($0, k: k, ef: efValue) }
                let seconds = Date().timeIntervalSince(start)
                Terminal.printJSON([
                    "peer": "kohybrid", "task": "ann-churn", "kernel": DistanceKernel.active, "phase": phase, "base": batch.count,
                    "removed": removed.count, "ef": efValue, "k": k,
                    "qps": (Double(queries.count) / seconds * 10).rounded() / 10,
                    "recall@\(k)": (recall(found) * 10_000).rounded() / 10_000,
                ].merging(extra) { a, _ in a } as [String: Any])
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
