import Foundation
import KoHybridEmbedding

/// Makes the embedder that a collection's recorded `EmbedderConfiguration` names. A store uses
/// `.openAICompatible()` unless told otherwise (`Store.setEmbedderProvider(_:)`).
///
/// ```swift
/// var policy = RequestPolicy(); policy.timeout = 10
/// await store.setEmbedderProvider(.openAICompatible(policy: policy, cache: .disabled))
/// ```
public struct EmbedderProvider: Sendable {
    /// Makes an embedder for a configuration and the collection's dimension.
    public typealias Make = @Sendable (_ configuration: EmbedderConfiguration, _ dimension: Int) async throws(EmbeddingError) -> any Embedder
    public let make: Make

    public init(_ make: @escaping Make) { self.make = make }

    /// Where an `openAICompatible` provider keeps vectors.
    public enum Cache: Sendable {
        /// `EmbeddingCache.defaultURL()`, opened when the first embedder is made.
        case standard
        case at(URL)
        /// One cache shared by everything this provider makes (its statistics cover them all).
        case shared(EmbeddingCache)
        case disabled
    }

    /// `OpenAICompatibleEmbedder` behind an `EmbeddingCache`. `apiKeyEnvironmentVariable`
    /// overrides the variable a collection recorded (a deployment may name it differently).
    public static func openAICompatible(policy: RequestPolicy = RequestPolicy(), cache: Cache = .standard,
                                        apiKeyEnvironmentVariable: String? = nil) -> EmbedderProvider {
        EmbedderProvider { (configuration, dimension) throws(EmbeddingError) -> any Embedder in
            var configuration = configuration
            if let apiKeyEnvironmentVariable { configuration.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable }
            let http = try OpenAICompatibleEmbedder(configuration: configuration, policy: policy, expectedDimension: dimension)
            switch cache {
            case .disabled: return http
            case .shared(let shared): return CachingEmbedder(http, cache: shared, dimension: dimension)
            case .at(let url): return CachingEmbedder(http, cache: try EmbeddingCache(at: url), dimension: dimension)
            case .standard: return CachingEmbedder(http, cache: try EmbeddingCache(at: EmbeddingCache.defaultURL()), dimension: dimension)
            }
        }
    }
}

extension Store {
    /// Replaces how embedders are made for collections that record one (for example to move
    /// the cache, shorten timeouts or substitute a test double).
    public func setEmbedderProvider(_ provider: EmbedderProvider) {
        embedderProvider = provider
        embedders = [:]
    }

    /// Records (or, with nil, forgets) the embedder of an existing collection. Its `dimensions`,
    /// when set, must equal the collection's dimension. Existing vectors are left as they are.
    public func setEmbedder(_ configuration: EmbedderConfiguration?, for collection: String) throws(StoreError) {
        try requireWriter()
        let row = try collectionRow(collection)
        var updated = row.configuration
        updated.embedder = configuration
        try updated.validate(name: collection)
        try database.transaction(immediate: true) { () throws(StoreError) in
            _ = try records.nextSeq()   // moves the seq, so every connection re-reads the collection rows
            try database.prepare("UPDATE collections SET configuration = ?2 WHERE id = ?1").run(.int(row.id), .text(updated.storedJSON))
        }
        embedders[row.id] = nil
    }

    /// Embeds texts with the collection's embedder. Every vector is checked against the
    /// collection (count, dimension, finite values) before it is returned.
    ///
    /// ```swift
    /// let vectors = try await store.embed(["오마카세 런치"], role: .query, for: "omakase.sources")
    /// ```
    public func embed(_ texts: [String], role: EmbeddingRole, for collection: String) async throws(StoreError) -> [[Float]] {
        let row = try collectionRow(collection)
        guard let embedder = try await embedder(for: row) else {
            throw .invalidQuery(reason: "collection \"\(collection)\" records no embedder (create it with one, or call setEmbedder)")
        }
        guard !texts.isEmpty else { return [] }
        let vectors: [[Float]]
        do { vectors = try await embedder.embed(texts, role: role) } catch { throw .embedding(collection: collection, error) }
        let endpoint = row.configuration.embedder?.endpoint ?? "embedder"
        guard vectors.count == texts.count else {
            throw .embedding(collection: collection, .invalidResponse(endpoint: endpoint, reason: "\(vectors.count) vectors for \(texts.count) texts", body: ""))
        }
        for vector in vectors {
            guard vector.count == row.configuration.dimension else {
                throw .embedding(collection: collection, .dimensionMismatch(endpoint: endpoint, expected: row.configuration.dimension, got: vector.count))
            }
            guard vector.allSatisfy(\.isFinite) else {
                throw .embedding(collection: collection, .invalidResponse(endpoint: endpoint, reason: "a vector has a non-finite value", body: ""))
            }
        }
        return vectors
    }

    /// The collection's embedder, made once per configuration; nil when it records none.
    func embedder(for row: CollectionRow) async throws(StoreError) -> (any Embedder)? {
        guard let configuration = row.configuration.embedder else { return nil }
        if let made = embedders[row.id], made.configuration == configuration { return made.embedder }
        let made: any Embedder
        do { made = try await embedderProvider.make(configuration, row.configuration.dimension) } catch {
            throw .embedding(collection: row.name, error)
        }
        embedders[row.id] = (configuration, made)
        return made
    }

    /// The query with its text embedded as its vector, when it has text, no vector, a mode that
    /// uses vectors and a collection with an embedder; else the query unchanged.
    func withQueryVector(_ query: SearchQuery, in collection: String) async throws(StoreError) -> SearchQuery {
        guard query.vector == nil, let text = query.text, !text.isEmpty else { return query }
        if case .sparse = query.mode { return query }
        guard try collectionRow(collection).configuration.embedder != nil else { return query }
        var embedded = query
        embedded.vector = try await embed([text], role: .query, for: collection).first
        return embedded
    }

    /// The records with their documents embedded where they have a non-empty document and no
    /// vector, when the collection has an embedder. Runs before anything is written, so a
    /// failing embedder leaves the store untouched.
    func withDocumentVectors(_ records: [Record], in collection: String) async throws(StoreError) -> [Record] {
        let needing = records.indices.filter { records[$0].embedding == nil && !(records[$0].document ?? "").isEmpty }
        guard !needing.isEmpty, try collectionRow(collection).configuration.embedder != nil else { return records }
        let vectors = try await embed(needing.map { records[$0].document ?? "" }, role: .document, for: collection)
        var out = records
        for (i, vector) in zip(needing, vectors) { out[i].embedding = vector }
        return out
    }

    /// What a recorded embedder must satisfy.
    static func validate(_ embedder: EmbedderConfiguration, dimension: Int, collection: String) throws(StoreError) {
        do { try embedder.validate() } catch { throw .invalidCollection(name: collection, reason: error.description) }
        if let requested = embedder.dimensions, requested != dimension {
            throw .invalidCollection(name: collection, reason: "the embedder asks for \(requested) dimensions, the collection has \(dimension)")
        }
    }
}
