import ArgumentParser
import Foundation
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridSparse

/// `kohybrid bench bm25`: BM25 quality and single-thread speed on a BEIR corpus.
struct BenchBM25Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bm25",
        abstract: "Measure BM25 quality and single-thread query speed on a BEIR corpus.",
        discussion: """
        Analyzes the documents, builds the index (build_s excludes analysis, reported as
        analyze_s), then answers every judged query once for top-k with one thread, timing only
        the index search (query analysis excluded, like the peers). Prints one JSON object with
        docs, queries, preset, analyze_s, build_s, qps (wall clock, best of --repeats), qps_cpu
        (thread CPU time, steadier on a busy machine), recall@10 and mrr@10 (binary relevance, as
        ../shared/peers/beir.py computes them). Build with -c release.

        Example:
          swift run -c release kohybrid bench bm25 --corpus ../shared/corpora/kobest-boolq --json
          kohybrid bench bm25 --corpus DIR --preset korean-no-bigrams --bigram-weight 0.5
        """
    )

    @Option(help: "BEIR corpus directory (corpus.jsonl, queries.jsonl, qrels/test.tsv).")
    var corpus: String

    @Option(help: "Analyzer preset: \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var preset: String = AnalyzerPreset.korean.rawValue

    @Option(help: "Top-k to retrieve.")
    var k: Int = 10

    @Option(help: "BM25 k1.") var k1: Float = 1.2
    @Option(help: "BM25 b.") var b: Float = 0.75
    @Option(help: "Weight of the bigram field (default: BM25Parameters' default).") var bigramWeight: Float?

    @Option(help: "Turn analyzer steps off, comma-separated: scripts, normalize, particles, endings, dictionary, stopwords, words, bigrams.")
    var without: String = ""

    @Option(help: "Repeat the timed query loop this many times and report the best.")
    var repeats: Int = 3

    @Flag(help: "Score every posting instead of MaxScore (the reference, for comparison).")
    var exhaustive = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("-k must be at least 1, got \(k)") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    func run() async throws {
        guard let chosen = AnalyzerPreset(rawValue: preset) else {
            throw ValidationError("unknown preset '\(preset)'; choose one of \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var configuration = chosen.configuration
        for step in without.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch step {
            case "scripts": configuration.splitScripts = false
            case "normalize": configuration.normalize = false
            case "particles": configuration.stripParticles = false
            case "endings": configuration.stripEndings = false
            case "dictionary": configuration.dictionary = nil
            case "stopwords": configuration.stopwords = []
            case "words": configuration.words = false
            case "bigrams": configuration.bigrams = false
            default: throw ValidationError("unknown step '\(step)' in --without")
            }
        }
        let data = try BEIRCorpus.load(from: URL(fileURLWithPath: corpus))
        let analyzer = Analyzer(configuration)
        var parameters = BM25Parameters(k1: k1, b: b)
        if let bigramWeight { parameters.fieldWeights.bigram = bigramWeight }

        let progress = ProgressLine("analyzing", total: data.documents.count)
        var clock = ContinuousClock.now
        var documentTerms: [[Term]] = []
        documentTerms.reserveCapacity(data.documents.count)
        for (i, document) in data.documents.enumerated() {
            documentTerms.append(analyzer.analyze(document.fullText))
            progress.update(i + 1)
        }
        progress.finish()
        let analyzeSeconds = seconds(since: clock)

        clock = .now
        var index = BM25Index(parameters: parameters)
        for (i, terms) in documentTerms.enumerated() { index.upsert(key: UInt64(i), terms: terms) }
        let buildSeconds = seconds(since: clock)

        let queries = data.judgedQueries
        let queryTerms = queries.map { analyzer.analyze($0.text) }
        var best = Double.infinity, bestCPU = Double.infinity
        var results: [[BM25Hit]] = []
        for _ in 0..<max(1, repeats) {
            clock = .now
            let cpu = threadCPUSeconds()
            results = queryTerms.map { exhaustive ? index.exhaustiveSearch($0, k: k) : index.search($0, k: k) }
            best = min(best, seconds(since: clock))
            bestCPU = min(bestCPU, threadCPUSeconds() - cpu)
        }

        var recall = 0.0, reciprocalRank = 0.0
        for (query, hits) in zip(queries, results) {
            let relevant = data.qrels[query.id] ?? [:]
            let ranked = hits.map { data.documents[Int($0.key)].id }
            recall += Double(ranked.prefix(10).filter { relevant[$0] != nil }.count) / Double(max(relevant.count, 1))
            if let rank = ranked.prefix(10).firstIndex(where: { relevant[$0] != nil }) { reciprocalRank += 1 / Double(rank + 1) }
        }
        let n = Double(max(queries.count, 1))
        let termsPerQuery = queryTerms.reduce(0.0) { sum, terms in
            sum + Double(Set(terms.map { "\($0.field.rawValue)\u{1F}\($0.text)" }).count)
        } / n
        let result: [String: Any] = [
            "task": "bm25", "algorithm": exhaustive ? "exhaustive" : "maxscore", "corpus": data.name, "preset": chosen.rawValue, "without": without,
            "docs": data.documents.count, "queries": queries.count, "k": k,
            "k1": Double(k1), "b": Double(b), "bigram_weight": Double(parameters.fieldWeights.bigram),
            "terms": index.termCount, "terms_per_query": (termsPerQuery * 10).rounded() / 10,
            "analyze_s": round3(analyzeSeconds), "build_s": round3(buildSeconds),
            "qps": (Double(queries.count) / best).rounded(),
            // CPU time of this thread only: steadier than wall time on a shared machine.
            "qps_cpu": (Double(queries.count) / bestCPU).rounded(),
            "recall@10": round4(recall / n), "mrr@10": round4(reciprocalRank / n),
        ]
        if json {
            Terminal.printJSON(result)
        } else {
            for key in result.keys.sorted() { print("\(key): \(result[key]!)") }
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    private func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    private func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
}
