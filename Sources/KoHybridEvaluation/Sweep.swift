import Foundation

/// The parameters `kohybrid eval --sweep` can vary. Each sweep measures one mode at several
/// values; it reports and never changes the defaults.
public enum Sweep: String, Sendable, CaseIterable {
    /// RRF's k (hybrid-rrf).
    case rrfK = "rrf-k"
    /// The dense share w of the weights [w, 1 - w] of RRF and of DBSF (two sweeps).
    case weights
    /// Relative score fusion's alpha on the dense list (hybrid-rsf).
    case alpha
    /// BM25 k1 and b (sparse).
    case bm25
    /// Analyzer presets (sparse).
    case analyzer
    /// HNSW efSearch (dense, over an HNSW graph instead of the exact index).
    case ef
    /// Candidates per retriever before fusion (the default hybrid).
    case depth

    /// Parses `rrf-k,weights,...`; an unknown name is an error listing the known ones.
    public static func parse(_ list: String) throws(EvaluationError) -> [Sweep] {
        try list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { name throws(EvaluationError) in
                guard let sweep = Sweep(rawValue: name) else { throw .invalidSweep(name, known: allCases.map(\.rawValue)) }
                return sweep
            }
    }
}
