import Foundation
import KoHybridAnalysis
import KoHybridDense
import KoHybridEmbedding
import KoHybridSparse

/// How a collection is built: vector dimension and metric, the analyzer that feeds BM25, and
/// the index parameters. Fixed when the collection is created.
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
    /// The analyzer preset that turns documents and query text into BM25 terms.
    public var analyzer: AnalyzerPreset
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

    public init(dimension: Int, metric: DistanceMetric = .cosine, analyzer: AnalyzerPreset = .korean,
                bm25: BM25Parameters = .init(), hnsw: HNSWParameters = .init(), metadata: Metadata = [:],
                embedder: EmbedderConfiguration? = nil) {
        self.dimension = dimension
        self.metric = metric
        self.analyzer = analyzer
        self.bm25 = bm25
        self.hnsw = hnsw
        self.metadata = metadata
        self.embedder = embedder
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
        var bm25: BM25Parameters
        var hnsw: HNSWParameters
        /// Absent in collections stored before embedders were recorded (decoded as nil).
        var embedder: EmbedderConfiguration?
    }

    var storedJSON: String {
        let stored = Stored(dimension: dimension, metric: metric, analyzer: analyzer, bm25: bm25, hnsw: hnsw, embedder: embedder)
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
                  bm25: stored.bm25, hnsw: stored.hnsw, metadata: metadata, embedder: stored.embedder)
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
        if let embedder { try Store.validate(embedder, dimension: dimension, collection: name) }
    }
}
