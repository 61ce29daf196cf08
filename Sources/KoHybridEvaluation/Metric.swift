/// The measures `kohybrid eval` reports, each defined exactly as trec_eval computes it
/// (relevant means a qrels grade of at least 1, as with trec_eval's default relevance level).
///
/// | name | trec_eval measure |
/// |---|---|
/// | `recall@k` | `recall.k`: relevant documents in the first k / all relevant documents |
/// | `ndcg@10` | `ndcg_cut.10`: gain = the qrels grade, discount log2(rank + 1), ideal from the qrels |
/// | `mrr@10` | `recip_rank` over the run truncated at 10 hits |
/// | `map@100` | `map` over the run truncated at 100 hits |
public enum Metric: String, Sendable, CaseIterable, Hashable, Comparable {
    case recall1 = "recall@1"
    case recall5 = "recall@5"
    case recall10 = "recall@10"
    case recall20 = "recall@20"
    case recall100 = "recall@100"
    case ndcg10 = "ndcg@10"
    case mrr10 = "mrr@10"
    case map100 = "map@100"

    /// The name used in JSON, tables and reports, e.g. `"recall@10"`.
    public var name: String { rawValue }

    /// The cut-off for the recall measures (`nil` for the others).
    public var recallDepth: Int? {
        switch self {
        case .recall1: 1
        case .recall5: 5
        case .recall10: 10
        case .recall20: 20
        case .recall100: 100
        default: nil
        }
    }

    /// The recall measures, in increasing depth: the points of a recall@k curve.
    public static let recallCurve: [Metric] = [.recall1, .recall5, .recall10, .recall20, .recall100]

    /// How many hits per query a run needs for every measure to be exact.
    public static let requiredDepth = 100

    private var order: Int { Metric.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Metric, b: Metric) -> Bool { a.order < b.order }
}
