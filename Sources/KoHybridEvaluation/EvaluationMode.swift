import KoHybridFusion

/// A way of searching that `kohybrid eval` measures: dense only, sparse (BM25) only, or both
/// fused by one `Fusion` method with its parameters.
///
/// ```swift
/// let modes = EvaluationMode.standard()   // dense, sparse, hybrid-rrf, -rsf, -dbsf, -rsf-0.3, -adaptive (default)
/// let chosen = try EvaluationMode.select(["dense", "hybrid-dbsf"], from: modes)
/// ```
public struct EvaluationMode: Sendable, Hashable {
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
            var params: [String: ParameterValue] = ["depth": .number(Double(candidateDepth))]
            if case .adaptiveRelativeScore = fusion {
                params["weights"] = .text("per-query")
                return params
            }
            params["weights"] = .numbers(EvaluationMode.weights(fusion))
            if case let .reciprocalRank(k, _) = fusion { params["k"] = .number(k) }
            if case .relativeScore = fusion { params["alpha"] = .number(EvaluationMode.weights(fusion)[0]) }
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

    /// The name of the mode that measures `Fusion.previousDefault` (RSF alpha 0.3).
    public static let previousDefaultName = "hybrid-rsf-0.3"

    /// dense, sparse, one hybrid mode per fixed fusion method at its textbook setting, the
    /// previous default (`hybrid-rsf-0.3`), and the default hybrid (`Fusion.hybridDefault`,
    /// marked `isDefault`; it takes the place of its method's textbook mode when it is one of them).
    public static func standard(defaultFusion: Fusion = Fusion.hybridDefault) -> [EvaluationMode] {
        var modes = [EvaluationMode(name: "dense", kind: .dense), EvaluationMode(name: "sparse", kind: .sparse)]
        var placed = false
        for fusion in standardFusions {
            let isDefault = fusion.name == defaultFusion.name
            placed = placed || isDefault
            modes.append(EvaluationMode(name: "hybrid-\(fusion.name)", kind: .hybrid(isDefault ? defaultFusion : fusion), isDefault: isDefault))
        }
        if defaultFusion != Fusion.previousDefault {
            modes.append(EvaluationMode(name: previousDefaultName, kind: .hybrid(Fusion.previousDefault)))
        }
        if !placed {
            modes.append(EvaluationMode(name: "hybrid-\(defaultFusion.name)", kind: .hybrid(defaultFusion), isDefault: true))
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
