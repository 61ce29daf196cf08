import KoHybridEmbedding

/// Everything that can go wrong in a `Store`, each case naming what and where.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process (or another `Store` in this one) holds the store's writer lock.
    case writerLocked(path: String)
    /// The directory holds no store and the store was opened read-only.
    case storeNotFound(path: String)
    /// `restore` would overwrite an existing store without `replacing: true`.
    case storeExists(path: String)
    /// A write was attempted through a store opened with `.readOnly`.
    case readOnly(path: String)
    /// SQLite reported an error.
    case database(path: String, message: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// The store was written by an incompatible version of KoHybrid.
    case incompatibleFormat(path: String, found: Int, expected: Int)
    case collectionExists(name: String)
    case collectionNotFound(name: String)
    case invalidCollection(name: String, reason: String)
    /// A record's vector has the wrong length for its collection.
    case dimensionMismatch(collection: String, id: String, expected: Int, got: Int)
    /// A record breaks a rule (metadata types, duplicate id in a batch, non-finite numbers).
    case invalidRecord(collection: String, id: String, reason: String)
    case invalidFilter(FilterError)
    case invalidQuery(reason: String)
    /// The collection's embedder failed or returned vectors that do not fit; nothing was written.
    case embedding(collection: String, EmbeddingError)

    public var description: String {
        switch self {
        case let .writerLocked(path):
            return "\(path): another writer holds the store (one writer at a time; searching and reading still work)"
        case let .storeNotFound(path): return "\(path): no store here"
        case let .storeExists(path): return "\(path): a store already exists here; restoring would overwrite it"
        case let .readOnly(path): return "\(path): the store was opened for reading only, so it cannot be written"
        case let .database(path, message): return "\(path): \(message)"
        case let .io(path, message): return "\(path): \(message)"
        case let .incompatibleFormat(path, found, expected):
            return "\(path): store format \(found), this version reads format \(expected)"
        case let .collectionExists(name): return "collection \"\(name)\" already exists"
        case let .collectionNotFound(name): return "no collection named \"\(name)\""
        case let .invalidCollection(name, reason): return "collection \"\(name)\": \(reason)"
        case let .dimensionMismatch(collection, id, expected, got):
            return "collection \"\(collection)\", record \"\(id)\": vector has \(got) values, the collection's dimension is \(expected)"
        case let .invalidRecord(collection, id, reason): return "collection \"\(collection)\", record \"\(id)\": \(reason)"
        case let .invalidFilter(error): return error.description
        case let .invalidQuery(reason): return "invalid query: \(reason)"
        case let .embedding(collection, error): return "collection \"\(collection)\": embedding failed: \(error)"
        }
    }
}
