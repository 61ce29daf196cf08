import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import KoHybridTestSupport
import Testing
@testable import KoHybridEvaluation

@Suite struct EvaluationReportTests {
    /// Two modes over three Korean shop queries, measured for real from small runs.
    func sampleReport() -> EvaluationReport {
        let qrels = ["q-우니": ["s1": 1], "q-성수": ["s2": 1], "q-웨이팅": ["s3": 1]]
        let ids = qrels.keys.sorted()
        let dense = ["q-우니": [ScoredDocument(id: "s9", score: 0.9), ScoredDocument(id: "s1", score: 0.8)],
                     "q-성수": [ScoredDocument(id: "s2", score: 0.7)],
                     "q-웨이팅": [ScoredDocument(id: "s4", score: 0.6)]]
        let hybrid = ["q-우니": [ScoredDocument(id: "s1", score: 0.03)],
                      "q-성수": [ScoredDocument(id: "s2", score: 0.03)],
                      "q-웨이팅": [ScoredDocument(id: "s4", score: 0.02), ScoredDocument(id: "s3", score: 0.01)]]
        let modes = [
            ModeResult.evaluate(mode: "dense", run: dense, qrels: qrels, queryIDs: ids),
            ModeResult.evaluate(mode: "hybrid-rrf", params: ["k": .number(60), "weights": .numbers([1, 1])],
                                isDefault: true, run: hybrid, qrels: qrels, queryIDs: ids),
        ]
        let tests = [SignificanceResult.compare(modes[1], against: modes[0], on: .mrr10, using: PairedRandomizationTest(trials: 500))]
        let sweep = SweepResult(name: "rrf-k", mode: "hybrid-rrf", points: [10, 60].map { k in
            .init(label: "\(k)", params: ["k": .number(Double(k))], mean: modes[1].mean)
        })
        return EvaluationReport(corpus: "shops", modes: modes, tests: tests, sweeps: [sweep])
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let report = sampleReport()
        let data = try report.resultsJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["corpus"] as? String == "shops")
        #expect(object["queries"] as? Int == 3)
        let modes = try #require(object["modes"] as? [[String: Any]])
        #expect(modes.map { $0["mode"] as? String } == ["dense", "hybrid-rrf"])
        #expect(modes[0]["default"] == nil)
        #expect(modes[1]["default"] as? Bool == true)
        // reciprocal ranks 1, 1, 1/2 for hybrid; 1/2, 1, 0 for dense
        #expect(abs((modes[1]["mrr@10"] as? Double ?? 0) - 2.5 / 3) < 1e-6)
        #expect(abs((modes[0]["mrr@10"] as? Double ?? 0) - 1.5 / 3) < 1e-6)
        #expect((modes[1]["params"] as? [String: Any])?["k"] as? Double == 60)
        for metric in Metric.allCases { #expect(modes[0][metric.name] is Double, "\(metric.name)") }
        let tests = try #require(object["tests"] as? [[String: Any]])
        #expect(tests.first?["baseline"] as? String == "dense")
        #expect((tests.first?["p"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
    }

    /// What the tool writes, a script (or a test) reads back as the same typed value.
    @Test func jsonDecodesBackToTheSameResults() throws {
        let report = sampleReport()
        let decoded = try JSONDecoder().decode(EvaluationResults.self, from: report.resultsJSON(pretty: true))
        #expect(decoded == report.results)
        #expect(decoded.modes.map(\.isDefault) == [false, true])
        #expect(decoded.modes[1].params["k"] == .number(60) && decoded.modes[1].params["weights"] == .numbers([1, 1]))
        #expect(decoded.modes[1].metrics.count == Metric.allCases.count)
        #expect(decoded.sweeps.first?.points.map(\.label) == ["10", "60"])
        #expect(decoded.tests.first?.metric == .mrr10)
        let unknown = Data(#"{"metric": "recall@7", "mode": "x", "baseline": "y", "difference": 0, "p": 1, "method": "m", "trials": 1}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(EvaluationResults.Test.self, from: unknown) }
    }

    @Test func perQueryLinesAreJSONEvenForOddIDs() throws {
        let ids = ["질문 \"따옴표\"", "back\\slash\ttab", "우니 이쿠라동"]
        let qrels = Dictionary(uniqueKeysWithValues: ids.map { ($0, ["d1": 1]) })
        let run = Dictionary(uniqueKeysWithValues: ids.map { ($0, [ScoredDocument(id: "d1", score: 1)]) })
        let report = EvaluationReport(corpus: "c", modes: [ModeResult.evaluate(mode: "dense", run: run, qrels: qrels, queryIDs: ids)])
        let lines = report.perQueryJSONLines().split(separator: "\n")
        #expect(lines.count == 3)
        for (line, id) in zip(lines, ids) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["query"] as? String == id)
            #expect(object["mrr@10"] as? Double == 1)
        }
    }

    @Test func tableMarksTheDefaultMode() {
        let lines = sampleReport().table().split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("mode"))
        #expect(lines[2].hasPrefix("hybrid-rrf (default)"))
        #expect(lines[2].contains("k=60 weights=[1,1]"))
    }

    @Test func filesAreWrittenAndSVGIsWellFormed() throws {
        let directory = SharedData.temporaryDirectory("kohybrid-report")
        defer { try? FileManager.default.removeItem(at: directory) }
        try sampleReport().write(to: directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["per-query.jsonl", "recall.svg", "report.md", "results.json", "sweep-rrf-k.svg"])
        for svg in ["recall.svg", "sweep-rrf-k.svg"] {
            let parser = XMLParser(data: try Data(contentsOf: directory.appendingPathComponent(svg)))
            #expect(parser.parse(), "\(svg) is not well-formed XML")
        }
        let recall = try String(contentsOf: directory.appendingPathComponent("recall.svg"), encoding: .utf8)
        #expect(recall.components(separatedBy: "<polyline").count - 1 == 2)   // one curve per mode
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| **hybrid-rrf** (default) |"))
        let perQuery = try String(contentsOf: directory.appendingPathComponent("per-query.jsonl"), encoding: .utf8)
        #expect(perQuery.split(separator: "\n").count == 6)   // 3 queries x 2 modes
    }
}
