import KoHybridSQLite
import CSQLite
import Foundation
import KoHybridFiles
import KoHybridEmbedding

/// A persistent cache of embeddings: re-running an eval or re-ingesting unchanged documents
/// makes no request.
///
/// Keyed by the embedder's vector identity (model, role convention, requested dimension; see
/// `Embedder.vectorIdentity(for:)`) and the SHA-256 of the text; values are float32 vectors.
/// The endpoint is not part of the key: the same model behind another URL makes the same vectors.
///
/// One SQLite file, in rollback-journal mode with `fcntl` locks like the store (WAL is unsafe on
/// network filesystems): any number of processes read and add at once; a batch of new vectors
/// is one short transaction, and an entry already there is kept (`INSERT OR IGNORE`).
///
/// ```swift
/// let cache = try EmbeddingCache(at: EmbeddingCache.defaultURL())
/// let embedder = CachingEmbedder(try OpenAICompatibleEmbedder(configuration: config), cache: cache)
/// _ = try await embedder.embed(texts, role: .document)
/// print(await cache.statistics)   // hits and misses
/// ```
public actor EmbeddingCache {
    public nonisolated let url: URL
    private let database: StoreDatabase
    private var identityIDs: [String: Int64] = [:]
    private var counts = Statistics()

    /// Lookups served from the cache and lookups that had to be embedded, per text.
    public struct Statistics: Sendable, Hashable {
        public var hits = 0
        public var misses = 0

        public init(hits: Int = 0, misses: Int = 0) { self.hits = hits; self.misses = misses }

        public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
    }

    /// `$XDG_CACHE_HOME/kohybrid/embeddings.sqlite`, else `~/.cache/kohybrid/embeddings.sqlite`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
            base = home.appendingPathComponent(".cache")
        }
        return base.appendingPathComponent("kohybrid").appendingPathComponent("embeddings.sqlite")
    }

    /// Opens (creating when needed) the cache file at `url`; its folder is created too.
    public init(at url: URL) throws(EmbeddingError) {
        self.url = url
        func fail(_ message: String) -> EmbeddingError { .cache(path: url.path, message: message) }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch { throw fail("cannot create its folder: \(FileSystemErrorText.describe(error))") }
        do {
            let db = try StoreDatabase(path: url.path, readOnly: false)
            db.setBusyTimeout(milliseconds: 30_000)
            try db.execute("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;")
            try db.transaction(immediate: true) { () throws(StoreError) in
                try db.execute("""
                    CREATE TABLE IF NOT EXISTS identities(id INTEGER PRIMARY KEY, identity TEXT NOT NULL UNIQUE);
                    CREATE TABLE IF NOT EXISTS vectors(
                        identity_id INTEGER NOT NULL REFERENCES identities(id),
                        text_sha256 TEXT NOT NULL,
                        vector BLOB NOT NULL,
                        PRIMARY KEY(identity_id, text_sha256)
                    ) WITHOUT ROWID;
                    """)
            }
            database = db
        } catch {
            throw fail(Self.message(error))
        }
    }

    public var statistics: Statistics { counts }

    /// The cached vector of each text (nil where there is none), counted as hits and misses.
    /// A cached vector of another length than `dimension` counts as a miss.
    public func lookup(_ texts: [String], identity: String, dimension: Int? = nil) throws(EmbeddingError) -> [[Float]?] {
        do {
            guard let id = try identityID(identity, create: false) else {
                counts.misses += texts.count
                return Array(repeating: nil, count: texts.count)
            }
            let stmt = try database.prepare("SELECT vector FROM vectors WHERE identity_id = ?1 AND text_sha256 = ?2")
            defer { stmt.reset() }
            var out: [[Float]?] = []
            out.reserveCapacity(texts.count)
            try database.transaction(immediate: false) { () throws(StoreError) in
                for text in texts {
                    try stmt.bind([.int(id), .text(SHA256.hex(text))])
                    var vector: [Float]? = nil
                    if try stmt.step(), let found = stmt.floats(0), !found.isEmpty, dimension.map({ $0 == found.count }) ?? true {
                        vector = found
                    }
                    stmt.reset()
                    out.append(vector)
                }
            }
            let hits = out.lazy.filter { $0 != nil }.count
            counts.hits += hits
            counts.misses += texts.count - hits
            return out
        } catch {
            throw .cache(path: url.path, message: Self.message(error))
        }
    }

    /// Adds vectors (an entry already cached is kept), in one transaction.
    public func store(_ texts: [String], vectors: [[Float]], identity: String) throws(EmbeddingError) {
        precondition(texts.count == vectors.count, "one vector per text")
        guard !texts.isEmpty else { return }
        do {
            try database.transaction(immediate: true) { () throws(StoreError) in
                guard let id = try identityID(identity, create: true) else { return }
                let insert = try database.prepare("INSERT OR IGNORE INTO vectors(identity_id, text_sha256, vector) VALUES (?1, ?2, ?3)")
                for (text, vector) in zip(texts, vectors) {
                    try insert.run(.int(id), .text(SHA256.hex(text)), .floats(vector))
                }
            }
        } catch {
            throw .cache(path: url.path, message: Self.message(error))
        }
    }

    /// Entries in the cache, over every identity.
    public func count() throws(EmbeddingError) -> Int {
        do { return Int(try database.scalarInt("SELECT count(*) FROM vectors") ?? 0) } catch {
            throw .cache(path: url.path, message: Self.message(error))
        }
    }

    private func identityID(_ identity: String, create: Bool) throws(StoreError) -> Int64? {
        if let id = identityIDs[identity] { return id }
        if create {
            try database.prepare("INSERT OR IGNORE INTO identities(identity) VALUES (?1)").run(.text(identity))
        }
        let id = try database.scalarInt("SELECT id FROM identities WHERE identity = ?1", .text(identity))
        if let id { identityIDs[identity] = id }
        return id
    }

    private static func message(_ error: StoreError) -> String {
        if case let .database(_, message) = error { return message }
        return error.description
    }
}

