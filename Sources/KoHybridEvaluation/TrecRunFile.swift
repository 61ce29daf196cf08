import Foundation
import KoHybridFiles

/// Writes and reads TREC run files: one line per hit, `qid Q0 docid rank score tag`.
///
/// Scores are written with Swift's shortest round-tripping representation, so trec_eval reads
/// back exactly the scores we ranked by (and breaks ties the same way).
///
/// ```swift
/// try TrecRunFile.write(run, tag: "dense", to: URL(fileURLWithPath: "runs/dense.trec"))
/// ```
public enum TrecRunFile {
    /// The run as TREC text: queries in `queryOrder` (or sorted by id), hits in trec_eval's order,
    /// at most `depth` hits per query.
    public static func text(_ run: [String: [ScoredDocument]], tag: String, queryOrder: [String]? = nil, depth: Int? = nil) -> String {
        var out = ""
        let ids = queryOrder ?? run.keys.sorted()
        let safeTag = tag.isEmpty ? "run" : tag.replacingOccurrences(of: " ", with: "_")
        for qid in ids {
            guard let hits = run[qid] else { continue }
            var ranked = hits.sortedLikeTrecEval()
            if let depth { ranked = Array(ranked.prefix(depth)) }
            for (rank, hit) in ranked.enumerated() {
                out += "\(qid) Q0 \(hit.id) \(rank + 1) \(hit.score) \(safeTag)\n"
            }
        }
        return out
    }

    /// Writes `text(...)` to `url`, creating its folder.
    public static func write(_ run: [String: [ScoredDocument]], tag: String, to url: URL, queryOrder: [String]? = nil, depth: Int? = nil) throws(EvaluationError) {
        let body = text(run, tag: tag, queryOrder: queryOrder, depth: depth)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(body.utf8).write(to: url, options: .atomic)
        } catch {
            throw .cannotWrite(path: url.path, reason: FileSystemErrorText.describe(error))
        }
    }

    /// Reads a TREC run file back (query id -> hits). Malformed lines are errors naming the line.
    public static func read(_ url: URL) throws(EvaluationError) -> [String: [ScoredDocument]] {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw .missingFile(path: url.path) }
        var run: [String: [ScoredDocument]] = [:]
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty { continue }
            guard fields.count == 6, let score = Double(fields[4]) else {
                throw .malformedLine(path: url.path, line: index + 1, reason: "expected \"qid Q0 docid rank score tag\"")
            }
            run[String(fields[0]), default: []].append(ScoredDocument(id: String(fields[2]), score: score))
        }
        return run
    }
}
