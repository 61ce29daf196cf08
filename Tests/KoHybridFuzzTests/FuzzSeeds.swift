import Foundation

/// Real inputs the mutators start from: valid filters (the grammar `FilterTests` checks), the
/// Chroma fixtures' exports and pickles, and hand-made ingest lines. Shared with the libFuzzer
/// package (Fuzz/), which links this file; each side says where the fixtures are
/// (`FuzzSeeds.chromaFixtures`).
enum FuzzSeeds {
    static let filters: [String] = [
        #"{"category": "오마카세"}"#,
        #"{"$and": [{"category": "오마카세"}, {"price": {"$lte": 150000}}, {"tags": {"$contains": "런치"}}]}"#,
        #"{"a": 1, "b": {"$in": [1, 2.5]}}"#,
        #"{"$or": [{"rating": {"$gte": 4.5}}, {"michelin": true}, {"city": {"$ne": "부산"}}]}"#,
        #"{"price": {"$gt": 9223372036854775807}}"#,
        #"{"price": {"$lt": -1.5e10}}"#,
        #"{"tags": {"$not_contains": "웨이팅"}}"#,
        #"{"city": {"$nin": ["서울", "부산", 3, false]}}"#,
        #"{"$and": [{"$or": [{"a": {"$eq": "x"}}, {"b": {"$ne": 2}}]}, {"c": {"$lte": 0.25}}]}"#,
    ]

    static let documentFilters: [String] = [
        #"{"$contains": "스시"}"#,
        #"{"$or": [{"$contains": "스시"}, {"$not_contains": "웨이팅"}]}"#,
        #"{"$regex": "^성수"}"#,
        #"{"$not_regex": "오마카세$"}"#,
        #"{"$and": [{"$regex": "[가-힣]+ \\d{2,}"}, {"$not_contains": "휴무"}]}"#,
        #"{"$regex": "(?i)omakase|스시"}"#,
    ]

    /// Lines `kohybrid ingest` reads (Chroma-style JSONL).
    static let ingestLines: [String] = [
        #"{"id": "r1", "document": "성수동 오마카세, 런치 코스", "metadata": {"price": 120000, "rating": 4.5, "tags": ["런치", "스시"], "michelin": true}}"#,
        #"{"_id": 42, "text": "부산 돼지국밥", "metadata": {"city": "부산"}, "embedding": [0.25, -1.5, 3, 1e-7]}"#,
        #"{"id": "r3", "document": null, "metadata": null, "embedding": null}"#,
        #"{"id": "r4", "metadata": {"ratings": [4.0, 4.5], "flags": [true, false], "counts": [1, 2, 3]}}"#,
    ]

    static var chromaFixtureVersions: [String] {
        ["0.4.24", "0.5.23", "0.6.3", "1.0.21", "1.5.9", "0.4.24_then_1.5.9", "0.6.3_then_1.5.9"]
    }

    /// Whole JSON-lines files: hand-made ingest files and the cdp/kohybrid exports in the fixtures.
    static func jsonLinesFiles() -> [[UInt8]] {
        var files: [[UInt8]] = [Array(ingestLines.joined(separator: "\n").utf8)]
        files.append(Array(#"""
            {"collection":"sources","id":"s1","document":"스시 오마카세","metadata":{"price":120000,"rating":4.0},"embedding":[0.25,-1.5]}
            {"collection":"sources","id":"s2","document":null,"metadata":{},"embedding":[1.0,2.0]}
            {"collection":"other","id":"o1","document":"d","metadata":{"tags":["a","b"]},"embedding":[3,4]}
            """#.utf8))
        let exports = chromaFixtures.appendingPathComponent("exports")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: exports.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".jsonl") {
            if let data = try? Data(contentsOf: exports.appendingPathComponent(name)) {
                // A few records keep each execution fast; the shapes are what matter.
                files.append(Array(data.split(separator: 0x0A).prefix(4).joined(separator: [0x0A])))
            }
        }
        return files
    }

    /// `collection.get` dumps (`export_get_fine_dining.json`), cut to a few records.
    static func getDumps() -> [[UInt8]] {
        var dumps: [[UInt8]] = [Array(#"{"ids": ["a", "b"], "documents": ["스시", null], "metadatas": [{"p": 1}, null], "embeddings": [[0.5, 1], [2, -3.25]]}"#.utf8)]
        for version in chromaFixtureVersions {
            let url = chromaFixtures.appendingPathComponent(version).appendingPathComponent("export_get_fine_dining.json")
            if let data = try? Data(contentsOf: url) { dumps.append(Array(data)) }
        }
        return dumps
    }

    /// Every `index_metadata.pickle` of the fixtures (Python 0.4–0.6 objects, Rust 1.x dicts).
    static func pickles() -> [[UInt8]] {
        var pickles: [[UInt8]] = []
        for version in chromaFixtureVersions {
            let persist = chromaFixtures.appendingPathComponent(version).appendingPathComponent("persist")
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: persist.path)) ?? []
            for folder in folders.sorted() {
                let url = persist.appendingPathComponent(folder).appendingPathComponent("index_metadata.pickle")
                if let data = try? Data(contentsOf: url) { pickles.append(Array(data)) }
            }
        }
        return pickles
    }

    /// Pickle opcodes the reader knows, with plausible operands, for the token mutator.
    static let pickleTokens: [[UInt8]] = [
        [0x80, 0x05], [0x80, 0x03], [0x95, 0, 0, 0, 0, 0, 0, 0, 0], [0x2E], [0x28], [0x7D], [0x29], [0x4E], [0x88], [0x89],
        [0x4B, 0xFF], [0x4D, 0xFF, 0xFF], [0x4A, 0xFF, 0xFF, 0xFF, 0x7F], [0x4A, 0x00, 0x00, 0x00, 0x80],
        [0x8A, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], [0x8A, 0x09], [0x8A, 0x00], [0x8A, 0x01, 0x80],
        [0x8C, 0x01, 0x61], [0x8C, 0xFF], [0x58, 0xFF, 0xFF, 0xFF, 0xFF], [0x8D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
        [0x8D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x94], [0x71, 0x00], [0x72, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x68, 0x00], [0x6A, 0xFF, 0xFF, 0xFF, 0x7F], [0x93], [0x81], [0x62], [0x75], [0x73],
        [0x8C, 0x0B] + Array("label_to_id".utf8), [0x8C, 0x0B] + Array("id_to_label".utf8), [0x8C, 0x0A] + Array("max_seq_id".utf8),
    ]
}
