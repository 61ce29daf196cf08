import ArgumentParser
import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridEmbedding
import KoHybridEvaluation
import KoHybridFusion

/// `kohybrid eval`: dense-only, sparse-only and every hybrid fusion on labeled queries, with
/// trec_eval's measures, paired significance tests against dense, reports, runs and sweeps.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure what hybrid search buys over dense-only search on labeled queries.",
        discussion: """
        Reads a BEIR-layout corpus (corpus.jsonl, queries.jsonl, qrels/<split>.tsv) with
        precomputed vectors (corpus.<model>.f32, queries.<model>.f32), builds the dense and BM25
        indexes once, and measures on the same indexes:

          dense            vector search only
          sparse           Korean BM25 only
          hybrid-rrf       reciprocal rank fusion, k = 60, equal weights
          hybrid-rsf       relative score (min-max) fusion, alpha = 0.5
          hybrid-dbsf      distribution-based score fusion, equal weights
          hybrid-rsf-0.3   relative score fusion, alpha = 0.3 on dense (the previous default)
          hybrid-adaptive  min-max fusion with weights chosen per query from each list's
                           score distribution (the default)

        Without vector files (your own corpus and labeled text queries), --embed-url and
        --embed-model embed the documents and judged queries through the vector cache; a second
        run makes no request. With --store, a collection that recorded its embedder at ingest
        embeds the queries itself.

        The mode `kohybrid search` uses by default is marked "(default)"; it is fixed in code
        (Fusion.hybridDefault), never chosen from the corpus being measured. The other fusions
        run at their textbook settings; --sweep varies them, and the report ends with the best
        fixed setting the fusion sweeps found, its margin over the default and whether it is
        significant, for users who want to pin their own.

        Measures are trec_eval's: recall@1/5/10/20/100, nDCG@10, MRR@10, MAP@100; ties in score are
        broken as trec_eval breaks them. Each mode is compared with dense by a paired randomization
        test (p < 0.05 is marked *), and the default with sparse too. The table goes to stdout;
        nothing is written unless asked: --report DIR writes report.md, results.json,
        per-query.jsonl and SVG charts there, --runs DIR TREC run files per mode.

        Examples:
          kohybrid eval --corpus Corpora/shops
          kohybrid eval --corpus ../shared/corpora/kobest-boolq --json
          kohybrid eval --corpus Corpora/shops --sweep alpha,weights --report /tmp/shops-report
          kohybrid eval --corpus Corpora/shops --sweep alpha,depth --runs /tmp/r
          kohybrid eval --corpus Corpora/shops --modes dense,sparse,hybrid-rsf
          kohybrid eval --store ./store --collection shops --queries q.jsonl \\
                        --qrels qrels.tsv --query-vectors q.e5-small.f32
          kohybrid eval --corpus ./my-corpus --embed-url http://127.0.0.1:8080/v1 \\
                        --embed-model e5-small --embed-input-type
        """
    )

    @Option(help: "A BEIR-layout corpus folder with precomputed vectors.")
    var corpus: String?

    @Option(help: "Instead of --corpus: an existing store, searched through Store.search (needs --collection, --queries, --qrels).")
    var store: String?

    @Option(help: "With --store: the collection to search.")
    var collection: String?

    @Option(help: "With --store: a BEIR queries.jsonl ({\"_id\", \"text\"} per line).")
    var queries: String?

    @Option(help: "With --store: qrels TSV (query-id<TAB>corpus-id<TAB>score, header line optional).")
    var qrels: String?

    @Option(help: "With --store: raw float32 query vectors, one row per line of --queries (dense and hybrid modes need them).")
    var queryVectors: String?

    @Flag(help: "Print one JSON object: {corpus, queries, modes: [{mode, params, <measure>..., default?}], tests, sweeps}.")
    var json = false

    @Option(help: "Write report.md, results.json, per-query.jsonl and SVG charts to this folder (default: no files).")
    var report: String?

    @Flag(help: "Write no report folder (the default; kept for scripts that pass it).")
    var noReport = false

    @Option(help: "Folder for TREC run files, one per mode (<mode>.trec).")
    var runs: String?

    @Option(help: "Comma-separated sweeps: \(Sweep.allCases.map(\.rawValue).joined(separator: ",")).")
    var sweep: String?

    @Option(help: "Comma-separated modes to measure (default: all): dense, sparse, hybrid-rrf, hybrid-rsf, hybrid-dbsf, hybrid-rsf-0.3, hybrid-adaptive.")
    var modes: String?

    @Option(help: "Vector file model name: corpus.<model>.f32 and queries.<model>.f32.")
    var model = "e5-small"

    @Option(help: "The qrels split: qrels/<split>.tsv.")
    var split = "test"

    @Option(help: "Analyzer preset for BM25: \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
    var analyzer = AnalyzerPreset.korean.rawValue

    @Option(help: "Candidates each retriever gives a fusion.")
    var depth = Fusion.defaultCandidateDepth

    @Option(help: "Trials of each paired randomization test.")
    var trials = 10_000

    @Option(help: "Search threads (default: every core).")
    var threads: Int?

    @OptionGroup(title: "Embedding (for corpora without vector files)")
    var embedding: EmbedOptions

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1, got \(trials)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() async throws {
        do {
            try await evaluate()
        } catch let error as EvaluationError {
            Terminal.error(error.description)
            throw ExitCode.failure
        }
    }

    /// `--runs DIR`: `DIR/<mode>.trec`.
    private func writeRun(_ run: [String: [ScoredDocument]], _ mode: EvaluationMode, queryOrder: [String]) throws(EvaluationError) {
        guard let runs else { return }
        try TrecRunFile.write(run, tag: mode.name, to: URL(fileURLWithPath: runs).appendingPathComponent("\(mode.name).trec"),
                              queryOrder: queryOrder)
    }

    private func evaluate() async throws {
        guard let preset = AnalyzerPreset(rawValue: analyzer) else {
            throw ValidationError("unknown analyzer preset '\(analyzer)'; choose one of \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
        let sweeps = try sweep.map(Sweep.parse) ?? []
        var selected = EvaluationMode.standard().map { mode in
            var mode = mode
            mode.candidateDepth = depth
            return mode
        }
        if let modes {
            selected = try EvaluationMode.select(modes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, from: selected)
        }

        let started = Date()
        let stage = StageProgress()
        var clock = Date()
        var stageTimes: [(String, Double)] = []
        func lap(_ name: String) { stageTimes.append((name, Date().timeIntervalSince(clock))); clock = Date() }

        var results: [ModeResult] = []
        let name: String
        var notes: [(String, String)] = []
        var experiment: RetrievalExperiment?
        var embeddingReport: [String: Any]?
        if let store {
            guard corpus == nil else { throw ValidationError("give --corpus or --store, not both") }
            guard sweeps.isEmpty else { throw ValidationError("--sweep needs --corpus (a store's indexes are fixed)") }
            guard let collection, let queries, let qrels else {
                throw ValidationError("--store needs --collection, --queries and --qrels")
            }
            stage.show("opening \(store)", 0, 0)
            let opened: Store
            do { opened = try await Store.open(at: URL(fileURLWithPath: store), mode: .readOnly) } catch {
                throw EvaluationError.invalidInput(error.description)
            }
            await opened.setEmbedderProvider(embedding.provider(cache: try embedding.openCache()))
            let input = try await StoreEvaluation.load(store: opened, collection: collection, queries: URL(fileURLWithPath: queries),
                                                       qrels: URL(fileURLWithPath: qrels), queryVectors: queryVectors.map { URL(fileURLWithPath: $0) })
            if input.queries.first?.vector == nil {
                selected = selected.filter { if case .sparse = $0.search { true } else { false } }
                FileHandle.standardError.write(Data("no --query-vectors and no embedder recorded: measuring sparse only\n".utf8))
            }
            lap("load")
            for (i, mode) in selected.enumerated() {
                stage.show("modes", i, selected.count)
                let run = try await input.run(mode)
                try writeRun(run, mode, queryOrder: input.queryIDs)
                results.append(input.evaluate(mode, run: run))
            }
            name = collection
            notes.append(("store", "\(store), collection \(collection) (searched through Store.search)"))
        } else {
            guard let corpus else { throw ValidationError("give --corpus DIR (or --store with --collection, --queries, --qrels)") }
            let directory = URL(fileURLWithPath: corpus)
            stage.show("loading \(directory.lastPathComponent)", 0, 0)
            var options = RetrievalExperiment.Options()
            options.analyzer = preset
            if let threads { options.threads = max(1, threads) }
            let built: RetrievalExperiment
            if let configuration = embedding.configuration {
                stage.finish()
                let embedded = try await embedCorpus(directory, configuration: configuration, options: options, stage: stage)
                built = embedded.experiment
                embeddingReport = embedded.report
            } else {
                built = try RetrievalExperiment.load(from: directory, model: model, split: split, options: options,
                                                     progress: { name, done, total in stage.show(name, done, total) })
            }
            experiment = built
            stageTimes = built.timings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            clock = Date()
            for (i, mode) in selected.enumerated() {
                stage.show("modes", i, selected.count)
                let run = built.run(mode)
                try writeRun(run, mode, queryOrder: built.queryIDs)
                results.append(built.evaluate(mode, run: run))
            }
            name = built.corpusName
            let source = embedding.configuration.map { "\($0.model) vectors from \($0.url)" } ?? "\(model) vectors"
            notes += [("documents", "\(built.documentCount) (\(built.dimension)-dimensional \(source))"),
                      ("analyzer", preset.rawValue), ("threads", "\(options.threads)")]
        }
        notes.append(("candidate depth per retriever", "\(depth)"))

        lap("modes")
        stage.show("significance tests", 0, 1)
        var tests: [SignificanceResult] = []
        if let baseline = results.first(where: { $0.mode == "dense" }) {
            let test = PairedRandomizationTest(trials: trials)
            for result in results where result.mode != baseline.mode {
                for metric in [Metric.recall10, .mrr10, .ndcg10] {
                    tests.append(.compare(result, against: baseline, on: metric, using: test))
                }
            }
            // The default must also hold its own against the other single retriever.
            if let sparse = results.first(where: { $0.mode == "sparse" }), let chosen = results.first(where: \.isDefault) {
                for metric in [Metric.recall10, .mrr10, .ndcg10] {
                    tests.append(.compare(chosen, against: sparse, on: metric, using: test))
                }
            }
        }
        lap("tests")
        let sweepResults = experiment.map { experiment in
            sweeps.flatMap { sweep in
                stage.show("sweep \(sweep.rawValue)", 0, 1)
                return experiment.sweep(sweep, progress: { name, done, total in stage.show(name, done, total) })
            }
        } ?? []
        stage.finish()
        if !sweeps.isEmpty { lap("sweeps") }

        let elapsed = Date().timeIntervalSince(started)
        notes.append(("time", String(format: "%.1f s (%@)", elapsed,
                                     stageTimes.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))))
        if let experiment {
            for mode in selected {
                guard case .hybrid(.adaptiveRelativeScore) = mode.search else { continue }
                let dense = experiment.fusionWeights(mode).map { $0[.dense] ?? 0 }.sorted()
                guard !dense.isEmpty else { continue }
                func at(_ q: Double) -> String { String(format: "%.2f", dense[min(dense.count - 1, Int(q * Double(dense.count)))]) }
                notes.append(("\(mode.name) weight on dense per query",
                              "mean \(String(format: "%.2f", dense.reduce(0, +) / Double(dense.count))), 10th / 50th / 90th percentile \(at(0.1)) / \(at(0.5)) / \(at(0.9))"))
            }
        }
        var recommendation: SweepRecommendation?
        if let experiment, !sweepResults.isEmpty {
            let defaultMode = EvaluationMode.standard().first(where: \.isDefault).map { mode in
                var mode = mode
                mode.candidateDepth = depth
                return mode
            }
            let defaultResult = results.first(where: \.isDefault) ?? defaultMode.map(experiment.evaluate)
            if let defaultResult {
                recommendation = SweepRecommendation.best(in: sweepResults, against: defaultResult,
                                                          using: PairedRandomizationTest(trials: trials))
            }
        }
        let evaluation = EvaluationReport(corpus: name, modes: results, tests: tests, sweeps: sweepResults, notes: notes,
                                          recommendation: recommendation)

        if let report {
            let folder = URL(fileURLWithPath: report)
            try evaluation.write(to: folder)
            if !json { FileHandle.standardError.write(Data("report: \(folder.path)/report.md\n".utf8)) }
        }
        if json {
            // The report's typed JSON (EvaluationResults), plus this run's time and embedding counts.
            var object = (try? JSONSerialization.jsonObject(with: evaluation.resultsJSON())) as? [String: Any] ?? [:]
            object["seconds"] = (elapsed * 100).rounded() / 100
            if let embeddingReport { object["embedding"] = embeddingReport }
            Terminal.printJSON(object)
        } else {
            print("\(name): \(evaluation.queryCount) queries, \(String(format: "%.1f", elapsed)) s")
            print(evaluation.table())
            if !tests.isEmpty { print("* differs from dense with p < 0.05 (paired randomization test, \(trials) trials)") }
            for sweep in sweepResults {
                print("\nsweep \(sweep.name) (\(sweep.mode)):")
                for point in sweep.points {
                    print(String(format: "  %-18@ recall@10 %.4f  mrr@10 %.4f  ndcg@10 %.4f", point.label,
                                 point.mean[.recall10], point.mean[.mrr10], point.mean[.ndcg10]))
                }
            }
            for (key, value) in notes where key.hasSuffix("per query") { print("\(key): \(value)") }
            if let recommendation { print("\nrecommendation: \(recommendation.summary)") }
        }
    }
}

extension EvalCommand {
    /// A BEIR folder's documents and judged queries embedded through the cache (no vector files
    /// needed), and the experiment built on them.
    private func embedCorpus(_ directory: URL, configuration: EmbedderConfiguration, options: RetrievalExperiment.Options,
                             stage: StageProgress) async throws -> (experiment: RetrievalExperiment, report: [String: Any]) {
        var corpus: BEIRCorpus
        do { corpus = try BEIRCorpus.load(from: directory, split: split) } catch { throw EvaluationError.dataset(error) }
        corpus.queries = corpus.judgedQueries
        let embedder = try CommandEmbedder(configuration, options: embedding, cache: try embedding.openCache(), dimension: nil)
        let documents = try await embedder.embed(corpus.documents.map(\.fullText), role: .document, label: "embedding documents")
        let queries = try await embedder.embed(corpus.queries.map(\.text), role: .query, label: "embedding queries")
        await embedder.printSummary()
        guard let dimension = documents.first?.count ?? queries.first?.count else {
            throw EvaluationError.noJudgedQueries(corpus: directory.path)
        }
        let experiment = try RetrievalExperiment(corpus: corpus, documentVectors: VectorMatrix(dimension: dimension, values: documents.flatMap { $0 }),
                                                 queryVectors: VectorMatrix(dimension: dimension, values: queries.flatMap { $0 }),
                                                 options: options, progress: { name, done, total in stage.show(name, done, total) })
        return (experiment, await embedder.report())
    }
}

/// One progress line whose label follows the stage being worked on.
private final class StageProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var line: ProgressLine?
    private var stage = ""

    func show(_ name: String, _ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        if name != stage {
            line?.finish()
            line = ProgressLine(name, total: total > 0 ? total : nil)
            stage = name
        }
        line?.update(done)
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        line?.finish()
    }
}
