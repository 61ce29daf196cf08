import Foundation
import KoHybrid

/// The one `Store` a server reads and writes through: read-write, or read-only with
/// `--read-only`. Searches from any number of connections run in parallel on it: each
/// collection's `CollectionSearcher` is shared by all of them (one copy of the indexes in
/// memory), and the store's own turns are only the short steps around ranking (catching the
/// indexes up with committed batches, reading the hits' records), so a write is visible to
/// the next search.
final class ServedStore: Sendable {
    let store: Store
    let isReadOnly: Bool

    init(directory: URL, readOnly: Bool) throws(StoreError) {
        store = try Store(directory: directory, mode: readOnly ? .readOnly : .readWrite)
        isReadOnly = readOnly
    }

    /// The store to write through, or a read-only error.
    func requireWriter() throws -> Store {
        guard !isReadOnly else { throw APIError(.forbidden, "ChromaError", "this server is read-only (started with --read-only)") }
        return store
    }

    /// Publishes the index snapshots every `interval` while batches keep arriving, so a pod
    /// killed without warning (or a reader process opening the store) finds snapshots at most
    /// one interval behind instead of rebuilding from the records.
    func publishSnapshots(every interval: Duration) -> Task<Void, Never>? {
        guard !isReadOnly else { return nil }
        let store = store
        return Task.detached(priority: .utility) {
            var publishedSeq: Int64 = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let seq = try? await store.stats().seq, seq != publishedSeq else { continue }
                if (try? await store.persistIndexes()) != nil { publishedSeq = seq }
            }
        }
    }

    /// Publishes the snapshots (writer) and releases the writer lock.
    func close() async {
        try? await store.close()
    }
}
