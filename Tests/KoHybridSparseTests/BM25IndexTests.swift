import KoHybridCore
import KoHybridDatasets
import Foundation
import Testing
import KoHybridAnalysis
import KoHybridTestSupport
@testable import KoHybridSparse

@Suite struct BM25IndexTests {
    /// Keys deliberately not equal to insertion order, so key and doc-number tie orders differ.
    static func key(_ i: Int) -> UInt64 { UInt64((i * 7919) % 10_007) }

    static func build(_ documents: [[Term]], parameters: BM25Parameters = .init(), skipping: Set<Int> = []) -> BM25Index {
        var index = BM25Index(parameters: parameters)
        for (i, terms) in documents.enumerated() where !skipping.contains(i) { index.upsert(key: key(i), terms: terms) }
        return index
    }

    @Test func smallExampleRanksTheRightDocument() {
        let analyzer = Analyzer()
        var index = BM25Index()
        index.upsert(key: 10, terms: analyzer.analyze("서울에서 유명한 스시오마카세 맛집"))
        index.upsert(key: 20, terms: analyzer.analyze("부산 해운대의 돼지국밥 맛집"))
        index.upsert(key: 30, terms: analyzer.analyze("서울 강남의 파인다이닝 코스 요리"))
        #expect(index.count == 3)
        let hits = index.search(analyzer.analyze("서울 오마카세"), k: 10)
        #expect(hits.first?.key == 10)
        #expect(hits.map(\.key).contains(30))
        #expect(!hits.map(\.key).contains(20))
        #expect(index.search(analyzer.analyze("없는단어"), k: 10).isEmpty)
        #expect(index.search([], k: 10).isEmpty)
        #expect(index.search(analyzer.analyze("서울"), k: 0).isEmpty)
        #expect(index.invariantViolations().isEmpty)
    }

    @Test
    func maxScoreEqualsExhaustiveOnRealAndRandomQueries() throws {
        let sample = try Fixtures.sample(documents: 800)
        let index = Self.build(sample.documents)
        #expect(index.invariantViolations().isEmpty)
        var generator = SplitMix64(seed: 42)
        let vocabulary = sample.documents.flatMap { $0 }
        var queries = sample.queries
        for _ in 0..<150 {
            let length = Int.random(in: 1...40, using: &generator)
            queries.append((0..<length).map { _ in vocabulary.randomElement(using: &generator)! })
        }
        for query in queries {
            for k in [1, 10, 50] {
                #expect(index.search(query, k: k) == index.exhaustiveSearch(query, k: k))
            }
        }
        // With a filter too.
        let even: (UInt64) -> Bool = { $0 % 2 == 0 }
        for query in queries.prefix(100) {
            let hits = index.search(query, k: 10, filter: even)
            #expect(hits == index.exhaustiveSearch(query, k: 10, filter: even))
            #expect(hits.allSatisfy { $0.key % 2 == 0 })
        }
    }

    /// The production window (4096 docs) exceeds the test samples, so this covers the code that
    /// moves between windows: small windows, after deletes and updates, with and without a filter.
    @Test(arguments: [64, 512])
    func maxScoreEqualsExhaustiveAcrossManyWindows(window: Int) throws {
        let sample = try Fixtures.sample(documents: 800)
        var index = Self.build(sample.documents)
        for i in stride(from: 0, to: 800, by: 5) { index.remove(key: Self.key(i)) }
        for i in stride(from: 1, to: 800, by: 11) { index.upsert(key: Self.key(i), terms: sample.documents[(i * 31) % 800]) }
        #expect(index.invariantViolations().isEmpty)
        var generator = SplitMix64(seed: 7)
        let vocabulary = sample.documents.flatMap { $0 }
        var queries = Array(sample.queries.prefix(150))
        for _ in 0..<60 {
            queries.append((0..<Int.random(in: 1...30, using: &generator)).map { _ in vocabulary.randomElement(using: &generator)! })
        }
        let odd: (UInt64) -> Bool = { $0 % 2 == 1 }
        for query in queries {
            for k in [1, 10] {
                #expect(index.search(query, k: k, filter: nil, window: window) == index.exhaustiveSearch(query, k: k))
            }
            #expect(index.search(query, k: 10, filter: odd, window: window) == index.exhaustiveSearch(query, k: 10, filter: odd))
        }
    }

    @Test func tiesAreBrokenByKeyAscending() {
        var index = BM25Index()
        let terms = Analyzer().analyze("같은 문서")
        for key: UInt64 in [50, 7, 300, 12] { index.upsert(key: key, terms: terms) }
        let hits = index.search(terms, k: 3)
        #expect(hits.map(\.key) == [7, 12, 50])
        #expect(Set(hits.map(\.score)).count == 1)
    }

