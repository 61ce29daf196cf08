import Foundation
import KoHybrid
import Synchronization

/// The stores a server reads and writes through: one read-write `Store` (absent with
/// `--read-only`) and read-only `Store`s beside it, each an actor with its own SQLite connection
/// and in-memory indexes. Searches are spread over all of them, so concurrent requests run on
/// every core instead of queueing behind one actor; each store catches its indexes up with the
/// writer's committed batches before it answers, so a write is visible to the next search.
final class StorePool: Sendable {
    let writer: Store?
    let readers: [Store]
    private let next = Atomic<Int>(0)

    /// Opens the writer first (it creates the store), then `readers` read-only stores.
    init(directory: URL, readOnly: Bool, readers: Int) throws(StoreError) {
        writer = readOnly ? nil : try Store(directory: directory, mode: .readWrite)
        var stores: [Store] = writer.map { [$0] } ?? []
        while stores.count < max(1, readers) {
            stores.append(try Store(directory: directory, mode: .readOnly))
        }
        self.readers = stores
    }

    /// A store to read from, round robin.
    var reader: Store {
        readers[next.add(1, ordering: .relaxed).oldValue % readers.count]
    }

    /// The store to write through, or a read-only error.
    func requireWriter() throws -> Store {
        guard let writer else { throw APIError(.forbidden, "ChromaError", "this server is read-only (started with --read-only)") }
        return writer
    }

    /// Publishes the writer's index snapshots every `interval` while batches keep arriving, so a
    /// pod killed without warning (or a reader process opening the store) finds snapshots at
    /// most one interval behind instead of rebuilding from the records.
    func publishSnapshots(every interval: Duration) -> Task<Void, Never>? {
        guard let writer else { return nil }
        return Task.detached(priority: .utility) {
            var publishedSeq: Int64 = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled, let seq = try? await writer.stats().seq, seq != publishedSeq else { continue }
                if (try? await writer.persistIndexes()) != nil { publishedSeq = seq }
            }
        }
    }

    /// Publishes the writer's snapshots and releases its lock; closes the readers.
    func close() async {
        for store in readers where store !== writer { try? await store.close() }
        if let writer { try? await writer.close() }
    }
}
