import Foundation
import KoHybridDatasets
import KoHybridFusion
import KoHybridTestSupport
import Testing
@testable import KoHybridEvaluation

/// The bundled Korean shops corpus (Corpora/shops), searched once for every test here.
enum Shops {
    static let directory = SharedData.repositoryRoot.appendingPathComponent("Corpora/shops")
    static let experiment: Result<RetrievalExperiment, EvaluationError> = {
        Result { () throws(EvaluationError) in try RetrievalExperiment.load(from: directory) }
    }()
}

@Suite struct RetrievalExperimentTests {
    @Test func everyStandardModeRunsOnTheShopsCorpus() throws {
        let experiment = try Shops.experiment.get()
        #expect(experiment.documentCount == 826)
        #expect(experiment.queryIDs.count == 435)
        let modes = EvaluationMode.standard()
        #expect(modes.filter(\.isDefault).count == 1)
        #expect(modes.map(\.name) == ["dense", "sparse", "hybrid-rrf", "hybrid-rsf", "hybrid-dbsf", "hybrid-rsf-0.3", "hybrid-adaptive"])
        #expect(modes.last?.isDefault == true)
        for mode in modes {
            let run = experiment.run(mode)
            #expect(run.count == 435)
            for hits in run.values {
                #expect(hits.count <= 100)
                #expect(Set(hits.map(\.id)).count == hits.count, "\(mode.name): a document twice in one list")
                #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score > $1.score }, "\(mode.name): scores must strictly decrease")
            }
        }
    }

    /// What the issue asks of the default: never worse than the better single retriever on
    /// recall@10 and MRR@10, and better than dense. (On this corpus BM25 beats dense by 14 MRR points.)
    @Test func defaultHybridBeatsBothRetrieversOnShops() throws {
        let experiment = try Shops.experiment.get()
        let modes = EvaluationMode.standard()
        let results = Dictionary(uniqueKeysWithValues: modes.map { ($0.name, experiment.evaluate($0)) })
        let chosen = try #require(modes.first { $0.isDefault })
        let best = try #require(results[chosen.name])
        let dense = try #require(results["dense"]), sparse = try #require(results["sparse"])
        for metric in [Metric.recall10, .mrr10] {
            #expect(best.mean[metric] >= max(dense.mean[metric], sparse.mean[metric]), "\(metric.name)")
        }
        #expect(best.mean[.mrr10] > dense.mean[.mrr10])
        #expect(chosen.search == .hybrid(Fusion.hybridDefault))
    }

    /// Exact menu names, places and jargon are where BM25 helps: sparse must beat dense on the
    /// exact-name queries of the bundled set (the reason the corpus exists).
    @Test func sparseWinsOnExactMenuNames() throws {
        let experiment = try Shops.experiment.get()
        let corpus = try BEIRCorpus.load(from: Shops.directory)
        let menuQueries = Set(corpus.queries.filter { $0.metadata["kind"] == "menu" }.map(\.id))
        #expect(menuQueries.count > 50)
        func mrr(_ name: String) -> Double {
            let result = experiment.evaluate(EvaluationMode(name: name, search: name == "dense" ? .dense : .sparse))
            let rows = zip(result.queryIDs, result.perQuery).filter { menuQueries.contains($0.0) }
            return rows.reduce(0) { $0 + $1.1[.mrr10] } / Double(rows.count)
        }
        #expect(mrr("sparse") > mrr("dense") + 0.2)
    }

