import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Issue 12, defects 1, 2, 3 and 10 at the library level.
@Suite struct StoreTrustTests {
    /// Defect 2: text with NUL characters is stored byte for byte, never cut at the NUL.
    @Test func nulCharactersAreStoredExactly() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 2))
        let records = [
            Record(id: "a\u{0}x", document: "nul\u{0}byte", metadata: ["k\u{0}ey": .string("v\u{0}alue")], embedding: [1, 0]),
            Record(id: "a\u{0}y", document: "\u{0}", embedding: [0, 1]),
        ]
        let summary = try await store.upsert(records, into: "c")
        #expect(summary.inserted == 2 && summary.updated == 0, "two ids, not one id \"a\" updated")
        #expect(try await store.get(ids: ["a\u{0}x", "a\u{0}y", "a"], from: "c", includeEmbeddings: true) == records)
        #expect(try await store.get(from: "c", includeEmbeddings: true) == records)
        #expect(try await store.delete(ids: ["a\u{0}y"], from: "c") == 1)
        #expect(try await store.get(from: "c").map(\.id) == ["a\u{0}x"])
        // A collection name is refused, never cut.
        await #expect(throws: StoreError.self) { try await store.createCollection("c\u{0}d", configuration: .init(dimension: 2)) }
        try await store.close()
    }

    /// Defect 1: a dimension past the bound is an error at creation and when read from a file.
    @Test func hugeDimensionsAreErrorsNotTraps() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        for dimension in [4_611_686_018_427_387_904, Int.max, CollectionConfiguration.maximumDimension + 1, -3] {
            await #expect(throws: StoreError.invalidCollection(name: "huge", reason: "dimension must be between 1 and 65536 (or 0: fixed by the first vectors), got \(dimension)")) {
                try await store.createCollection("huge", configuration: .init(dimension: dimension))
            }
        }
        try await store.createCollection("largest", configuration: .init(dimension: CollectionConfiguration.maximumDimension))
        try await store.createCollection("small", configuration: .init(dimension: 2))
        // 0 leaves the dimension open until the first vectors (Chroma's collections).
        try await store.createCollection("open", configuration: .init(dimension: 0))
        try await store.upsert([Record(id: "v", embedding: [1, 0, 0])], into: "open")
        #expect(try await store.configuration(of: "open").dimension == 3)
        await #expect(throws: StoreError.self) { try await store.upsert([Record(id: "w", embedding: [1, 0])], into: "open") }
        try await store.close()
        // A damaged (or hand-edited) store with a huge dimension is refused when read.
        let db = try StoreDatabase(path: url.appendingPathComponent(StoreSchema.databaseFile).path, readOnly: false)
        try db.execute(#"UPDATE collections SET configuration = replace(configuration, '"dimension":2,', '"dimension":4611686018427387904,') WHERE name = 'small'"#)
        db.close()
        let reader = try Store(directory: url, mode: .readOnly)
        await #expect(throws: StoreError.self) {
            try await reader.search(SearchQuery(vector: [1, 0], k: 1), in: "small")
        }
        try await reader.close()
    }

    /// Defect 3: a collection created with its first batch is not left behind when that batch fails.
    @Test func failedFirstBatchCreatesNoCollection() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let bad = [Record(id: "a", embedding: [1, 0]), Record(id: "b", embedding: [.nan, 0])]
        await #expect(throws: StoreError.self) { try await store.upsert(bad, into: "new", creatingWith: .init(dimension: 2)) }
        #expect(try await store.collections().isEmpty)
        // Every record of a multi-batch load is checked up front, the same way.
        #expect(throws: StoreError.invalidRecord(collection: "new", id: "b", reason: "vector value 0 is nan; only finite values can be stored")) {
            try Store.validate(bad, collection: "new", configuration: .init(dimension: 2))
        }
        #expect(throws: StoreError.self) {
            try Store.validate([Record(id: "x"), Record(id: "")], collection: "new", configuration: .init(dimension: 2))
        }
        let summary = try await store.upsert([bad[0]], into: "new", creatingWith: .init(dimension: 2, metric: .l2))
        #expect(summary.inserted == 1)
        #expect(try await store.configuration(of: "new").metric == .l2)
        // An existing collection keeps its configuration.
        try await store.upsert([Record(id: "c", embedding: [0, 1])], into: "new", creatingWith: .init(dimension: 2))
        #expect(try await store.configuration(of: "new").metric == .l2)
        #expect(try await store.count(in: "new") == 2)
        try await store.close()
    }

    /// Defect 10: query settings that cannot mean anything are errors, not empty answers.
    @Test func meaninglessQueriesAreRefused() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 2))
        try await store.upsert([Record(id: "a", document: "오마카세", embedding: [1, 0])], into: "c")
        await #expect(throws: StoreError.invalidQuery(reason: "the query vector is all zeros, which has no direction for cosine similarity")) {
            try await store.search(SearchQuery(vector: [0, 0], k: 1), in: "c")
        }
        await #expect(throws: StoreError.self) { try await store.search(SearchQuery(text: "오마카세", k: 1, candidateDepth: 0), in: "c") }
        await #expect(throws: StoreError.self) { try await store.search(SearchQuery(text: "오마카세", k: 1, efSearch: -1), in: "c") }
        #expect(try await store.search(SearchQuery(text: "오마카세", vector: [1, 0], k: 1, candidateDepth: 1, efSearch: 1), in: "c").count == 1)
        try await store.close()
    }

    /// Defect 10: SQLite errors are one line, whatever the SQL looked like.
    @Test func databaseErrorsAreOneLine() throws {
        let url = SharedData.temporaryDirectory("kohybrid-oneline")
        defer { try? FileManager.default.removeItem(at: url) }
        let db = try StoreDatabase(path: url.appendingPathComponent("x.sqlite").path, readOnly: false)
        defer { db.close() }
        #expect { try db.execute("SELECT\n    *\nFROM\n    nowhere") } throws: { error in
            let text = "\(error)"
            return text.contains("no such table") && !text.contains("\n")
        }
    }
}
