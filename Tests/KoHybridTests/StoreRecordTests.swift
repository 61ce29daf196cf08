import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

@Suite(.needsSharedData) struct StoreRecordTests {
    @Test func upsertGetCountDelete() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(40)
        try await store.createCollection("omakase.sources", configuration: .init(dimension: 384, metadata: ["owner": .string("팀")]))
        let first = try await store.upsert(Array(records[0..<30]), into: "omakase.sources")
        #expect(first.inserted == 30 && first.updated == 0)

        // Upsert replaces a record in full and keeps integer and float metadata apart.
        var changed = records[3]
        changed.document = "스시 오마카세 런치 코스"
        changed.metadata = ["price": .int(4), "rating": .double(4.0), "tags": .stringList(["런치", "예약필수"])]
        let second = try await store.upsert([changed] + Array(records[30..<40]), into: "omakase.sources")
        #expect(second.inserted == 10 && second.updated == 1 && second.seq > first.seq)
        #expect(try await store.count(in: "omakase.sources") == 40)

        let got = try await store.get(ids: [records[5].id, "missing", changed.id], from: "omakase.sources", includeEmbeddings: true)
        #expect(got.map(\.id) == [records[5].id, changed.id])
        #expect(got[0] == records[5])
        #expect(got[1] == changed)
        #expect(got[1].metadata["price"] == .int(4) && got[1].metadata["rating"] == .double(4.0))

        let all = try await store.get(from: "omakase.sources")
        #expect(all.map(\.id) == records.map(\.id), "insertion order, an update keeps its place")
        #expect(all.allSatisfy { $0.embedding == nil }, "embeddings only when asked")
        let page = try await store.get(limit: 7, offset: 10, from: "omakase.sources")
        #expect(page.map(\.id) == Array(records[10..<17].map(\.id)))

        #expect(try await store.delete(ids: [records[0].id, records[1].id, "missing"], from: "omakase.sources") == 2)
        let cheap = try Filter(json: #"{"price": {"$lt": 50000}}"#)
        let expected = try await store.get(where: cheap, from: "omakase.sources").count
        #expect(expected > 0)
        #expect(try await store.delete(where: cheap, from: "omakase.sources") == expected)
        #expect(try await store.count(in: "omakase.sources") == 38 - expected)
        #expect(try await store.get(where: cheap, from: "omakase.sources").isEmpty)
        _ = try await store.search(SearchQuery(text: "대한민국", k: 3, filter: cheap), in: "omakase.sources")
        try await store.checkIndexInvariants("omakase.sources")

        let info = try await store.collection(named: "omakase.sources")
        #expect(info.configuration.metadata == ["owner": .string("팀")] && info.configuration.dimension == 384)
        try await store.close()
    }

    /// Deletes and re-adds through the store, across a reopen, on a collection big enough for
    /// HNSW: removed records leave tombstones, the re-adds consolidate them, and dense search
    /// never returns a deleted id and finds what an exact scan over the live records finds.
    @Test func churnThroughTheStoreKeepsDenseSearchRight() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(3000)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        _ = try await store.upsert(records, into: "c")
        let doomed = records.enumerated().filter { $0.offset % 10 < 3 }.map(\.element)
        for start in stride(from: 0, to: doomed.count, by: 300) {
            let ids = doomed[start ..< min(start + 300, doomed.count)].map(\.id)
            #expect(try await store.delete(ids: ids, from: "c") == ids.count)
        }
        try await store.close()
        let reopened = try Store(directory: url)
        let back = Array(doomed.prefix(450))
        _ = try await reopened.upsert(back, into: "c")
        try await reopened.checkIndexInvariants("c")
        let gone = Set(doomed.dropFirst(450).map(\.id))
        let live = records.filter { !gone.contains($0.id) }
        #expect(try await reopened.count(in: "c") == live.count)