/// An `Embedder` that answers from an `EmbeddingCache` first and asks `base` only for the texts
/// it lacks (each distinct text once), adding what it gets to the cache.
///
/// ```swift
/// let embedder = CachingEmbedder(try OpenAICompatibleEmbedder(configuration: config), cache: cache)
/// ```
public struct CachingEmbedder: Embedder {
    public let base: any Embedder
    public let cache: EmbeddingCache
    /// When known, cached vectors of another length are ignored.
    public let dimension: Int?

    public init(_ base: any Embedder, cache: EmbeddingCache, dimension: Int? = nil) {
        self.base = base
        self.cache = cache
        self.dimension = dimension
    }

    public func vectorIdentity(for role: EmbeddingRole) -> String { base.vectorIdentity(for: role) }

    public func embed(_ texts: [String], role: EmbeddingRole) async throws(EmbeddingError) -> [[Float]] {
        let identity = base.vectorIdentity(for: role)
        let cached = try await cache.lookup(texts, identity: identity, dimension: dimension)
        var missing: [String] = []
        var seen = Set<String>()
        for (text, vector) in zip(texts, cached) where vector == nil && seen.insert(text).inserted { missing.append(text) }
        guard !missing.isEmpty else { return cached.map { $0 ?? [] } }
        let fresh = try await base.embed(missing, role: role)
        guard fresh.count == missing.count else {
            throw .invalidResponse(endpoint: "\(type(of: base))", reason: "\(fresh.count) vectors for \(missing.count) texts", body: "")
        }
        try await cache.store(missing, vectors: fresh, identity: identity)
        let byText = Dictionary(zip(missing, fresh), uniquingKeysWith: { a, _ in a })
        return zip(texts, cached).map { text, vector in vector ?? byText[text] ?? [] }
    }
}
