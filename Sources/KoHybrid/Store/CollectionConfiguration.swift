import Foundation
import KoHybridAnalysis
import KoHybridDense
import KoHybridEmbedding
import KoHybridSparse

/// How a collection is built: vector dimension and metric, the analyzer that feeds BM25, and
/// the index parameters. Fixed when the collection is created.
///
/// The analyzer is stored whole (``analyzerConfiguration``: switches, user dictionary,
/// stopwords), with the fingerprint of its rules, so it cannot drift: a release that changes a
/// preset's defaults changes only collections created afterwards. A release that changes the
/// analyzer's code (``AnalyzerConfiguration/rulesVersion``, or another ICU) gives the stored
/// configuration another fingerprint; the store then re-indexes rather than refusing to open:
/// records are the source of truth and indexes are derived from them, so snapshots built with
/// the old fingerprint are rebuilt from the records with this build's rules (documents and
/// queries agree again), and the next write records the new fingerprint. Refusing would turn
/// every analyzer fix into an outage for the processes sharing the store.
///
/// ```swift
/// let config = CollectionConfiguration(dimension: 384, metric: .cosine, analyzer: .korean,
///                                      metadata: ["category": .string("omakase")])
/// try await store.createCollection("omakase.sources", configuration: config)
/// ```
public struct CollectionConfiguration: Sendable, Hashable {
    /// Values per vector; every record's embedding must have this length (1 to
    /// ``maximumDimension``). `0` leaves it open until the first record with a vector fixes it
    /// (as Chroma does, whose collections are created before any vector is seen).
    public var dimension: Int
    /// The largest dimension a collection accepts: far above any embedding model's (3,072 for
    /// the largest common ones) and small enough that no size computed from it can overflow.
    public static let maximumDimension = 65_536
    public var metric: DistanceMetric
    /// The analyzer preset the collection's analyzer started from. Setting it resets
    /// ``analyzerConfiguration`` to the preset's; customise that afterwards.
    public var analyzer: AnalyzerPreset { didSet { analyzerConfiguration = analyzer.configuration } }
    /// The analyzer that turns documents and query text into BM25 terms, as stored: this, not
    /// the preset, is what indexes use. Collections stored before it existed have their preset's.
    public var analyzerConfiguration: AnalyzerConfiguration
    /// The fingerprint the store holds for this collection's analyzer: that of the build that
    /// last wrote the configuration (nil before fingerprints were stored, or before it is stored).
    /// It differs from `analyzerConfiguration.fingerprint` when this build's rules differ.
    public internal(set) var recordedAnalyzerFingerprint: String?
    /// BM25 parameters (Robertson & Zaragoza 2009).
    public var bm25: BM25Parameters
    /// HNSW parameters (Malkov & Yashunin 2018); small collections use an exact flat index.
    public var hnsw: HNSWParameters
    /// Free-form metadata about the collection itself.
    public var metadata: Metadata
    /// The embedder that makes this collection's vectors (never its API key): with one, a search
    /// with text and no vector embeds the text, and records upserted without vectors have their
    /// documents embedded. Collections stored before it existed have none.
    public var embedder: EmbedderConfiguration?

    /// `analyzerConfiguration` nil takes the preset's.
    public init(dimension: Int, metric: DistanceMetric = .cosine, analyzer: AnalyzerPreset = .korean,
                analyzerConfiguration: AnalyzerConfiguration? = nil,
                bm25: BM25Parameters = .init(), hnsw: HNSWParameters = .init(), metadata: Metadata = [:],
                embedder: EmbedderConfiguration? = nil) {
        self.dimension = dimension
        self.metric = metric
        self.analyzer = analyzer
        self.analyzerConfiguration = analyzerConfiguration ?? analyzer.configuration
        self.bm25 = bm25
        self.hnsw = hnsw
        self.metadata = metadata
        self.embedder = embedder
    }

    /// The fingerprint of the analyzer this build runs for the collection; snapshots carry it.
    public var analyzerFingerprint: String { analyzerConfiguration.fingerprint }

