import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

@Suite struct FilterParsingTests {
    @Test func integersAndFloatsStayDistinct() throws {
        let value = try JSONValue(parsing: #"{"a": 4, "b": 4.0, "c": -0.5e2, "d": [1, 2], "e": "오마카세"}"#)
        #expect(value == .object(["a": .int(4), "b": .double(4.0), "c": .double(-50), "d": .array([.int(1), .int(2)]), "e": .string("오마카세")]))
        #expect(value.jsonText == #"{"a":4,"b":4.0,"c":-50.0,"d":[1,2],"e":"오마카세"}"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
        let metadata = try MetadataCodec.decode(#"{"n": 4, "x": 4.0}"#, path: "metadata")
        #expect(metadata["n"] == .int(4))
        #expect(metadata["x"] == .double(4))
    }

    @Test func malformedJSONNamesTheOffset() throws {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": 01}"#) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": 1,}"#) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: #"{"a": "\ud800"}"#) }
        #expect(try JSONValue(parsing: #""\ud55c\uae00 \ud83d\ude00""#) == .string("한글 😀"))
    }

    @Test func parsesChromaGrammar() throws {
        let filter = try Filter(json: #"{"$and": [{"category": "오마카세"}, {"price": {"$lte": 150000}}, {"tags": {"$contains": "런치"}}]}"#)
        #expect(filter == .and([.field("category", .eq(.string("오마카세"))), .field("price", .lte(.int(150000))),
                                .field("tags", .contains(.string("런치")))]))
        #expect(try Filter(json: filter.json) == filter)
        #expect(try Filter(json: #"{"a": 1, "b": {"$in": [1, 2.5]}}"#) == .and([.field("a", .eq(.int(1))), .field("b", .isIn([.int(1), .double(2.5)]))]))
        #expect(try DocumentFilter(json: #"{"$or": [{"$contains": "스시"}, {"$not_contains": "웨이팅"}]}"#) == .or([.contains("스시"), .notContains("웨이팅")]))
    }

    @Test(arguments: [
        (#"{"$and": [{"a": 1}, {"price": {"$gt": "cheap"}}]}"#, "where.$and[1].price", "$gt needs a number"),
        (#"{"price": {"$between": [1, 2]}}"#, "where.price.$between", "unknown operator"),
        (#"{"$not": [{"a": 1}]}"#, "where.$not", "unknown logical operator"),
        (#"{"$or": []}"#, "where.$or", "non-empty list"),
        (#"{"a": {"$in": [1, {"b": 2}]}}"#, "where.a.$in[1]", "$in needs a string, number or boolean"),
        (#"{"a": {"$eq": 1, "$ne": 2}}"#, "where.a", "exactly one operator"),
        (#"{"a": null}"#, "where.a", "got null"),
        (#"[1]"#, "where", "expected an object"),
    ])
    func malformedFiltersNameTheBadPart(json: String, path: String, reason: String) {
        #expect {
            try Filter(json: json)
        } throws: { error in
            guard let error = error as? FilterError else { return false }
            return error.path == path && error.reason.contains(reason)
        }
    }

    @Test func documentFilterErrors() {
        #expect(throws: FilterError(path: "where_document.$contains", reason: "$contains needs a string, got an integer")) {
            try DocumentFilter(json: #"{"$contains": 3}"#)
        }
    }

    @Test func numbersCompareNumericallyAcrossTypes() throws {
        let metadata: Metadata = ["i": .int(4), "d": .double(4.0), "big": .int(9_007_199_254_740_993), "flag": .bool(true), "s": .string("4")]
        #expect(try Filter(json: #"{"d": 4}"#).matches(metadata))
        #expect(try Filter(json: #"{"i": 4.0}"#).matches(metadata))
        #expect(try Filter(json: #"{"i": {"$gt": 3.5}}"#).matches(metadata))
        #expect(try !Filter(json: #"{"i": {"$gt": 4.0}}"#).matches(metadata))
        // Exact: 2^53 + 1 is above the double 2^53, though converting the integer would round it down.
        #expect(try Filter(json: #"{"big": {"$gt": 9007199254740992.0}}"#).matches(metadata))
        #expect(try !Filter(json: #"{"flag": 1}"#).matches(metadata))
        #expect(try !Filter(json: #"{"s": 4}"#).matches(metadata))
        #expect(try Filter(json: #"{"missing": {"$ne": 4}}"#).matches(metadata))
        #expect(try !Filter(json: #"{"missing": {"$lt": 4}}"#).matches(metadata))
    }
}

@Suite(.needsSharedData) struct FilterStoreTests {
    /// Random records and random filters: the store (metadata through SQLite, `Filter` over it)
    /// must select exactly what the independent reference evaluator selects.
    @Test func storeAgreesWithBruteForce() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(300)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        let stored = try await store.get(from: "c")
        #expect(stored.count == records.count)
        let metadataJSON = stored.map { record in record.metadata.mapValues(\.json) }
        var rng = SeededRandom(seed: 7)
        var nonTrivial = 0
        for _ in 0..<250 {
            let json = FilterReference.randomFilter(&rng)
            let documentJSON: JSONValue? = rng.chance(0.2)
                ? .object([rng.chance(0.5) ? "$contains" : "$not_contains": .string(["대한민국", "법률", "의", "년"][rng.below(4)])]) : nil
            let filter = try Filter(json: json)
            let documentFilter = try documentJSON.map { try DocumentFilter(json: $0) }
            let expected = Set(zip(stored, metadataJSON).filter { record, metadata in
                FilterReference.matches(json, metadata) && (documentJSON.map { FilterReference.matchesDocument($0, record.document) } ?? true)
            }.map(\.0.id))
            let got = try await store.get(where: filter, document: documentFilter, from: "c").map(\.id)
            #expect(Set(got) == expected, "filter \(json.jsonText) \(documentJSON?.jsonText ?? "")")
            #expect(got.count == Set(got).count)
            if !expected.isEmpty && expected.count < records.count { nonTrivial += 1 }
        }
        #expect(nonTrivial > 100, "random filters should mostly select a proper subset")
        try await store.close()
    }
}

/// `$regex` matching is bounded: a pattern that backtracks exponentially fails the search with a
/// filter error naming the pattern instead of stalling it (found by the fuzz harness).
@Suite struct RegexLimitTests {
    @Test func catastrophicBacktrackingIsAnErrorNotAStall() async throws {
        let filter = try DocumentFilter(json: #"{"$regex": "(a+)+$"}"#)
        #expect(try filter.matches("aaaa"))
        let start = ContinuousClock.now
        #expect(throws: FilterError.self) { try filter.matches(String(repeating: "a", count: 40) + "!") }
        #expect(ContinuousClock.now - start < .seconds(30), "without the step limit this takes days")

        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 2))
        try await store.upsert([Record(id: "x", document: String(repeating: "a", count: 40) + "!", embedding: [1, 0])], into: "c")
        await #expect(throws: StoreError.self) { try await store.get(where: nil, document: filter, from: "c") }
        await #expect(throws: StoreError.self) {
            try await store.search(SearchQuery(vector: [1, 0], k: 1, documentFilter: filter, mode: .dense), in: "c")
        }
        // An ordinary pattern on the same document still matches.
        #expect(try await store.get(where: nil, document: try DocumentFilter(json: #"{"$regex": "a+!$"}"#), from: "c").count == 1)
        try await store.close()
    }
}
