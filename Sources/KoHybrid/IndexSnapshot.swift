import Foundation

enum IndexSnapshot {
    static func directory(root: URL, collectionID: Int64) -> URL {
        root.appendingPathComponent(String(collectionID))
    }
}

final class CollectionIndexes {}

extension Store {
    func persistIndexes() throws(StoreError) {}
}
