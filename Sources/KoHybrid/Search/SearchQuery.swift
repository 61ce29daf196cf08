import KoHybridFusion

/// What to search for: text (BM25), a vector (dense), or both (hybrid, fused).
///
/// ```swift
/// var query = SearchQuery(text: "강남 오마카세 런치", vector: embedding, k: 5)
/// query.filter = try Filter(json: #"{"price": {"$lte": 150000}}"#)
/// query.mode = .hybrid(.reciprocalRank(k: 60, weights: [.dense: 1, .sparse: 0.5]))
/// ```
public struct SearchQuery: Sendable {
    /// Query text for BM25 (analyzed with the collection's analyzer).
    public var text: String?
    /// Query vector for the dense index (the collection's dimension).
    public var vector: [Float]?
    /// How many hits to return.
    public var k: Int
    /// A metadata filter (Chroma `where`).
    public var filter: Filter?
    /// A document filter (Chroma `where_document`).
    public var documentFilter: DocumentFilter?
    public var mode: SearchMode
    /// Candidates each retriever contributes to a fusion; nil: `Fusion.defaultCandidateDepth`,
    /// or `k` when that is more. A depth below `k` can return fewer than `k` hits.
    public var candidateDepth: Int?
    /// Overrides the collection's HNSW `efSearch` for this query.
    public var efSearch: Int?

    public init(text: String? = nil, vector: [Float]? = nil, k: Int = 10, filter: Filter? = nil,
                documentFilter: DocumentFilter? = nil, mode: SearchMode = .hybrid(.hybridDefault),
                candidateDepth: Int? = nil, efSearch: Int? = nil) {
        self.text = text
        self.vector = vector
        self.k = k
        self.filter = filter
        self.documentFilter = documentFilter
        self.mode = mode
        self.candidateDepth = candidateDepth
        self.efSearch = efSearch
    }

    /// The candidate depth a fusion of this query uses (see `candidateDepth`).
    public var resolvedCandidateDepth: Int { candidateDepth ?? max(Fusion.defaultCandidateDepth, k) }
}

/// Which retrievers a search runs.
public enum SearchMode: Sendable, Hashable {
    /// Vector search only.
    case dense
    /// BM25 only.
    case sparse
    /// Both, fused. A query with only text or only a vector runs the one retriever it can.
    case hybrid(Fusion)

    /// Parses `dense`, `sparse`, `hybrid` (default fusion), `adaptive`, `rsf-0.3` (the previous
    /// default, `Fusion.previousDefault`), `rrf`, `rsf` or `dbsf`.
    public init?(name: String) {
        switch name {
        case "dense": self = .dense
        case "sparse", "bm25": self = .sparse
        case "hybrid": self = .hybrid(.hybridDefault)
        case "adaptive": self = .hybrid(.adaptiveRelativeScore)
        case "rsf-0.3": self = .hybrid(.previousDefault)
        case "rrf": self = .hybrid(.reciprocalRank())
        case "rsf": self = .hybrid(.relativeScore())
        case "dbsf": self = .hybrid(.distributionBased())
        default: return nil
        }
    }

    /// The names `init(name:)` accepts, for help texts and errors.
    public static let names = ["dense", "sparse", "hybrid", "adaptive", "rsf-0.3", "rrf", "rsf", "dbsf"]
}

/// One search result, with why it ranked where it did.
public struct SearchHit: Sendable, Hashable {
    public var id: String
    public var document: String?
    public var metadata: Metadata
    /// The fused score (in `.dense` / `.sparse` mode, that retriever's score). Higher is better.
    public var score: Double
    /// The dense retriever's rank and score, when it returned this record.
    public var dense: RetrieverScore?
    /// BM25's rank and score, when it returned this record.
    public var sparse: RetrieverScore?
    /// The weights the fusion gave each retriever's list for this query (the same on every hit
    /// of one search; `nil` when only one retriever ran). `Fusion.hybridDefault` chooses them
    /// per query.
    public var weights: RetrieverWeights?

    public init(id: String, document: String? = nil, metadata: Metadata = [:], score: Double,
                dense: RetrieverScore? = nil, sparse: RetrieverScore? = nil, weights: RetrieverWeights? = nil) {
        self.id = id; self.document = document; self.metadata = metadata; self.score = score
        self.dense = dense; self.sparse = sparse; self.weights = weights
    }
}

/// A record's place in one retriever's list.
public struct RetrieverScore: Sendable, Hashable {
    /// 1-based rank in that retriever's candidates.
    public var rank: Int
    /// The retriever's own score: BM25 score, or for dense `1 - distance` (cosine and inner
    /// product: the similarity) or `-distance` (squared L2).
    public var score: Double

    public init(rank: Int, score: Double) { self.rank = rank; self.score = score }
}
