import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Many searches on one store at once, while a writer commits batches: the shared
/// `CollectionSearcher` must give each search the indexes of one store state (never a half
/// applied batch), and the store must see every batch once the writer is done.
@Suite struct ConcurrentSearchTests {
    /// A word only batch `b`'s documents hold.
    static let words = ["가지", "나무", "다리", "라면", "마늘", "바다", "사과", "아침", "자리", "차표", "카드", "타자"]

    /// Record `i` of batch `b`: its text names the batch, its vector points at it.
    static func record(_ i: Int, batch b: Int) -> Record {
        let angle = Float(b) * 0.3 + Float(i) * 0.001
        return Record(id: "b\(b)-\(i)", document: "\(words[b]) 문서 \(i)", metadata: ["batch": .int(Int64(b))],
                      embedding: [cos(angle), sin(angle), 0.5, Float(i % 7) * 0.01])
    }

    @Test func searchesDuringWritesSeeWholeBatches() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let batchSize = 50, batches = 12
        try await store.createCollection("c", configuration: .init(dimension: 4))
        try await store.upsert((0..<batchSize).map { Self.record($0, batch: 0) }, into: "c")

        let writer = Task {
            for b in 1..<batches {
                try await store.upsert((0..<batchSize).map { Self.record($0, batch: b) }, into: "c")
                // Every other batch also deletes the previous one whole, in its own batch.
                if b % 2 == 0 { _ = try await store.delete(ids: (0..<batchSize).map { "b\(b - 1)-\($0)" }, from: "c") }
            }
        }
        let readers = (0..<4).map { reader in
            Task { () -> Int in
                var searches = 0
                for round in 0..<60 {
                    let b = (round + reader) % batches
                    let probe = Self.record(0, batch: b)
                    let query = SearchQuery(text: Self.words[b], vector: probe.embedding, k: 2 * batchSize,
                                            mode: round % 3 == 0 ? .sparse : .hybrid(.hybridDefault))
                    let hits = try await store.search(query, in: "c")
                    searches += 1
                    #expect(Set(hits.map(\.id)).count == hits.count, "a hit twice")
                    #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score }, "hits out of order")
                    // BM25 finds a batch's records by its name: all of the batch or none of it.
                    let ofBatch = hits.filter { $0.sparse != nil && $0.metadata["batch"] == .int(Int64(b)) }.count
                    #expect(ofBatch == 0 || ofBatch == batchSize, "saw \(ofBatch) of batch \(b)'s \(batchSize) records")
                }
                return searches
            }
        }
        try await writer.value
        var total = 0
        for reader in readers { total += try await reader.value }
        #expect(total == 240)

        // After the writer: exactly the batches that were not deleted, each found whole.
        let live = Set(try await store.get(from: "c").map(\.id))
        let expected = Set((0..<batches).filter { b in !(b + 1 < batches && (b + 1) % 2 == 0) }
            .flatMap { b in (0..<batchSize).map { "b\(b)-\($0)" } })
        #expect(live == expected)
        for b in 0..<batches where expected.contains("b\(b)-0") {
            let hits = try await store.search(SearchQuery(text: Self.words[b], k: 2 * batchSize, mode: .sparse), in: "c")
            #expect(hits.filter { $0.metadata["batch"] == .int(Int64(b)) }.count == batchSize, "batch \(b)")
        }
        try await store.checkIndexInvariants("c")
    }
}
