/// How the ranked lists of several retrievers are combined into one.
///
/// - ``reciprocalRank(k:weights:)``: reciprocal rank fusion, `Σ wᵢ / (k + rankᵢ)` (Cormack, Clarke &
///   Büttcher 2009). Uses ranks only, so it is immune to score scales but blind to how confident
///   a retriever is.
/// - ``relativeScore(weights:)``: each list's scores min-max normalised to [0, 1], then a weighted
///   sum (Weaviate's "relativeScoreFusion"; weights `[.dense: α, .sparse: 1-α]`).
/// - ``distributionBased(weights:)``: each list's scores normalised by mean ± 3 standard
///   deviations, then a weighted sum (Qdrant's DBSF). Less sensitive than min-max to one
///   outlying score at the top or bottom of a list.
/// - ``adaptiveRelativeScore``: min-max normalisation as ``relativeScore(weights:)``, with each
///   list's weight chosen per query from its own score distribution (``cliff(of:)`` as a share of
///   the lists' sum). ``hybridDefault``; ``previousDefault`` is the fixed RSF alpha 0.3 it replaced.
///
/// A key missing from a list contributes nothing from that list. Ties in the fused score are
/// broken by the best rank any list gave the key, then by key, so results are deterministic.
///
/// ```swift
/// let hits = Fusion.hybridDefault.fuse([denseList, sparseList], limit: 10)
/// print(hits[0].key, hits[0].score, hits[0].contribution(.sparse)?.rank, hits[0].weights[.dense])
/// ```
public enum Fusion: Sendable, Hashable, Codable {
    case reciprocalRank(k: Double = 60, weights: RetrieverWeights = [:])
    case relativeScore(weights: RetrieverWeights = [:])
    case distributionBased(weights: RetrieverWeights = [:])
    case adaptiveRelativeScore

    /// Relative score fusion with `alpha` on dense and `1 - alpha` on sparse.
    public static func relativeScore(alpha: Double) -> Fusion {
        .relativeScore(weights: [.dense: alpha, .sparse: 1 - alpha])
    }

    /// Fixed weights per retriever; a retriever without one weighs 1. Empty for
    /// ``adaptiveRelativeScore``, whose weights are chosen per query (``weights(for:)``).
    public var weights: RetrieverWeights {
        switch self {
        case let .reciprocalRank(_, w), let .relativeScore(w), let .distributionBased(w): return w
        case .adaptiveRelativeScore: return [:]
        }
    }

    /// A short stable name: `rrf`, `rsf`, `dbsf`, `adaptive`.
    public var name: String {
        switch self {
        case .reciprocalRank: return "rrf"
        case .relativeScore: return "rsf"
        case .distributionBased: return "dbsf"
        case .adaptiveRelativeScore: return "adaptive"
        }
    }

    /// The same method with other fixed weights (``adaptiveRelativeScore`` becomes
    /// ``relativeScore(weights:)``, its fixed-weight form).
    public func with(weights: RetrieverWeights) -> Fusion {
        switch self {
        case let .reciprocalRank(k, _): .reciprocalRank(k: k, weights: weights)
        case .relativeScore, .adaptiveRelativeScore: .relativeScore(weights: weights)
        case .distributionBased: .distributionBased(weights: weights)
        }
    }

    /// The weight each retriever's list gets for this query: the fixed weight (1 where none is
    /// given), or for ``adaptiveRelativeScore`` each list's ``cliff(of:)`` as a share of their
    /// sum (equal shares when no list has any).
    @inlinable
    public func weights<Key>(for lists: [RankedList<Key>]) -> RetrieverWeights {
        Dictionary(zip(lists.map(\.retriever), listWeights(for: lists)), uniquingKeysWith: { a, _ in a })
    }

    /// ``weights(for:)`` in list order.
    @inlinable
    func listWeights<Key>(for lists: [RankedList<Key>]) -> [Double] {
        guard case .adaptiveRelativeScore = self else {
            let fixed = weights
            return lists.map { fixed[$0.retriever] ?? 1 }
        }
        let evidence = lists.map(Fusion.cliff(of:))
        let total = evidence.reduce(0, +)
        guard total > 0 else { return lists.map { _ in 1 / Double(max(lists.count, 1)) } }
        return evidence.map { $0 / total }
    }

