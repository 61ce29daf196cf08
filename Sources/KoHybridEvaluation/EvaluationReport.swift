import Foundation
import KoHybrid

/// Everything one `kohybrid eval` run measured: per-mode metrics, paired tests against the
/// baseline (dense-only), and sweeps. Renders as a terminal table, JSON, Markdown and SVG.
///
/// ```swift
/// let report = EvaluationReport(corpus: "shops", modes: modes, tests: tests, sweeps: [])
/// print(report.table())
/// try report.write(to: URL(fileURLWithPath: "Evaluation/shops"))
/// ```
public struct EvaluationReport: Sendable {
    public var corpus: String
    public var modes: [ModeResult]
    public var tests: [SignificanceResult]
    public var sweeps: [SweepResult]
    /// The mode every other is tested against.
    public var baseline: String
    /// Free-form facts shown in the report (documents, dimension, timings...).
    public var notes: [(String, String)]
    /// The best fixed setting the fusion sweeps found, against the default (shown last).
    public var recommendation: SweepRecommendation?

    public init(corpus: String, modes: [ModeResult], tests: [SignificanceResult] = [], sweeps: [SweepResult] = [],
                baseline: String = "dense", notes: [(String, String)] = [], recommendation: SweepRecommendation? = nil) {
        self.corpus = corpus; self.modes = modes; self.tests = tests; self.sweeps = sweeps
        self.baseline = baseline; self.notes = notes; self.recommendation = recommendation
    }

    /// Number of queries evaluated (those with at least one relevant document).
    public var queryCount: Int { modes.first?.queryIDs.count ?? 0 }

    /// Measures shown in the terminal table, in this order.
    public static let tableMetrics: [Metric] = [.recall1, .recall5, .recall10, .recall20, .recall100, .mrr10, .ndcg10, .map100]

    /// The paired test of `mode` against the baseline on `metric`, when one was run.
    public func test(_ mode: String, _ metric: Metric) -> SignificanceResult? {
        tests.first { $0.mode == mode && $0.metric == metric && $0.baseline == baseline }
    }
}

// MARK: - JSON

extension EvaluationReport {
    /// Per-query measures of every mode, as JSON lines (`{"query", "mode", "<metric>"...}`).
    /// Written by hand: JSONSerialization per row was a seventh of a 5,000-query evaluation.
    public func perQueryJSONLines() -> String {
        var out = ""
        for mode in modes {
            let modeField = "\"mode\":" + EvaluationReport.jsonString(mode.mode)
            for (qid, row) in zip(mode.queryIDs, mode.perQuery) {
                out += "{\"query\":" + EvaluationReport.jsonString(qid) + "," + modeField
                for metric in Metric.allCases {
                    out += ",\"\(metric.name)\":\(EvaluationReport.rounded(row[metric]))"
                }
                out += "}\n"
            }
        }
        return out
    }

    /// A JSON string literal (RFC 8259 escapes).
    static func jsonString(_ text: String) -> String {
        var out = ""
        JSONValue.writeString(text, to: &out)
        return out
    }

    /// Six decimals (metric means are exact to far less than that; this keeps JSON readable).
    static func rounded(_ value: Double) -> Double { (value * 1e6).rounded() / 1e6 }
}

// MARK: - Text

extension EvaluationReport {
    /// The terminal table: one row per mode, metrics as columns, `*` after a value that differs
    /// from the baseline with p < 0.05, and the default mode marked.
    public func table() -> String {
        let header = ["mode"] + EvaluationReport.tableMetrics.map(\.name) + ["params"]
        var rows: [[String]] = [header]
        for mode in modes {
            var row = [mode.mode + (mode.isDefault ? " (default)" : "")]
            for metric in EvaluationReport.tableMetrics {
                let star = test(mode.mode, metric).map { $0.pValue < 0.05 ? "*" : " " } ?? " "
                row.append(String(format: "%.4f", mode.mean[metric]) + star)
            }
            row.append(mode.params.summary)
            rows.append(row)
        }
        return EvaluationReport.align(rows, rightAligned: Set(1...EvaluationReport.tableMetrics.count))
    }

    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
