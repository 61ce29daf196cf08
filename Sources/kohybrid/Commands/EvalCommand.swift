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
        per-query.jsonl and SVG charts there, --runs DIR TREC run files per mode. --json prints
        {corpus, queries, baseline, modes: [{mode, params, <measure>..., default?}], tests,
        sweeps, seconds}.

        Examples:
          kohybrid eval --corpus Corpora/shops
          kohybrid eval --corpus ../shared/corpora/kobest-boolq --json
          kohybrid eval --corpus Corpora/shops --sweep alpha,weights --report /tmp/shops-report
          kohybrid eval --corpus Corpora/shops --sweep alpha,depth --runs /tmp/r
          kohybrid eval --corpus Corpora/shops --candidates 50 --analyzer bigram
          kohybrid eval --corpus Corpora/shops --modes dense,sparse,hybrid-rsf
          kohybrid eval --store ./store --collection shops --queries q.jsonl \\
                        --qrels qrels.tsv --query-vectors q.e5-small.f32
          kohybrid eval --corpus ./my-corpus --embed-url http://127.0.0.1:8080/v1 \\
                        --embed-model e5-small --embed-input-type
        """
    )

    @Option(help: ArgumentHelp("A BEIR-layout corpus folder with precomputed vectors.", valueName: "dir"))
    var corpus: String?

    @Option(help: ArgumentHelp("Instead of --corpus: an existing store, searched through Store.search (needs --collection, --queries, --qrels).",
                               valueName: "dir"))
    var store: String?

    @Option(help: "With --store: the collection to search.")
    var collection: String?

    @Option(help: ArgumentHelp("With --store: a BEIR queries.jsonl ({\"_id\", \"text\"} per line).", valueName: "file"))
    var queries: String?

    @Option(help: ArgumentHelp("With --store: qrels TSV (query-id<TAB>corpus-id<TAB>score, header line optional).", valueName: "file"))
    var qrels: String?

    @Option(help: ArgumentHelp("With --store: raw float32 query vectors, one row per line of --queries (dense and hybrid modes need them).",
                               valueName: "file"))
    var queryVectors: String?

    @OptionGroup var output: JSONOutputOptions

    @Option(help: ArgumentHelp("Write report.md, results.json, per-query.jsonl and SVG charts to this folder (default: no files).",
                               valueName: "dir"))
    var report: String?

    @Flag(help: "Write no report folder (the default; kept for scripts that pass it).")
    var noReport = false

    @Option(help: ArgumentHelp("Folder for TREC run files, one per mode (<mode>.trec).", valueName: "dir"))
    var runs: String?

    @Option(help: ArgumentHelp("Sweeps to run, comma-separated.", valueName: "sweep,..."))
    var sweep: CommaSeparated<Sweep>?

    @Option(help: ArgumentHelp("Modes to measure, comma-separated (default: all).", valueName: "mode,..."))
    var modes: CommaSeparated<EvaluationModeName>?

    @Option(help: "Vector file model name: corpus.<model>.f32 and queries.<model>.f32.")
    var model = "e5-small"

    @Option(help: "The qrels split: qrels/<split>.tsv.")
    var split = "test"

    @OptionGroup var analyzer: AnalyzerOptions

    @OptionGroup var candidates: CandidatesOptions

    @Option(help: "Trials of each paired randomization test.")
    var trials = 10_000

    @Option(help: "Search threads (default: every core).")
    var threads: Int?

    @OptionGroup(title: "Embedding (for corpora without vector files)")
    var embedding: EmbedOptions

    func validate() throws {
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1, got \(trials)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if store != nil {
            guard corpus == nil else { throw ValidationError("give --corpus or --store, not both") }
            guard sweeps.isEmpty else { throw ValidationError("--sweep needs --corpus (a store's indexes are fixed)") }
            guard collection != nil, queries != nil, qrels != nil else {
                throw ValidationError("--store needs --collection, --queries and --qrels")
            }
        } else if corpus == nil {
            throw ValidationError("give --corpus DIR (or --store with --collection, --queries, --qrels)")
        }
        if report != nil, noReport { throw ValidationError("give --report DIR or --no-report, not both") }
    }

    private var sweeps: [Sweep] { sweep?.items ?? [] }

    /// The modes to measure, each at --candidates.
    private var selectedModes: [EvaluationMode] {
        let standard = EvaluationMode.standard().map { mode in
            var mode = mode
            mode.candidateDepth = candidates.value
            return mode
        }
        guard let modes else { return standard }
        return modes.items.compactMap { name in standard.first { $0.name == name.name } }
    }

    /// What measuring the modes produced: the results, the notes for the report, and the
    /// experiment sweeps run on (a corpus's; a store's indexes are fixed).
    private struct Measurement {
        var name: String
        var results: [ModeResult] = []
        var notes: [(String, String)] = []
        var experiment: RetrievalExperiment?
        var embeddingReport: [String: any JSONConvertible]?
        var modes: [EvaluationMode] = []
    }

    func run() async throws {
        let started = Date()
        let stage = StageProgress()
        let clock = StageClock()
        var measured = try await (store != nil ? measureStore(stage: stage, clock: clock) : measureCorpus(stage: stage, clock: clock))
        measured.notes.append(("candidate depth per retriever", "\(candidates.value)"))
        clock.lap("modes")
        stage.show("significance tests", 0, 1)
        let tests = significanceTests(measured.results)
        clock.lap("tests")
        let sweepResults = runSweeps(measured.experiment, stage: stage)
        stage.finish()
        if !sweeps.isEmpty { clock.lap("sweeps") }

        let elapsed = Date().timeIntervalSince(started)
        measured.notes.append(("time", String(format: "%.1f s (%@)", elapsed,
                                              clock.laps.map { String(format: "%@ %.1f s", $0.0, $0.1) }.joined(separator: ", "))))
        measured.notes += adaptiveWeightNotes(measured)
        let evaluation = EvaluationReport(corpus: measured.name, modes: measured.results, tests: tests, sweeps: sweepResults,
                                          notes: measured.notes,
                                          recommendation: recommendation(measured, sweeps: sweepResults))
        try writeReport(evaluation)
        if output.json {
            // The report's typed JSON (EvaluationResults), plus this run's time and embedding counts.
            var object = try JSONValue(parsing: String(decoding: evaluation.resultsJSON(), as: UTF8.self))
            if case .object(var members) = object {
                members["seconds"] = .double((elapsed * 100).rounded() / 100)
                if let report = measured.embeddingReport { members["embedding"] = JSONValue.fields(report) }
                object = .object(members)
            }
            Terminal.printJSON(object)
        } else {
            printTable(evaluation, seconds: elapsed)
        }
    }

    /// `--store`: the judged queries searched through `Store.search`, mode by mode.
    private func measureStore(stage: StageProgress, clock: StageClock) async throws -> Measurement {
        guard let store, let collection, let queries, let qrels else { throw CommandFailure("--store needs --collection, --queries and --qrels") }
        stage.show("opening \(store)", 0, 0)
        let opened: Store
        do { opened = try Store(directory: URL(fileURLWithPath: store), mode: .readOnly) } catch {
            throw EvaluationError.invalidInput(error.description)
        }
        await opened.setEmbedderProvider(embedding.provider(cache: try embedding.openCache()))
        let input = try await StoreEvaluation.load(store: opened, collection: collection, queries: URL(fileURLWithPath: queries),
                                                   qrels: URL(fileURLWithPath: qrels), queryVectors: queryVectors.map { URL(fileURLWithPath: $0) })
        var measured = Measurement(name: collection, modes: selectedModes)
        if input.queries.first?.vector == nil {
            measured.modes = measured.modes.filter { if case .sparse = $0.search { true } else { false } }
            Terminal.note("no --query-vectors and no embedder recorded: measuring sparse only")
        }
        clock.lap("load")
        for (i, mode) in measured.modes.enumerated() {
            stage.show("modes", i, measured.modes.count)
            let run = try await input.run(mode)
            try writeRun(run, mode, queryOrder: input.queryIDs)
            measured.results.append(input.evaluate(mode, run: run))
        }
        measured.notes.append(("store", "\(store), collection \(collection) (searched through Store.search)"))
        return measured
    }

    /// `--corpus`: both indexes built once from the corpus, every mode measured on them.
    private func measureCorpus(stage: StageProgress, clock: StageClock) async throws -> Measurement {
        guard let corpus else { throw CommandFailure("give --corpus DIR") }
        let directory = URL(fileURLWithPath: corpus)
        stage.show("loading \(directory.lastPathComponent)", 0, 0)
        var options = RetrievalExperiment.Options()
        options.analyzer = analyzer.value
        if let threads { options.threads = max(1, threads) }
        let experiment: RetrievalExperiment
        var embeddingReport: [String: any JSONConvertible]?
        if let configuration = embedding.configuration {
            stage.finish()
            let embedded = try await embedCorpus(directory, configuration: configuration, options: options, stage: stage)
            experiment = embedded.experiment
            embeddingReport = embedded.report
        } else {
            experiment = try RetrievalExperiment.load(from: directory, model: model, split: split, options: options,
                                                      progress: { name, done, total in stage.show(name, done, total) })
        }
        clock.restart(with: experiment.timings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        var measured = Measurement(name: experiment.corpusName, experiment: experiment, embeddingReport: embeddingReport,
                                   modes: selectedModes)
        for (i, mode) in measured.modes.enumerated() {
            stage.show("modes", i, measured.modes.count)
            let run = experiment.run(mode)
            try writeRun(run, mode, queryOrder: experiment.queryIDs)
            measured.results.append(experiment.evaluate(mode, run: run))
        }
        let source = embedding.configuration.map { "\($0.model) vectors from \($0.url)" } ?? "\(model) vectors"
        measured.notes += [("documents", "\(experiment.documentCount) (\(experiment.dimension)-dimensional \(source))"),
                           ("analyzer", analyzer.value.rawValue), ("threads", "\(options.threads)")]
        return measured
    }

    /// `--runs DIR`: `DIR/<mode>.trec`.
    private func writeRun(_ run: [String: [ScoredDocument]], _ mode: EvaluationMode, queryOrder: [String]) throws(EvaluationError) {
        guard let runs else { return }
        try TrecRunFile.write(run, tag: mode.name, to: URL(fileURLWithPath: runs).appendingPathComponent("\(mode.name).trec"),
                              queryOrder: queryOrder)
    }

    /// Each mode against dense by a paired randomization test, and the default against sparse.
    private func significanceTests(_ results: [ModeResult]) -> [SignificanceResult] {
        guard let baseline = results.first(where: { $0.mode == "dense" }) else { return [] }
        let test = PairedRandomizationTest(trials: trials)
        let metrics = [Metric.recall10, .mrr10, .ndcg10]
        var tests: [SignificanceResult] = []
        for result in results where result.mode != baseline.mode {
            for metric in metrics { tests.append(.compare(result, against: baseline, on: metric, using: test)) }
        }
        // The default must also hold its own against the other single retriever.
        if let sparse = results.first(where: { $0.mode == "sparse" }), let chosen = results.first(where: \.isDefault) {
            for metric in metrics { tests.append(.compare(chosen, against: sparse, on: metric, using: test)) }
        }
        return tests
    }

    private func runSweeps(_ experiment: RetrievalExperiment?, stage: StageProgress) -> [SweepResult] {
        guard let experiment else { return [] }
        return sweeps.flatMap { sweep in
            stage.show("sweep \(sweep.rawValue)", 0, 1)
            return experiment.sweep(sweep, progress: { name, done, total in stage.show(name, done, total) })
        }
    }

    /// How the adaptive fusion split its weight per query: the spread of the dense share.
    private func adaptiveWeightNotes(_ measured: Measurement) -> [(String, String)] {
        guard let experiment = measured.experiment else { return [] }
        var notes: [(String, String)] = []
        for mode in measured.modes {
            guard case .hybrid(.adaptiveRelativeScore) = mode.search else { continue }
            let dense = experiment.fusionWeights(mode).map { $0[.dense] ?? 0 }.sorted()
            guard !dense.isEmpty else { continue }
            func at(_ q: Double) -> String { String(format: "%.2f", dense[min(dense.count - 1, Int(q * Double(dense.count)))]) }
            notes.append(("\(mode.name) weight on dense per query",
                          "mean \(String(format: "%.2f", dense.reduce(0, +) / Double(dense.count))), 10th / 50th / 90th percentile \(at(0.1)) / \(at(0.5)) / \(at(0.9))"))
        }
        return notes
    }

    /// The best fixed setting the fusion sweeps found, against the default.
    private func recommendation(_ measured: Measurement, sweeps: [SweepResult]) -> SweepRecommendation? {
        guard let experiment = measured.experiment, !sweeps.isEmpty else { return nil }
        let defaultMode = EvaluationMode.standard().first(where: \.isDefault).map { mode in
            var mode = mode
            mode.candidateDepth = candidates.value
            return mode
        }
        guard let defaultResult = measured.results.first(where: \.isDefault) ?? defaultMode.map(experiment.evaluate) else { return nil }
        return SweepRecommendation.best(in: sweeps, against: defaultResult, using: PairedRandomizationTest(trials: trials))
    }

    /// `--report DIR`: report.md, results.json, per-query.jsonl and charts; nothing otherwise.
    private func writeReport(_ evaluation: EvaluationReport) throws {
        guard let report else { return }
        let folder = URL(fileURLWithPath: report)
        try evaluation.write(to: folder)
        if !output.json { FileHandle.standardError.write(Data("report: \(folder.path)/report.md\n".utf8)) }
    }

    private func printTable(_ evaluation: EvaluationReport, seconds: Double) {
        print("\(evaluation.corpus): \(evaluation.queryCount) queries, \(String(format: "%.1f", seconds)) s")
        print(evaluation.table())
        if !evaluation.tests.isEmpty { print("* differs from dense with p < 0.05 (paired randomization test, \(trials) trials)") }
        for sweep in evaluation.sweeps {
            print("\nsweep \(sweep.name) (\(sweep.mode)):")
            for point in sweep.points {
                print(String(format: "  %-18@ recall@10 %.4f  mrr@10 %.4f  ndcg@10 %.4f", point.label,
                             point.mean[.recall10], point.mean[.mrr10], point.mean[.ndcg10]))
            }
        }
        for (key, value) in evaluation.notes where key.hasSuffix("per query") { print("\(key): \(value)") }
        if let recommendation = evaluation.recommendation { print("\nrecommendation: \(recommendation.summary)") }
    }
}

extension EvalCommand {
    /// A BEIR folder's documents and judged queries embedded through the cache (no vector files
    /// needed), and the experiment built on them.
    private func embedCorpus(_ directory: URL, configuration: EmbedderConfiguration, options: RetrievalExperiment.Options,
                             stage: StageProgress) async throws -> (experiment: RetrievalExperiment, report: [String: any JSONConvertible]) {
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

/// The time each stage of an evaluation took, for the report's "time" note.
private final class StageClock {
    private(set) var laps: [(String, Double)] = []
    private var clock = Date()

    func lap(_ name: String) {
        laps.append((name, Date().timeIntervalSince(clock)))
        clock = Date()
    }

    /// Stages timed elsewhere (the experiment's build), then a fresh clock.
    func restart(with laps: [(String, Double)]) {
        self.laps = laps
        clock = Date()
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
