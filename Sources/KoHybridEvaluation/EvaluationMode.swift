import KoHybrid
import KoHybridFusion

/// A way of searching that `kohybrid eval` measures: dense only, sparse (BM25) only, or both
/// fused by one `Fusion` method with its parameters.
///
/// ```swift
/// let modes = EvaluationMode.standard()   // dense, sparse, hybrid-rrf, -rsf, -dbsf, -rsf-0.3, -adaptive (default)
/// let chosen = try EvaluationMode.select(["dense", "hybrid-dbsf"], from: modes)
/// ```
public struct EvaluationMode: Sendable, Hashable {
    /// `dense`, `sparse` or `hybrid-<fusion>`.
    public var name: String
    /// The store's search mode this measures.
    public var search: SearchMode
    /// True for the mode `kohybrid search` uses (`Fusion.hybridDefault`).
    public var isDefault: Bool
    /// Candidates each retriever contributes to a fusion.
    public var candidateDepth: Int

    public init(name: String, search: SearchMode, isDefault: Bool = false, candidateDepth: Int = Fusion.defaultCandidateDepth) {
        self.name = name; self.search = search; self.isDefault = isDefault; self.candidateDepth = candidateDepth
    }

    /// The search an application sends in this mode for a judged query: dense sends only the
    /// vector, sparse only the text, hybrid both, with this mode's candidate depth.
    public func query(text: String, vector: [Float]?, k: Int) -> SearchQuery {
        var query = SearchQuery(text: text, vector: vector, k: k, mode: search, candidateDepth: candidateDepth)
        if case .dense = search { query.text = nil }
        if case .sparse = search { query.vector = nil }
        return query
    }

    /// The parameters reported beside the mode.
    public var params: [String: ParameterValue] {
        switch search {
        case .dense, .sparse:
            return [:]
        case let .hybrid(fusion):
            var params: [String: ParameterValue] = ["depth": .number(Double(candidateDepth))]
            if case .adaptiveRelativeScore = fusion {
                params["weights"] = .text("per-query")
                return params
            }
            let weights = Retriever.allCases.map { fusion.weights[$0] ?? 1 }
            params["weights"] = .numbers(weights)
            if case let .reciprocalRank(k, _) = fusion { params["k"] = .number(k) }
            if case .relativeScore = fusion { params["alpha"] = .number(weights[0]) }
            return params
        }
    }

    /// Each fusion method at its textbook setting: RRF with k = 60 and equal weights (Cormack et al.
    /// 2009), relative score fusion with alpha = 0.5, DBSF with equal weights.
    public static let standardFusions: [Fusion] = [
        .reciprocalRank(k: 60, weights: [.dense: 1, .sparse: 1]),
        .relativeScore(alpha: 0.5),
        .distributionBased(weights: [.dense: 1, .sparse: 1]),
    ]

    /// The name of the mode that measures `Fusion.previousDefault` (RSF alpha 0.3).
    public static let previousDefaultName = "hybrid-rsf-0.3"

    /// dense, sparse, one hybrid mode per fixed fusion method at its textbook setting, the
    /// previous default (`hybrid-rsf-0.3`), and the default hybrid (`Fusion.hybridDefault`,
    /// marked `isDefault`; it takes the place of its method's textbook mode when it is one of them).
    public static func standard(defaultFusion: Fusion = Fusion.hybridDefault) -> [EvaluationMode] {
        var modes = [EvaluationMode(name: "dense", search: .dense), EvaluationMode(name: "sparse", search: .sparse)]
        var placed = false
        for fusion in standardFusions {
            let isDefault = fusion.name == defaultFusion.name
            placed = placed || isDefault
            modes.append(EvaluationMode(name: "hybrid-\(fusion.name)", search: .hybrid(isDefault ? defaultFusion : fusion), isDefault: isDefault))
        }
        if defaultFusion != Fusion.previousDefault {
            modes.append(EvaluationMode(name: previousDefaultName, search: .hybrid(Fusion.previousDefault)))
        }
        if !placed {
            modes.append(EvaluationMode(name: "hybrid-\(defaultFusion.name)", search: .hybrid(defaultFusion), isDefault: true))
        }
        return modes
    }

    /// The modes named in `names`, in that order; an unknown name is an error listing the known ones.
    public static func select(_ names: [String], from modes: [EvaluationMode]) throws(EvaluationError) -> [EvaluationMode] {
        try names.map { name throws(EvaluationError) in
            guard let mode = modes.first(where: { $0.name == name }) else {
                throw .unknownMode(name, known: modes.map(\.name))
            }
            return mode
        }
    }
}