        func unit(_ v: [Float]) -> [Float] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        let liveVectors = live.map { unit($0.embedding!) }
        let queries = try #require(Fixtures.queryVectors)
        var overlap = 0
        for i in 0 ..< 30 {
            let q = Array(queries[i * 7])
            let hits = try await reopened.search(SearchQuery(vector: q, k: 10, mode: .dense), in: "c")
            #expect(hits.count == 10 && hits.allSatisfy { !gone.contains($0.id) })
            let uq = unit(q)
            let scored = liveVectors.enumerated().map { j, v in (zip(uq, v).reduce(0) { $0 + $1.0 * $1.1 }, j) }
            let exact = Set(scored.sorted { $0.0 > $1.0 }.prefix(10).map { live[$0.1].id })
            overlap += hits.filter { exact.contains($0.id) }.count
        }
        #expect(Double(overlap) / 300 >= 0.95, "dense recall@10 after churn \(Double(overlap) / 300)")
        try await reopened.close()
    }

    @Test func invalidInputIsATypedError() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        await #expect(throws: StoreError.collectionExists(name: "c")) {
            try await store.createCollection("c", configuration: .init(dimension: 384))
        }
        await #expect(throws: StoreError.collectionNotFound(name: "nope")) { try await store.count(in: "nope") }
        await #expect(throws: StoreError.dimensionMismatch(collection: "c", id: "a", expected: 384, got: 3)) {
            try await store.upsert([Record(id: "a", embedding: [1, 2, 3])], into: "c")
        }
        await #expect(throws: StoreError.invalidRecord(collection: "c", id: "a", reason: "the id appears more than once among the records written together")) {
            try await store.upsert([Record(id: "a"), Record(id: "a")], into: "c")
        }
        await #expect(throws: StoreError.self) {
            try await store.upsert([Record(id: "b", metadata: ["x": .double(.nan)])], into: "c")
        }
        #expect(try await store.count(in: "c") == 0, "a rejected batch writes nothing")
        await #expect(throws: StoreError.invalidCollection(name: "", reason: "a name has 1 to 256 bytes")) {
            try await store.createCollection("", configuration: .init(dimension: 4))
        }
        try await store.close()

        let reader = try Store(directory: url, mode: .readOnly)
        await #expect(throws: StoreError.readOnly(path: url.standardizedFileURL.path)) {
            try await reader.upsert([Record(id: "z")], into: "c")
        }
        try await reader.close()
        #expect(throws: StoreError.storeNotFound(path: url.appendingPathComponent("none").standardizedFileURL.path)) {
            try Store(directory: url.appendingPathComponent("none"), mode: .readOnly)
        }
    }

    @Test func deleteCollectionRemovesRecordsAndSnapshots() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("a", configuration: .init(dimension: 384))
        try await store.createCollection("b", configuration: .init(dimension: 384))
        try await store.upsert(try Fixtures.records(20), into: "a")
        try await store.upsert(try Fixtures.records(5), into: "b")
        try await store.persistIndexes()
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("indexes/1/manifest.json").path))
        try await store.deleteCollection("a")
        #expect(!FileManager.default.fileExists(atPath: url.appendingPathComponent("indexes/1").path))
        #expect(try await store.collections().map(\.name) == ["b"])
        // A new collection with the old name starts empty (ids are never reused).
        try await store.createCollection("a", configuration: .init(dimension: 384))
        #expect(try await store.count(in: "a") == 0)
        #expect(try await store.search(SearchQuery(text: "대한민국", k: 5), in: "a").isEmpty)
        try await store.close()
    }

    @Test func readerSeesCommittedBatches() async throws {
        let (writer, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(30)
        try await writer.createCollection("c", configuration: .init(dimension: 384))
        try await writer.upsert(Array(records[0..<10]), into: "c")
        let reader = try Store(directory: url, mode: .readOnly)
        let query = SearchQuery(text: records[20].document, vector: records[20].embedding, k: 3)
        #expect(try await reader.search(query, in: "c").first?.id != records[20].id)
        try await writer.upsert(Array(records[10..<30]), into: "c")
        #expect(try await reader.count(in: "c") == 30)
        #expect(try await reader.search(query, in: "c").first?.id == records[20].id)
        try await writer.delete(ids: [records[20].id], from: "c")
        #expect(try await !reader.search(query, in: "c").map(\.id).contains(records[20].id))
        try await reader.checkIndexInvariants("c")
        try await reader.close()
        try await writer.close()
    }
}