    /// Fuses `lists` and returns the best `limit` hits (all of them when `limit` is nil). Each
    /// hit's contributions say, per list, its rank, raw score, the weight that list got for this
    /// query and what it added to the fused score.
    @inlinable
    public func fuse<Key>(_ lists: [RankedList<Key>], limit: Int? = nil) -> [FusedHit<Key>] {
        let weights = listWeights(for: lists)
        // Plain parallel arrays per distinct key (first-seen order) and an index sort: the
        // FusedHit values, with their strings and arrays, are built only for the hits returned.
        let capacity = lists.reduce(0) { $0 + $1.entries.count }
        var slot: [Key: Int] = [:]
        slot.reserveCapacity(capacity)
        var keys: [Key] = [], fused: [Double] = [], bestRank: [Int] = []
        keys.reserveCapacity(capacity); fused.reserveCapacity(capacity); bestRank.reserveCapacity(capacity)
        // position[list][slot]: 0-based position in that list, -1 when absent.
        var position: [[Int]] = []
        var parts: [[Double]] = []
        for (listIndex, list) in lists.enumerated() {
            let normalized = normalizedContributions(list)
            parts.append(normalized)
            var seen = [Int](repeating: -1, count: keys.count)
            seen.reserveCapacity(capacity)
            for (place, entry) in list.entries.enumerated() {
                let index: Int
                if let existing = slot[entry.key] {
                    index = existing
                } else {
                    index = keys.count
                    slot[entry.key] = index
                    keys.append(entry.key); fused.append(0); bestRank.append(place + 1)
                    for i in position.indices { position[i].append(-1) }
                    seen.append(-1)
                }
                guard seen[index] < 0 else { continue }   // a key twice in one list counts once
                seen[index] = place
                fused[index] += weights[listIndex] * normalized[place]
                bestRank[index] = min(bestRank[index], place + 1)
            }
            position.append(seen)
        }
        var order = Array(keys.indices)
        order.sort { a, b in
            if fused[a] != fused[b] { return fused[a] > fused[b] }
            if bestRank[a] != bestRank[b] { return bestRank[a] < bestRank[b] }
            return keys[a] < keys[b]
        }
        let count = min(order.count, max(0, limit ?? order.count))
        return order.prefix(count).map { index in
            FusedHit(key: keys[index], score: fused[index], contributions: lists.indices.map { listIndex in
                let place = position[listIndex][index]
                guard place >= 0 else {
                    return .init(retriever: lists[listIndex].retriever, rank: nil, score: nil, weight: weights[listIndex], fusedPart: 0)
                }
                return .init(retriever: lists[listIndex].retriever, rank: place + 1, score: lists[listIndex].entries[place].score,
                             weight: weights[listIndex], fusedPart: weights[listIndex] * parts[listIndex][place])
            })
        }
    }

    /// Each entry's unweighted share of the fused score, in list order.
    @inlinable
    func normalizedContributions<Key>(_ list: RankedList<Key>) -> [Double] {
        let scores = list.entries.map(\.score)
        switch self {
        case let .reciprocalRank(k, _):
            return scores.indices.map { 1 / (k + Double($0 + 1)) }
        case .relativeScore, .adaptiveRelativeScore:
            guard let low = scores.min(), let high = scores.max() else { return [] }
            // A list whose scores are all equal carries no ordering information: give each 1,
            // as a single-item list's only hit is its best.
            guard high > low else { return scores.map { _ in 1 } }
            return scores.map { ($0 - low) / (high - low) }
        case .distributionBased:
            guard !scores.isEmpty else { return [] }
            let mean = scores.reduce(0, +) / Double(scores.count)
            let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)
            let deviation = variance.squareRoot()
            guard deviation > 0 else { return scores.map { _ in 1 } }
            let low = mean - 3 * deviation, high = mean + 3 * deviation
            return scores.map { ($0 - low) / (high - low) }
        }
    }
}

extension Fusion: CustomStringConvertible {
    /// The fusion as Swift source: `.relativeScore(weights: [.dense: 0.4, .sparse: 0.6])`, what a user pins.
    public var description: String {
        func list(_ values: RetrieverWeights) -> String {
            values.isEmpty ? "[:]" : "[" + values.sorted { $0.key < $1.key }.map { ".\($0.key.rawValue): \(Fusion.short($0.value))" }.joined(separator: ", ") + "]"
        }
        switch self {
        case let .reciprocalRank(k, w): return ".reciprocalRank(k: \(Fusion.short(k)), weights: \(list(w)))"
        case let .relativeScore(w): return ".relativeScore(weights: \(list(w)))"
        case let .distributionBased(w): return ".distributionBased(weights: \(list(w)))"
        case .adaptiveRelativeScore: return ".adaptiveRelativeScore"
        }
    }

    /// `0.3` for 0.30000000000000004, `60` for 60.0: nine decimals at most, trailing zeros dropped.
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let rounded = (value * 1e9).rounded() / 1e9
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return "\(rounded)"
    }
}
