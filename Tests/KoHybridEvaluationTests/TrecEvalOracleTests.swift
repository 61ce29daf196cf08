import Foundation
import KoHybridDatasets
import KoHybridTestSupport
import Testing
@testable import KoHybridEvaluation

/// Our measures against trec_eval itself (`../shared/peers/metrics_oracle.py`, pytrec_eval) on the
/// TREC run files we write. Runs wherever the peers Python exists; under CI a missing one fails.
@Suite(.needsSharedData, .enabled(if: SharedData.peersPython != nil || SharedData.isCI,
                                  "needs the peers Python (scripts/peers-venv.sh, or KOHYBRID_PEERS_PYTHON)"))
struct TrecEvalOracleTests {
    struct OracleNumbers: Decodable {
        let queries: Int
        let values: [String: Double]
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            let object = try container.decode([String: Double].self)
            queries = Int(object["queries"] ?? 0)
            values = object
        }
    }

    func oracle(qrels: URL, run: URL) throws -> OracleNumbers {
        let script = SharedData.root.appendingPathComponent("peers/metrics_oracle.py").path
        let out = try SharedData.runPython([script, "--qrels", qrels.path, "--run", run.path])
        return try JSONDecoder().decode(OracleNumbers.self, from: Data(out.utf8))
    }

    /// Compares our mean measures with trec_eval's on `run` (written at depth 100, and at depth 10
    /// for recip_rank = MRR@10).
    func expectEqualToTrecEval(run: [String: [ScoredDocument]], qrels: [String: [String: Int]], qrelsFile: URL) throws {
        let directory = SharedData.temporaryDirectory("kohybrid-oracle")
        defer { try? FileManager.default.removeItem(at: directory) }
        let deep = directory.appendingPathComponent("run100.trec")
        let shallow = directory.appendingPathComponent("run10.trec")
        try TrecRunFile.write(run, tag: "test", to: deep, depth: 100)
        try TrecRunFile.write(run, tag: "test", to: shallow, depth: 10)
        let queryIDs = run.keys.sorted()
        let ours = ModeResult.evaluate(mode: "test", run: run, qrels: qrels, queryIDs: queryIDs).mean
        let full = try oracle(qrels: qrelsFile, run: deep)
        let top10 = try oracle(qrels: qrelsFile, run: shallow)
        #expect(full.queries == queryIDs.count)
        let pairs: [(Metric, Double?)] = [
            (.recall1, full.values["recall_1"]), (.recall5, full.values["recall_5"]),
            (.recall10, full.values["recall_10"]), (.recall20, full.values["recall_20"]),
            (.recall100, full.values["recall_100"]), (.ndcg10, full.values["ndcg_cut_10"]),
            (.map100, full.values["map"]), (.mrr10, top10.values["recip_rank"]),
        ]
        for (metric, expected) in pairs {
            let expected = try #require(expected, "trec_eval printed no value for \(metric.name)")
            #expect(abs(ours[metric] - expected) <= 1e-6, "\(metric.name): ours \(ours[metric]), trec_eval \(expected)")
        }
    }

    @Test func handExampleWithGradesAndTies() throws {
        let directory = SharedData.temporaryDirectory("kohybrid-oracle-qrels")
        defer { try? FileManager.default.removeItem(at: directory) }
        let qrels = ["q1": ["a": 2, "b": 1, "c": 1], "q2": ["m": 1], "q3": ["p": 1]]
        let qrelsFile = directory.appendingPathComponent("qrels.tsv")
        var text = "query-id\tcorpus-id\tscore\n"
        for (q, docs) in qrels.sorted(by: { $0.key < $1.key }) {
            for (d, s) in docs.sorted(by: { $0.key < $1.key }) { text += "\(q)\t\(d)\t\(s)\n" }
        }
        try text.write(to: qrelsFile, atomically: true, encoding: .utf8)
        let run = [
            "q1": [ScoredDocument(id: "a", score: 0.8), ScoredDocument(id: "x", score: 0.9),
                   ScoredDocument(id: "c", score: 0.1), ScoredDocument(id: "b", score: 0.8)],
            "q2": ["n", "m", "o"].map { ScoredDocument(id: $0, score: 0.5) },
            // different doubles, the same 32-bit float: a tie for trec_eval
            "q3": [ScoredDocument(id: "p", score: 0.3000000001), ScoredDocument(id: "q", score: 0.3)],
        ]
        try expectEqualToTrecEval(run: run, qrels: qrels, qrelsFile: qrelsFile)
    }

    /// 150 kobest-boolq questions, exact dense search, scores rounded to 3 decimals so that many
    /// hits tie (the case where tie-breaking decides the numbers).
    @Test func kobestBoolqSubsetWithTiedScores() throws {
        let corpus = try BEIRCorpus.load(from: SharedData.corpus("kobest-boolq"))
        let documents = try corpus.vectors(.documents)
        let queryVectors = try corpus.vectors(.queries)
        let row = Dictionary(uniqueKeysWithValues: corpus.queries.enumerated().map { ($1.id, $0) })
        let judged = Array(corpus.judgedQueries.prefix(150))
        let dimension = documents.dimension
        var run: [String: [ScoredDocument]] = [:]
        documents.values.withUnsafeBufferPointer { docs in
            queryVectors.values.withUnsafeBufferPointer { queries in
                for query in judged {
                    guard let r = row[query.id] else { continue }
                    let q = queries.baseAddress! + r * dimension
                    var scores = [Double](repeating: 0, count: documents.count)
                    for d in 0..<documents.count {
                        let v = docs.baseAddress! + d * dimension
                        var dot: Float = 0
                        for i in 0..<dimension { dot += q[i] * v[i] }
                        scores[d] = (Double(dot) * 1000).rounded() / 1000
                    }
                    let top = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(100)
                    run[query.id] = top.map { ScoredDocument(id: corpus.documents[$0].id, score: scores[$0]) }
                }
            }
        }
        let ties = run.values.reduce(0) { $0 + ($1.count - Set($1.map(\.score)).count) }
        #expect(ties > 1000, "the subset should exercise tie-breaking")
        let qrelsFile = corpus.directory.appendingPathComponent("qrels/test.tsv")
        try expectEqualToTrecEval(run: run, qrels: corpus.qrels, qrelsFile: qrelsFile)
    }

    @Test func runFileRoundTrips() throws {
        let directory = SharedData.temporaryDirectory("kohybrid-runfile")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ["질문-1": [ScoredDocument(id: "가게-2", score: 0.1 + 0.2), ScoredDocument(id: "가게-1", score: 1e-7)]]
        let url = directory.appendingPathComponent("dense.trec")
        try TrecRunFile.write(run, tag: "dense", to: url)
        #expect(try TrecRunFile.read(url) == run)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.split(separator: " ").map(String.init) == ["질문-1", "Q0", "가게-2", "1", "\(0.1 + 0.2)", "dense"])
    }
}
