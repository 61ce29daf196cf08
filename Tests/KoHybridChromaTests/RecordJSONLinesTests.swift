import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

@Suite struct RecordJSONLinesTests {
    @Test func lineShapeAndNumberForms() {
        let record = Record(id: "fd-001", document: "한우 \"안심\"\n스테이크",
                            metadata: ["price_krw": .int(90000), "rating": .double(4.0), "tiny": .double(1e-07),
                                       "michelin": .bool(false), "tags": .stringList(["코스", "와인 페어링"])],
                            embedding: [0.1, -2.5, 1e-07])
        #expect(RecordJSONLines.line(collection: "파인다이닝", record: record) ==
            #"{"collection":"파인다이닝","id":"fd-001","document":"한우 \"안심\"\n스테이크","metadata":{"michelin":false,"price_krw":90000,"rating":4.0,"tags":["코스","와인 페어링"],"tiny":1e-07},"embedding":[0.1,-2.5,1e-07]}"#)
        #expect(RecordJSONLines.line(collection: "c", record: Record(id: "x")) ==
            #"{"collection":"c","id":"x","document":null,"metadata":{},"embedding":null}"#)
    }

    /// Every record of every fixture collection (1.5.9 has list metadata, 2^40+7, 1e-07, "",
    /// emoji) written and read back: identical ids, documents, typed metadata and float bits.
    @Test(.needsSharedData) func everyFixtureRecordRoundTrips() throws {
        let source = try ChromaSource.open(ChromaFixture(version: "1.5.9").persist)
        let url = SharedData.temporaryDirectory("jsonl").appendingPathComponent("export.jsonl")
        var text = ""
        var originals: [String: [Record]] = [:]
        for summary in try source.collections() {
            let collection = try source.readCollection(named: summary.name)
            originals[summary.name] = collection.records
            for record in collection.records { text += RecordJSONLines.line(collection: summary.name, record: record) + "\n" }
        }
        try Data(text.utf8).write(to: url)
        let back = try ChromaSource.open(url)
        #expect(back.format == .jsonLines)
        let names = try back.collections().map(\.name)
        #expect(Set(names) == Set(originals.filter { !$0.value.isEmpty }.keys))
        for name in names {
            try expectSame(try back.readCollection(named: name).records, originals[name] ?? [], "jsonl \(name)")
        }
    }

    @Test func awkwardFloatsRoundTripBitForBit() throws {
        // A subnormal, the extremes, values whose float64 expansion is long.
        let values: [Float] = [.leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude, -0.0, 0.1, 1 / 3, 16_777_215, 0.6479061841964722]
        let url = SharedData.temporaryDirectory("jsonl").appendingPathComponent("floats.jsonl")
        try Data((RecordJSONLines.line(collection: "f", record: Record(id: "a", embedding: values)) + "\n").utf8).write(to: url)
        let back = try ChromaSource.open(url).readCollection(named: "f").records
        #expect(bits(back.first?.embedding) == bits(values))
    }
}
