import Foundation
import KoHybrid
import KoHybridAnalysis
import KoHybridCore
import KoHybridDense
import KoHybridFusion
import KoHybridSparse

extension RetrievalExperiment {
    /// Measures one sweep. Fusion sweeps reuse the candidate lists; `bm25` and `analyzer` rebuild or
    /// re-search the sparse side; `ef` builds an HNSW graph over the same vectors.
    public func sweep(_ sweep: Sweep, defaultFusion: Fusion = Fusion.hybridDefault, progress: Progress? = nil) -> [SweepResult] {
        func point(_ label: String, _ mode: EvaluationMode, substitutes: Substitutes = [:],
                   params: [String: ParameterValue]? = nil) -> SweepResult.Point {
            let result = evaluate(mode, run: run(mode, substitutes: substitutes))
            var fusion: Fusion?
            if case let .hybrid(f) = mode.search { fusion = f }
            return .init(label: label, params: params ?? mode.params, mean: result.mean, perQuery: result.perQuery, fusion: fusion)
        }
        let defaultName = EvaluationMode.standard(defaultFusion: defaultFusion).first(where: \.isDefault)?.name ?? "hybrid"
        switch sweep {
        case .rrfK:
            let points = [1.0, 5, 10, 20, 40, 60, 100, 200].map { k in
                point(ParameterValue.format(k), EvaluationMode(name: "hybrid-rrf", search: .hybrid(.reciprocalRank(k: k, weights: [.dense: 1, .sparse: 1]))))
            }
            return [SweepResult(name: sweep.rawValue, mode: "hybrid-rrf", points: points)]
        case .weights:
            // The dense share w of [w, 1 - w] for the two methods alpha does not cover.
            return [Fusion.reciprocalRank(k: 60), .distributionBased()].map { fusion in
                let points = stride(from: 0.0, through: 1.0001, by: 0.1).map { w -> SweepResult.Point in
                    let w = (w * 10).rounded() / 10
                    let weighted = fusion.with(weights: [.dense: w, .sparse: 1 - w])
                    return point(ParameterValue.format(w), EvaluationMode(name: "hybrid-\(fusion.name)", search: .hybrid(weighted)))
                }
                return SweepResult(name: "weights-\(fusion.name)", mode: "hybrid-\(fusion.name)", points: points)
            }
        case .alpha:
            let points = stride(from: 0.0, through: 1.0001, by: 0.1).map { a -> SweepResult.Point in
                let a = (a * 10).rounded() / 10
                return point(ParameterValue.format(a), EvaluationMode(name: "hybrid-rsf", search: .hybrid(.relativeScore(alpha: a))))
            }
            return [SweepResult(name: sweep.rawValue, mode: "hybrid-rsf", points: points)]
        case .depth:
            // Each depth retrieves its own candidates, as a search with that depth would.
            let points = [10, 20, 50, 100, 200].map { depth in
                point(String(depth), EvaluationMode(name: defaultName, search: .hybrid(defaultFusion), candidateDepth: depth))
            }
            return [SweepResult(name: sweep.rawValue, mode: defaultName, points: points)]
        case .bm25:
            let grid: [(Float, Float)] = [0.9, 1.2, 1.5, 2.0].flatMap { k1 in [0.5, 0.75, 0.9].map { (Float(k1), Float($0)) } }
            var points: [SweepResult.Point] = []
            for (k1, b) in grid {
                progress?("sweep bm25", points.count, grid.count)
                var options = self.options
                options.bm25.k1 = k1
                options.bm25.b = b
                let params: [String: ParameterValue] = ["k1": .number(Double(k1)), "b": .number(Double(b))]
                points.append(point("\(k1)/\(b)", EvaluationMode(name: "sparse", search: .sparse), substitutes: sparseLists(options), params: params))
            }
            return [SweepResult(name: sweep.rawValue, mode: "sparse", points: points)]
        case .analyzer:
            let points = AnalyzerPreset.allCases.enumerated().map { i, preset -> SweepResult.Point in
                progress?("sweep analyzer", i, AnalyzerPreset.allCases.count)
                var options = self.options
                options.analyzer = preset
                return point(preset.rawValue, EvaluationMode(name: "sparse", search: .sparse), substitutes: sparseLists(options),
                             params: ["analyzer": .text(preset.rawValue)])
            }
            return [SweepResult(name: sweep.rawValue, mode: "sparse", points: points)]
        case .ef:
            progress?("sweep ef: HNSW build", 0, documentIDs.count)
            let graph = HNSWIndex(dimension: dimension, metric: options.metric, parameters: options.hnsw)
            let rows = (0..<documentVectors.count).map { (key: UInt64($0), vector: Array(documentVectors[$0])) }
            try? graph.upsert(batch: rows, threads: 1)   // reproducible, as in init
            let vectors = queryVectors, metric = options.metric, depth = Metric.requiredDepth
            let points = [10, 20, 40, 64, 100, 200, 400].map { ef -> SweepResult.Point in
                let lists = Parallel.map(count: vectors.count, threads: options.threads) { q in
                    // k = ef below 100: the sweep is read at depth 10 (recall@10, MRR@10, nDCG@10)
                    CollectionSearcher.denseList(graph.search(vectors[q], k: min(ef, depth), ef: ef), metric: metric)
                }
                return point(String(ef), EvaluationMode(name: "dense", search: .dense), substitutes: [.dense: lists], params: ["ef": .number(Double(ef))])
            }
            return [SweepResult(name: sweep.rawValue, mode: "dense", points: points)]
        }
    }

    /// BM25 candidates for every judged query from a searcher over the same documents built
    /// with `options` (other BM25 parameters or another analyzer).
    func sparseLists(_ options: Options) -> Substitutes {
        let searcher = CollectionSearcher(configuration: options.configuration(dimension: 0))
        let texts = documentTexts
        try? searcher.index(texts.indices.map { (key: UInt64($0), document: Optional(texts[$0]), vector: nil) },
                            analysisThreads: options.threads)
        let queries = queryTexts
        return [.sparse: Parallel.map(count: queries.count, threads: options.threads) { q in
            searcher.candidates(.sparse, for: SearchQuery(text: queries[q]), depth: Self.sharedDepth)
        }]
    }
}
