import KoHybridFusion

/// A way of searching that `kohybrid eval` measures: dense only, sparse (BM25) only, or both
/// fused by one `Fusion` method with its parameters.
///
/// ```swift
/// let modes = SearchMode.standard()      // dense, sparse, hybrid-rrf, hybrid-rsf, hybrid-dbsf
/// let chosen = try SearchMode.select(["dense", "hybrid-dbsf"], from: modes)
/// ```
public struct SearchMode: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case dense
        case sparse
        case hybrid(Fusion)
    }

    /// `dense`, `sparse` or `hybrid-<fusion>`.
    public var name: String
    public var kind: Kind
    /// True for the mode `kohybrid search` uses (`Fusion.hybridDefault`).
    public var isDefault: Bool
    /// Candidates each retriever contributes to a fusion.
    public var candidateDepth: Int

    public init(name: String, kind: Kind, isDefault: Bool = false, candidateDepth: Int = Fusion.defaultCandidateDepth) {
        self.name = name; self.kind = kind; self.isDefault = isDefault; self.candidateDepth = candidateDepth
    }

    /// The parameters reported beside the mode.
    public var params: [String: ParameterValue] {
        switch kind {
        case .dense, .sparse:
            return [:]
        case let .hybrid(fusion):
            var params: [String: ParameterValue] = ["weights": .numbers(SearchMode.weights(fusion)), "depth": .number(Double(candidateDepth))]
            if case let .reciprocalRank(k, _) = fusion { params["k"] = .number(k) }
            if case .relativeScore = fusion { params["alpha"] = .number(SearchMode.weights(fusion)[0]) }
            return params
        }
    }

    /// The two list weights (dense, sparse) a fusion applies; empty means 1 each.
    static func weights(_ fusion: Fusion) -> [Double] {
        let w = fusion.weights
        return [w.count > 0 ? w[0] : 1, w.count > 1 ? w[1] : 1]
    }

    /// Each fusion method at its textbook setting: RRF with k = 60 and equal weights (Cormack et al.
    /// 2009), relative score fusion with alpha = 0.5, DBSF with equal weights.
    public static let standardFusions: [Fusion] = [
        .reciprocalRank(k: 60, weights: [1, 1]),
        .relativeScore(alpha: 0.5),
        .distributionBased(weights: [1, 1]),
    ]

    /// dense, sparse, one hybrid mode per standard fusion, and the default hybrid
    /// (`Fusion.hybridDefault`, marked `isDefault`; named `hybrid-<method>-default` when it is not
    /// one of the standard settings).
    public static func standard(defaultFusion: Fusion = Fusion.hybridDefault) -> [SearchMode] {
        var modes = [SearchMode(name: "dense", kind: .dense), SearchMode(name: "sparse", kind: .sparse)]
        var defaultListed = false
        for fusion in standardFusions {
            let isDefault = SearchMode.sameSetting(fusion, defaultFusion)
            defaultListed = defaultListed || isDefault
            modes.append(SearchMode(name: "hybrid-\(fusion.name)", kind: .hybrid(fusion), isDefault: isDefault))
        }
        if !defaultListed {
            modes.append(SearchMode(name: "hybrid-\(defaultFusion.name)-default", kind: .hybrid(defaultFusion), isDefault: true))
        }
        return modes
    }

    /// Equal settings, counting missing weights as 1.
    static func sameSetting(_ a: Fusion, _ b: Fusion) -> Bool {
        guard a.name == b.name, weights(a) == weights(b) else { return false }
        if case let .reciprocalRank(ka, _) = a, case let .reciprocalRank(kb, _) = b { return ka == kb }
        return true
    }

    /// The modes named in `names`, in that order; an unknown name is an error listing the known ones.
    public static func select(_ names: [String], from modes: [SearchMode]) throws(EvaluationError) -> [SearchMode] {
        try names.map { name throws(EvaluationError) in
            guard let mode = modes.first(where: { $0.name == name }) else {
                throw .unknownMode(name, known: modes.map(\.name))
            }
            return mode
        }
    }
}
