/// Progress events for a terminal display.
public enum ChromaMigrationProgress: Sendable {
    case reading(collection: String)
    case writing(collection: String, done: Int, total: Int)
    case verifying(collection: String)
    /// The store builds its BM25 and HNSW indexes and writes their snapshots.
    case buildingIndexes
    /// A new store is moved into place.
    case publishing
}
