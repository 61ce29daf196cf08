import ArgumentParser
import Foundation
import KoHybrid
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

        Examples:
          swift run -c release kohybrid bench bm25 --corpus ../shared/corpora/kobest-boolq --json
          kohybrid bench bm25 --corpus DIR --analyzer korean-no-bigrams --bigram-weight 0.5
          kohybrid bench bm25 --corpus Corpora/shops --without bigrams,stopwords -k 100
        """
    )

    @Option(help: "BEIR corpus directory (corpus.jsonl, queries.jsonl, qrels/test.tsv).")
    var corpus: String

    @OptionGroup var analyzer: AnalyzerOptions

    @OptionGroup var top: TopKOptions

    @Option(help: "BM25 k1.") var k1: Float = 1.2
    @Option(help: "BM25 b.") var b: Float = 0.75
    @Option(help: "Weight of the bigram field (default: BM25Parameters' default).") var bigramWeight: Float?

    @Option(help: ArgumentHelp("Analyzer steps to turn off, comma-separated.", valueName: "step,..."))
    var without: CommaSeparated<AnalyzerStep>?

    @Option(help: "Repeat the timed query loop this many times and report the best.")
    var repeats: Int = 3

    @Flag(help: "Score every posting instead of MaxScore (the reference, for comparison).")
    var exhaustive = false

    @OptionGroup var output: JSONOutputOptions

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1, got \(repeats)") }
    }

    /// The analyzer: the preset with the --without steps turned off.
    private var analyzerConfiguration: AnalyzerConfiguration {
        var configuration = analyzer.value.configuration
        for step in without?.items ?? [] { step.turnOff(in: &configuration) }
        return configuration
    }

    func run() async throws {
        let k = top.value
        let data = try BEIRCorpus.load(from: URL(fileURLWithPath: corpus))
        let analyzer = Analyzer(analyzerConfiguration)
        var parameters = BM25Parameters(k1: k1, b: b)
        if let bigramWeight { parameters.fieldWeights.bigram = bigramWeight }

        var clock = ContinuousClock.now
        let documentTerms = analyze(data.documents, with: analyzer)
        let analyzeSeconds = seconds(since: clock)
        clock = .now
        var index = BM25Index(parameters: parameters)
        for (i, terms) in documentTerms.enumerated() { index.upsert(key: UInt64(i), terms: terms) }
        let buildSeconds = seconds(since: clock)

        let queries = data.judgedQueries
        let queryTerms = queries.map { analyzer.analyze($0.text) }
        let timed = timeQueries(queryTerms, on: index, k: k)
        let quality = Self.quality(of: timed.results, queries: queries, in: data)
        let n = Double(max(queries.count, 1))
        let termsPerQuery = queryTerms.reduce(0.0) { sum, terms in
            sum + Double(Set(terms.map { "\($0.field.rawValue)\u{1F}\($0.text)" }).count)
        } / n
        let result: [String: any JSONConvertible] = [
            "task": "bm25", "algorithm": exhaustive ? "exhaustive" : "maxscore", "corpus": data.name, "preset": self.analyzer.value.rawValue,
            "without": without?.text ?? "",
            "docs": data.documents.count, "queries": queries.count, "k": k,
            "k1": Double(k1), "b": Double(b), "bigram_weight": Double(parameters.fieldWeights.bigram),
            "terms": index.termCount, "terms_per_query": (termsPerQuery * 10).rounded() / 10,
            "analyze_s": round3(analyzeSeconds), "build_s": round3(buildSeconds),
            "qps": wholeNumber(Double(queries.count) / timed.wall),
            // CPU time of this thread only: steadier than wall time on a shared machine.
            "qps_cpu": wholeNumber(Double(queries.count) / timed.cpu),
            "recall@10": round4(quality.recall), "mrr@10": round4(quality.mrr),
        ]
        if output.json {
            Terminal.printJSON(JSONValue.fields(result))
        } else {
            for (key, value) in result.sorted(by: { $0.key < $1.key }) { print("\(key): \(value.json.plainText)") }
        }
    }

    /// Every document's terms, with progress on stderr.
    private func analyze(_ documents: [BEIRCorpus.Document], with analyzer: Analyzer) -> [[Term]] {
        let progress = ProgressLine("analyzing", total: documents.count)
        defer { progress.finish() }
        var terms: [[Term]] = []
        terms.reserveCapacity(documents.count)
        for (i, document) in documents.enumerated() {
            terms.append(analyzer.analyze(document.fullText))
            progress.update(i + 1)
        }
        return terms
    }

    /// The best of --repeats passes over every query, in wall and thread CPU seconds.
    private func timeQueries(_ queryTerms: [[Term]], on index: BM25Index, k: Int) -> (results: [[BM25Hit]], wall: Double, cpu: Double) {
        var best = Double.infinity, bestCPU = Double.infinity
        var results: [[BM25Hit]] = []
        for _ in 0..<repeats {
            let clock = ContinuousClock.now
            let cpu = threadCPUSeconds()
            results = queryTerms.map { exhaustive ? index.exhaustiveSearch($0, k: k) : index.search($0, k: k) }
            best = min(best, seconds(since: clock))
            bestCPU = min(bestCPU, threadCPUSeconds() - cpu)
        }
        return (results, best, bestCPU)
    }

    /// Mean recall@10 and MRR@10 with binary relevance, as ../shared/peers/beir.py computes them.
    private static func quality(of results: [[BM25Hit]], queries: [BEIRCorpus.Query], in data: BEIRCorpus) -> (recall: Double, mrr: Double) {
        var recall = 0.0, reciprocalRank = 0.0
        for (query, hits) in zip(queries, results) {
            let relevant = data.qrels[query.id] ?? [:]
            let ranked = hits.map { data.documents[Int($0.key)].id }
            recall += Double(ranked.prefix(10).filter { relevant[$0] != nil }.count) / Double(max(relevant.count, 1))
            if let rank = ranked.prefix(10).firstIndex(where: { relevant[$0] != nil }) { reciprocalRank += 1 / Double(rank + 1) }
        }
        let n = Double(max(queries.count, 1))
        return (recall / n, reciprocalRank / n)
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