    // Equal configurations build the same collection; which build recorded one does not matter.
    public static func == (a: Self, b: Self) -> Bool {
        a.dimension == b.dimension && a.metric == b.metric && a.analyzer == b.analyzer
            && a.analyzerConfiguration == b.analyzerConfiguration && a.bm25 == b.bm25 && a.hnsw == b.hnsw
            && a.metadata == b.metadata && a.embedder == b.embedder
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dimension); hasher.combine(metric); hasher.combine(analyzer); hasher.combine(analyzerConfiguration)
        hasher.combine(bm25); hasher.combine(hnsw); hasher.combine(metadata); hasher.combine(embedder)
    }
}

/// A collection as listed by `Store.collections()`.
public struct CollectionInfo: Sendable, Hashable {
    /// The store's number for the collection: stable across renames, never reused in a store.
    public var id: Int64
    public var name: String
    public var configuration: CollectionConfiguration
    /// Live records.
    public var count: Int

    public init(id: Int64, name: String, configuration: CollectionConfiguration, count: Int) {
        self.id = id; self.name = name; self.configuration = configuration; self.count = count
    }
}

extension CollectionConfiguration {
    /// The engine settings as stored in the `configuration` column (metadata has its own).
    private struct Stored: Codable {
        var dimension: Int
        var metric: DistanceMetric
        var analyzer: AnalyzerPreset
        /// Both absent in collections stored before they were recorded: the preset's
        /// configuration of this build, no fingerprint (the next write records both).
        var analyzerConfiguration: AnalyzerConfiguration?
        var analyzerFingerprint: String?
        var bm25: BM25Parameters
        var hnsw: HNSWParameters
        /// Absent in collections stored before embedders were recorded (decoded as nil).
        var embedder: EmbedderConfiguration?
    }

    /// The configuration column, with this build's analyzer fingerprint.
    var storedJSON: String {
        let stored = Stored(dimension: dimension, metric: metric, analyzer: analyzer, analyzerConfiguration: analyzerConfiguration,
                            analyzerFingerprint: analyzerFingerprint, bm25: bm25, hnsw: hnsw, embedder: embedder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding plain Codable values of known types cannot fail.
        return (try? encoder.encode(stored)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    init(storedJSON: String, metadata: Metadata, name: String) throws(StoreError) {
        let stored: Stored
        do { stored = try JSONDecoder().decode(Stored.self, from: Data(storedJSON.utf8)) } catch {
            throw .invalidCollection(name: name, reason: "unreadable configuration: \(error)")
        }
        self.init(dimension: stored.dimension, metric: stored.metric, analyzer: stored.analyzer,
                  analyzerConfiguration: stored.analyzerConfiguration,
                  bm25: stored.bm25, hnsw: stored.hnsw, metadata: metadata, embedder: stored.embedder)
        recordedAnalyzerFingerprint = stored.analyzerFingerprint
        // A damaged or hand-edited store must fail here, not trap later in an index.
        try validate(name: name)
    }

    func validate(name: String) throws(StoreError) {
        guard dimension == 0 || (1...Self.maximumDimension).contains(dimension) else {
            throw .invalidCollection(name: name, reason: "dimension must be between 1 and \(Self.maximumDimension) (or 0: fixed by the first vectors), got \(dimension)")
        }
        guard hnsw.m >= 2, hnsw.efConstruction >= 1, hnsw.efSearch >= 1 else {
            throw .invalidCollection(name: name, reason: "HNSW needs m >= 2, efConstruction >= 1 and efSearch >= 1")
        }
        if let problem = bm25.problem { throw .invalidCollection(name: name, reason: problem) }
        guard analyzerConfiguration.maximumTokenLength >= 1 else {
            throw .invalidCollection(name: name, reason: "the analyzer's maximumTokenLength must be at least 1, got \(analyzerConfiguration.maximumTokenLength)")
        }
        if let embedder { try Store.validate(embedder, dimension: dimension, collection: name) }
    }

    /// Whether the stored row lacks this build's full analyzer record: stored before analyzer
    /// configurations were, or by a build with other analyzer rules. A writer then rewrites it.
    var needsAnalyzerRecord: Bool { recordedAnalyzerFingerprint != analyzerFingerprint }
}

extension Record {
    /// The text of a BM25 part (`BM25Field.part`): the document, or the metadata value of that
    /// key when it holds text (a string list gives one line per element); nil otherwise.
    func text(ofPart part: String) -> String? {
        if part == BM25Field.documentPart { return document }
        switch metadata[part] {
        case .string(let text): return text
        case .stringList(let texts): return texts.joined(separator: "\n")
        default: return nil
        }
    }
}