    /// The default's weights follow each query, and are reported as the fusion uses them.
    @Test func adaptiveWeightsVaryPerQuery() throws {
        let experiment = try Shops.experiment.get()
        let chosen = try #require(EvaluationMode.standard().first { $0.isDefault })
        let weights = experiment.fusionWeights(chosen)
        #expect(weights.count == experiment.queryIDs.count)
        #expect(weights.allSatisfy { w in
            w.count == 2 && abs(w[.dense, default: 0] + w[.sparse, default: 0] - 1) < 1e-12 && w.values.allSatisfy { (0...1).contains($0) }
        })
        let dense = weights.map { $0[.dense, default: 0] }
        #expect(dense.max()! - dense.min()! > 0.5, "per-query weights should span a wide range on shops")
        #expect(experiment.fusionWeights(EvaluationMode(name: "hybrid-rsf", search: .hybrid(.relativeScore(alpha: 0.3)))).allSatisfy { $0 == [.dense: 0.3, .sparse: 0.7] })
    }

    /// `--sweep` ends with the best fixed setting, tested against the default on the same queries.
    @Test func sweepRecommendationIsTheBestPointTestedAgainstTheDefault() throws {
        let experiment = try Shops.experiment.get()
        let chosen = try #require(EvaluationMode.standard().first { $0.isDefault })
        let defaultResult = experiment.evaluate(chosen)
        let sweeps = experiment.sweep(.alpha) + experiment.sweep(.bm25)
        let advice = try #require(SweepRecommendation.best(in: sweeps, against: defaultResult, using: PairedRandomizationTest(trials: 500)))
        let best = try #require(sweeps[0].points.max { $0.mean[.mrr10] < $1.mean[.mrr10] })
        #expect(advice.sweep == "alpha" && advice.label == best.label)   // bm25 points are no fusion setting
        #expect(advice.fusion == .relativeScore(alpha: Double(best.label)!))
        #expect(advice.tests.map(\.metric) == [.recall10, .mrr10])
        #expect(abs(advice.tests[1].difference - (best.mean[.mrr10] - defaultResult.mean[.mrr10])) < 1e-12)
        #expect(advice.summary.contains("hybrid-rsf") && advice.summary.contains(chosen.name))
        let report = EvaluationReport(corpus: "shops", modes: [defaultResult], sweeps: sweeps, recommendation: advice)
        #expect(report.markdown().contains("## Recommendation"))
        #expect(report.results.recommendation?.sweep == "alpha")
        #expect(SweepRecommendation.best(in: experiment.sweep(.bm25), against: defaultResult) == nil)
    }

    @Test func sweepsReportEveryPoint() throws {
        let experiment = try Shops.experiment.get()
        let rrf = try #require(experiment.sweep(.rrfK).first)
        #expect(rrf.points.map(\.label) == ["1", "5", "10", "20", "40", "60", "100", "200"])
        // k = 60 in the sweep is the hybrid-rrf mode itself
        let mode = experiment.evaluate(EvaluationMode.standard()[2])
        #expect(rrf.points[5].mean == mode.mean)
        let sweeps = experiment.sweep(.weights)
        #expect(sweeps.map(\.name) == ["weights-rrf", "weights-dbsf"])
        let weights = try #require(sweeps.last)
        #expect(weights.points.count == 11)
        // all weight on one list reproduces that retriever alone (same order, so same measures)
        #expect(abs(weights.points[10].mean[.mrr10] - experiment.evaluate(EvaluationMode(name: "dense", search: .dense)).mean[.mrr10]) < 1e-9)
    }

    @Test(.needsSharedData, .enabled(if: SharedData.peersPython != nil || SharedData.isCI,
                                     "needs the peers Python (scripts/peers-venv.sh, or KOHYBRID_PEERS_PYTHON)"))
    func exportedRunsMeasureTheSameInTrecEval() throws {
        let experiment = try Shops.experiment.get()
        let directory = SharedData.temporaryDirectory("kohybrid-runs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = SharedData.root.appendingPathComponent("peers/metrics_oracle.py").path
        let qrels = Shops.directory.appendingPathComponent("qrels/test.tsv").path
        for mode in EvaluationMode.standard() where mode.search != .dense {
            let run = experiment.run(mode)
            let ours = experiment.evaluate(mode, run: run).mean
            let url = directory.appendingPathComponent("\(mode.name).trec")
            try TrecRunFile.write(run, tag: mode.name, to: url)
            let out = try SharedData.runPython([script, "--qrels", qrels, "--run", url.path])
            let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8))
            let oracle = try #require(parsed as? [String: Double])
            #expect(abs(ours[.ndcg10] - (oracle["ndcg_cut_10"] ?? -1)) <= 1e-6, "\(mode.name) ndcg@10")
            #expect(abs(ours[.recall10] - (oracle["recall_10"] ?? -1)) <= 1e-6, "\(mode.name) recall@10")
            #expect(abs(ours[.map100] - (oracle["map"] ?? -1)) <= 1e-6, "\(mode.name) map@100")
        }
    }
}