    @Test
    func deletesAndUpdatesKeepStatisticsExact() throws {
        let sample = try Fixtures.sample(documents: 600)
        var index = Self.build(sample.documents)
        let removed = Set(stride(from: 0, to: 600, by: 3))
        for i in removed {
            let existed = index.remove(key: Self.key(i))
            #expect(existed)
        }
        let removedTwice = index.remove(key: Self.key(0))
        #expect(!removedTwice)
        // Replace a few documents with others' text, and back.
        index.upsert(key: Self.key(1), terms: sample.documents[2])
        index.upsert(key: Self.key(1), terms: sample.documents[1])
        #expect(index.invariantViolations().isEmpty)
        let fresh = Self.build(sample.documents, skipping: removed)
        #expect(index.count == fresh.count)
        #expect(!index.contains(key: Self.key(0)) && index.contains(key: Self.key(1)))
        for query in sample.queries {
            #expect(index.search(query, k: 10) == fresh.search(query, k: 10))
        }
    }

    @Test func compactionAfterManyDeletesKeepsResults() {
        let analyzer = Analyzer()
        let texts = ["서울 맛집", "부산 국밥", "대구 막창", "광주 떡갈비", "전주 비빔밥"]
        var index = BM25Index()
        for i in 0..<2200 { index.upsert(key: UInt64(i), terms: analyzer.analyze(texts[i % 5] + " \(i)")) }
        for i in 0..<2000 { index.remove(key: UInt64(i)) }   // crosses the compaction threshold
        var fresh = BM25Index()
        for i in 2000..<2200 { fresh.upsert(key: UInt64(i), terms: analyzer.analyze(texts[i % 5] + " \(i)")) }
        #expect(index.invariantViolations().isEmpty)
        #expect(index.docKeys.count < 2200)                    // compacted
        let query = analyzer.analyze("부산 국밥 2001")
        #expect(index.search(query, k: 10) == fresh.search(query, k: 10))
    }

    @Test
    func persistenceRoundTrip() throws {
        let sample = try Fixtures.sample(documents: 300)
        var index = Self.build(sample.documents, parameters: BM25Parameters(k1: 1.5, b: 0.6, fieldWeights: .init(word: 1, bigram: 0.7)))
        index.remove(key: Self.key(5))
        let url = SharedData.temporaryDirectory().appendingPathComponent("index.bm25")
        try index.write(to: url)
        try index.write(to: url)   // overwriting is atomic too
        let reopened = try BM25Index.open(url)
        #expect(reopened.parameters == index.parameters)
        #expect(reopened.count == index.count)
        #expect(reopened.invariantViolations().isEmpty)
        for query in sample.queries { #expect(reopened.search(query, k: 10) == index.search(query, k: 10)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(leftovers == ["index.bm25"])

        // An opened index takes changes like the one it was written from (its per-document term
        // lists are rebuilt on the first change).
        var changedOriginal = index, changedReopened = reopened
        changedOriginal.remove(key: Self.key(7))
        changedReopened.remove(key: Self.key(7))
        changedOriginal.upsert(key: Self.key(8), terms: sample.documents[3])
        changedReopened.upsert(key: Self.key(8), terms: sample.documents[3])
        #expect(changedReopened.invariantViolations().isEmpty)
        for query in sample.queries.prefix(50) {
            #expect(changedReopened.search(query, k: 10) == changedOriginal.search(query, k: 10))
        }
    }

    @Test func corruptOrTruncatedFilesAreClearErrors() throws {
        var index = BM25Index()
        index.upsert(key: 1, terms: Analyzer().analyze("서울에서 유명한 스시오마카세"))
        let directory = SharedData.temporaryDirectory()
        let url = directory.appendingPathComponent("index.bm25")
        try index.write(to: url)
        let good = try Data(contentsOf: url)

        var flipped = good
        flipped[good.count / 2] ^= 0xFF
        try flipped.write(to: url)
        #expect(throws: BM25Error.checksumMismatch(path: url.path)) { try BM25Index.open(url) }

        try good.prefix(good.count - 5).write(to: url)
        #expect(throws: BM25Error.self) { try BM25Index.open(url) }
        try good.prefix(6).write(to: url)
        #expect(throws: BM25Error.notAnIndex(path: url.path)) { try BM25Index.open(url) }
        try Data("not an index at all".utf8).write(to: url)
        #expect(throws: BM25Error.notAnIndex(path: url.path)) { try BM25Index.open(url) }

        let missing = directory.appendingPathComponent("missing.bm25")
        do { _ = try BM25Index.open(missing); Issue.record("opened a missing file") } catch {
            #expect(error.description.contains("missing.bm25"))
        }
    }
}

