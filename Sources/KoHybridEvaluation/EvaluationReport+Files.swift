import Foundation
import KoHybridFiles

extension EvaluationReport {
    /// The Markdown report: the table with differences and p-values against the baseline, the
    /// charts, sweeps, and notes.
    public func markdown() -> String {
        var out = "# Retrieval evaluation: \(corpus)\n\n"
        out += "\(queryCount) judged queries. Measures are trec_eval's (recall.k, ndcg_cut.10, recip_rank over the "
        out += "top 10, map over the top 100); ties in score are broken as trec_eval breaks them.\n\n"
        if !notes.isEmpty {
            for (key, value) in notes { out += "- \(key): \(value)\n" }
            out += "\n"
        }
        let metrics = EvaluationReport.tableMetrics
        out += "| mode | " + metrics.map(\.name).joined(separator: " | ") + " | params |\n"
        out += "|---|" + metrics.map { _ in "---:|" }.joined() + "---|\n"
        for mode in modes {
            let name = mode.isDefault ? "**\(mode.mode)** (default)" : mode.mode
            let cells = metrics.map { metric -> String in
                let value = String(format: "%.4f", mode.mean[metric])
                guard let test = test(mode.mode, metric), test.pValue < 0.05 else { return value }
                return value + "*"
            }
            out += "| \(name) | " + cells.joined(separator: " | ") + " | \(mode.params.summary) |\n"
        }
        out += "\n`*`: differs from `\(baseline)` with p < 0.05 (two-sided paired randomization test).\n\n"
        if !tests.isEmpty {
            out += "## Paired tests\n\n| mode | against | measure | difference | p |\n|---|---|---|---:|---:|\n"
            for test in tests {
                out += "| \(test.mode) | \(test.baseline) | \(test.metric.name) | \(String(format: "%+.4f", test.difference)) | \(String(format: "%.4f", test.pValue)) |\n"
            }
            if let trials = tests.first?.trials {
                out += "\nPaired randomization test (Smucker et al. 2007), \(trials) trials, fixed seed.\n\n"
            }
        }
        out += "## Recall at depth\n\n![recall@k per mode](recall.svg)\n\n"
        for sweep in sweeps {
            out += "## Sweep: \(sweep.name) (\(sweep.mode))\n\n![\(sweep.name)](sweep-\(sweep.name).svg)\n\n"
            out += "| \(sweep.name) | recall@10 | mrr@10 | ndcg@10 |\n|---|---:|---:|---:|\n"
            for point in sweep.points {
                out += "| \(point.label) | " + [Metric.recall10, .mrr10, .ndcg10].map { String(format: "%.4f", point.mean[$0]) }.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        if let advice = recommendation {
            out += "## Recommendation\n\n\(advice.summary)\n"
        }
        return out
    }

    /// The recall@k curve of every mode.
    public func recallChart() -> SVGLineChart {
        SVGLineChart(title: "\(corpus): recall@k per mode", xTitle: "k", yTitle: "recall",
                     xLabels: Metric.recallCurve.compactMap { $0.recallDepth.map(String.init) },
                     series: modes.map { mode in .init(name: mode.mode, values: Metric.recallCurve.map { mode.mean[$0] }) })
    }

    /// recall@10, MRR@10 and nDCG@10 along one sweep.
    public func sweepChart(_ sweep: SweepResult) -> SVGLineChart {
        SVGLineChart(title: "\(corpus): \(sweep.name) sweep (\(sweep.mode))", xTitle: sweep.name, yTitle: "score",
                     xLabels: sweep.points.map(\.label),
                     series: [Metric.recall10, .mrr10, .ndcg10].map { metric in
                         .init(name: metric.name, values: sweep.points.map { $0.mean[metric] })
                     })
    }

    /// Writes `report.md`, `results.json`, `per-query.jsonl`, `recall.svg` and one
    /// `sweep-<name>.svg` per sweep into `directory` (created when missing).
    public func write(to directory: URL) throws(EvaluationError) {
        var files: [(String, String)] = [
            ("report.md", markdown()),
            ("per-query.jsonl", perQueryJSONLines()),
            ("recall.svg", recallChart().svg()),
        ]
        do {
            files.append(("results.json", String(decoding: try resultsJSON(pretty: true), as: UTF8.self) + "\n"))
        } catch {
            throw .cannotWrite(path: directory.appendingPathComponent("results.json").path, reason: "\(error)")
        }
        for sweep in sweeps { files.append(("sweep-\(sweep.name).svg", sweepChart(sweep).svg())) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: directory.path, reason: FileSystemErrorText.describe(error))
        }
        for (name, body) in files {
            let url = directory.appendingPathComponent(name)
            do { try Data(body.utf8).write(to: url, options: .atomic) } catch {
                throw .cannotWrite(path: url.path, reason: FileSystemErrorText.describe(error))
            }
        }
    }
}
