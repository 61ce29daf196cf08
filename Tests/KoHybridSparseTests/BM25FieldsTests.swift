import Foundation
import KoHybridAnalysis
import KoHybridDatasets
import KoHybridTestSupport
import Testing
@testable import KoHybridSparse

/// BM25 fields are a list (issue 13, item 4): any number, each a stream of one part with its
/// weight; the default two reproduce the two-field index exactly.
@Suite struct BM25FieldsTests {
    static let shops = try? BEIRCorpus.load(from: SharedData.repositoryRoot.appendingPathComponent("Corpora/shops"))
    static let titled = BM25Parameters.defaultFields + [BM25Field("title.word", part: "title", terms: .word, weight: 1.5),
                                                        BM25Field("title.bigram", part: "title", terms: .bigram, weight: 0.5)]

    /// Title and text of each shops document as separate parts.
    static func build(_ parameters: BM25Parameters, analyzer: Analyzer = Analyzer()) throws -> (BM25Index, [String]) {
        let corpus = try #require(shops)
        var index = BM25Index(parameters: parameters)
        for (i, document) in corpus.documents.enumerated() {
            index.upsert(key: UInt64(i), parts: [BM25Field.documentPart: analyzer.analyze(document.text),
                                                 "title": analyzer.analyze(document.title)])
        }
        return (index, corpus.queries.map(\.text))
    }

    @Test func defaultFieldsAreTheTwoStreamsOfTheDocument() throws {
        let analyzer = Analyzer()
        let (index, queries) = try Self.build(BM25Parameters(), analyzer: analyzer)
        // The title part feeds no default field, so upserting the text alone gives the same index.
        let corpus = try #require(Self.shops)
        var plain = BM25Index()
        for (i, document) in corpus.documents.enumerated() { plain.upsert(key: UInt64(i), terms: analyzer.analyze(document.text)) }
        for query in queries.prefix(100) {
            #expect(index.search(analyzer.analyze(query), k: 10) == plain.search(analyzer.analyze(query), k: 10))
        }
        #expect(BM25Parameters().fieldWeights == .init(word: 1, bigram: 0.75))
        #expect(BM25Parameters(fieldWeights: .init(word: 1, bigram: 0.75)) == BM25Parameters())
    }

    @Test func moreFieldsStayExactAndSurviveAWrite() throws {
        let analyzer = Analyzer()
        var (index, queries) = try Self.build(BM25Parameters(k1: 1.1, b: 0.7, fields: Self.titled), analyzer: analyzer)
        for key in stride(from: 0, to: 800, by: 9) { index.remove(key: UInt64(key)) }
        #expect(index.invariantViolations().isEmpty)
        let url = SharedData.temporaryDirectory("kohybrid-bm25-fields").appendingPathComponent("fields.bm25")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try index.write(to: url)
        let reopened = try BM25Index.open(url)
        #expect(reopened.parameters == index.parameters && reopened.count == index.count)
        #expect(reopened.invariantViolations().isEmpty)
        var titleHelps = 0
        let plain = try Self.build(BM25Parameters(k1: 1.1, b: 0.7), analyzer: analyzer).0
        for query in queries.prefix(150) {
            let terms = analyzer.analyze(query)
            let hits = index.search(terms, k: 10)
            // MaxScore over four fields is still exact, before and after the round trip.
            #expect(hits == index.exhaustiveSearch(terms, k: 10), "\(query)")
            #expect(reopened.search(terms, k: 10) == hits, "\(query)")
            if hits.first != plain.search(terms, k: 10).first { titleHelps += 1 }
        }
        #expect(titleHelps > 0, "the title fields changed no ranking")
    }

    @Test func aFieldWeightScalesItsScore() {
        let analyzer = Analyzer()
        func score(_ weight: Float) -> Float? {
            var index = BM25Index(parameters: BM25Parameters(fields: [BM25Field("title", part: "title", terms: .word, weight: weight)]))
            index.upsert(key: 1, parts: ["title": analyzer.analyze("을지로 노포"), BM25Field.documentPart: analyzer.analyze("냉면")])
            index.upsert(key: 2, parts: ["title": analyzer.analyze("해운대 국밥")])
            #expect(index.search(analyzer.analyze("냉면"), k: 5).isEmpty)     // the document part feeds no field
            return index.search(analyzer.analyze("노포"), k: 5).first?.score
        }
        let one = try? #require(score(1)), two = try? #require(score(2))
        #expect(one != nil && two != nil && abs(two! - 2 * one!) < 1e-5)
        #expect(score(0) == nil)
    }

    @Test func parametersReadTheTwoFieldFormAndWriteTheList() throws {
        let old = #"{"b":0.6,"fieldWeights":{"bigram":0.5,"word":1},"k1":1.5}"#
        let decoded = try JSONDecoder().decode(BM25Parameters.self, from: Data(old.utf8))
        #expect(decoded == BM25Parameters(k1: 1.5, b: 0.6, fieldWeights: .init(word: 1, bigram: 0.5)))
        #expect(decoded.fields.map(\.name) == ["word", "bigram"] && decoded.parts == [BM25Field.documentPart])
        let titled = BM25Parameters(fields: Self.titled)
        let json = try JSONEncoder().encode(titled)
        #expect(String(decoding: json, as: UTF8.self).contains(#""terms":"bigram""#))
        #expect(try JSONDecoder().decode(BM25Parameters.self, from: json) == titled)
        #expect(titled.parts == [BM25Field.documentPart, "title"])
        let unknown = #"{"b":0.6,"k1":1.5,"fields":[{"name":"x","part":"document","terms":"trigram","weight":1}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BM25Parameters.self, from: Data(unknown.utf8)) }
    }
}
