import Foundation
import KoHybridEmbedding
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// A stand-in embedder that counts the texts it is asked for.
final class CountingEmbedder: Embedder, @unchecked Sendable {
    let identity: String
    private let lock = NSLock()
    private var asked: [String] = []

    init(identity: String = "counting") { self.identity = identity }

    var requestedTexts: [String] { lock.withLock { asked } }

    func vectorIdentity(for role: EmbeddingRole) -> String { identity + "/" + role.rawValue }

    func embed(_ texts: [String], role: EmbeddingRole) async throws(EmbeddingError) -> [[Float]] {
        lock.withLock { asked += texts }
        return texts.map { text in [Float(text.unicodeScalars.count), Float(role == .query ? 1 : 2), 0.5] }
    }
}

@Suite struct EmbeddingCacheTests {
    static func cacheURL() -> URL { SharedData.temporaryDirectory("kohybrid-embed-cache").appendingPathComponent("embeddings.sqlite") }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)).count == 64)
    }

    @Test func secondRunAsksForNothing() async throws {
        let url = Self.cacheURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let base = CountingEmbedder()
        let texts = ["오마카세", "런치", "오마카세", "디너"]
        let first = try await CachingEmbedder(base, cache: try EmbeddingCache(at: url)).embed(texts, role: .document)
        #expect(base.requestedTexts == ["오마카세", "런치", "디너"], "each distinct text is embedded once")

        // Another connection (as another process would open it) serves every text.
        let reopened = try EmbeddingCache(at: url)
        let again = try await CachingEmbedder(base, cache: reopened).embed(texts, role: .document)
        #expect(again == first)
        #expect(base.requestedTexts.count == 3, "no text was asked for again")
        #expect(await reopened.statistics == .init(hits: 4, misses: 0))

        // Another role convention (here, the query role) is another key.
        _ = try await CachingEmbedder(base, cache: reopened).embed(["오마카세"], role: .query)
        #expect(base.requestedTexts.count == 4)
        #expect(await reopened.statistics.misses == 1)
        #expect(try await reopened.count() == 4)
    }

    @Test func vectorsOfAnotherDimensionAreMisses() async throws {
        let url = Self.cacheURL()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let cache = try EmbeddingCache(at: url)
        try await cache.store(["a"], vectors: [[1, 2, 3]], identity: "m")
        #expect(try await cache.lookup(["a"], identity: "m", dimension: 3) == [[1, 2, 3]])
        #expect(try await cache.lookup(["a"], identity: "m", dimension: 4) == [nil])
        #expect(try await cache.lookup(["a"], identity: "other") == [nil])
    }

    @Test func identityCoversModelConventionAndDimension() {
        let base = EmbedderConfiguration(url: "http://a/v1", model: "m")
        var otherURL = base; otherURL.url = "http://b/v1"
        var prefixed = base; prefixed.roles.queryPrefix = "query: "
        var typed = base; typed.roles.queryInputType = "query"
        var shortened = base; shortened.dimensions = 256
        var renamed = base; renamed.roles.queryModel = "m-query"
        #expect(otherURL.vectorIdentity(for: .query) == base.vectorIdentity(for: .query), "the endpoint is not part of the key")
        for changed in [prefixed, typed, shortened, renamed] {
            #expect(changed.vectorIdentity(for: .query) != base.vectorIdentity(for: .query))
        }
        #expect(prefixed.vectorIdentity(for: .document) == base.vectorIdentity(for: .document))
    }

    @Test func unwritableCacheIsAClearError() {
        #expect {
            _ = try EmbeddingCache(at: URL(fileURLWithPath: "/proc/kohybrid/embeddings.sqlite"))
        } throws: { error in
            "\(error)".contains("embedding cache /proc/kohybrid/embeddings.sqlite")
        }
    }

    @Test func defaultLocationFollowsXDG() {
        #expect(EmbeddingCache.defaultURL(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/h"]).path == "/x/cache/kohybrid/embeddings.sqlite")
        #expect(EmbeddingCache.defaultURL(environment: ["HOME": "/h"]).path == "/h/.cache/kohybrid/embeddings.sqlite")
        #expect(EmbeddingCache.defaultURL(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"]).path == "/h/.cache/kohybrid/embeddings.sqlite",
                "the XDG spec ignores relative paths")
    }
}

@Suite struct EmbedderConfigurationStorageTests {
    /// A collection stored before embedders (and analyzer configurations) were recorded still
    /// loads, with no embedder and its preset's analyzer.
    @Test func olderStoredConfigurationLoads() throws {
        // The configuration column as the previous version wrote it (dimension 4, defaults).
        let old = #"{"analyzer":"korean","bm25":{"b":0.75,"fieldWeights":{"bigram":0.75,"word":1},"k1":1.2},"dimension":4,"hnsw":{"efConstruction":200,"efSearch":64,"m":16,"seed":1},"metric":"cosine"}"#
        let decoded = try CollectionConfiguration(storedJSON: old, metadata: [:], name: "c")
        #expect(decoded == CollectionConfiguration(dimension: 4) && decoded.embedder == nil)
        // Written again, it gains the analyzer it had implicitly, with its fingerprint.
        let rewritten = try CollectionConfiguration(storedJSON: decoded.storedJSON, metadata: [:], name: "c")
        #expect(rewritten == decoded && rewritten.recordedAnalyzerFingerprint == AnalyzerConfiguration.korean.fingerprint)
    }

    @Test func embedderRoundTripsWithoutTheKey() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-embed-config")
        defer { try? FileManager.default.removeItem(at: url) }
        var embedder = EmbedderConfiguration(url: "http://127.0.0.1:8080/v1", model: "e5", apiKeyEnvironmentVariable: "MY_KEY")
        embedder.roles = RoleConvention(queryInputType: "query", documentInputType: "passage")
        let store = try Store(directory: url)
        try await store.createCollection("c", configuration: .init(dimension: 4, embedder: embedder))
        try await store.createCollection("plain", configuration: .init(dimension: 4))
        try await store.close()
        let reopened = try Store(directory: url, mode: .readOnly)
        #expect(try await reopened.configuration(of: "c").embedder == embedder)
        #expect(try await reopened.configuration(of: "plain").embedder == nil)
        try await reopened.close()
        let bytes = try Data(contentsOf: url.appendingPathComponent("store.sqlite"))
        #expect(bytes.range(of: Data("MY_KEY".utf8)) != nil, "the variable's name is recorded")
    }

    @Test func requestedDimensionsMustMatchTheCollection() async throws {
        let url = SharedData.temporaryDirectory("kohybrid-embed-config")
        defer { try? FileManager.default.removeItem(at: url) }
        let store = try Store(directory: url)
        var embedder = EmbedderConfiguration(url: "http://127.0.0.1:8080/v1", model: "m")
        embedder.dimensions = 256
        await #expect(throws: StoreError.self) {
            try await store.createCollection("c", configuration: .init(dimension: 384, embedder: embedder))
        }
        embedder.url = "ftp://nope"
        embedder.dimensions = nil
        await #expect(throws: StoreError.self) {
            try await store.createCollection("c", configuration: .init(dimension: 384, embedder: embedder))
        }
        try await store.close()
    }
}
