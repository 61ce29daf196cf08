import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// The analyzer a collection is indexed with is recorded whole, with its fingerprint, in the
/// collection and in every snapshot manifest; a snapshot of other rules is rebuilt, never
/// searched (issue 13, item 4).
@Suite struct AnalyzerRecordTests {
    static let records = [
        Record(id: "a", document: "을지로 평양냉면은 육수가 맑다", metadata: ["title": .string("을지로 노포")], embedding: [1, 0, 0]),
        Record(id: "b", document: "스시오마카세 런치 코스", metadata: ["title": .string("평양 출신 셰프")], embedding: [0, 1, 0]),
        Record(id: "c", document: "해운대 돼지국밥 맛집", embedding: [0, 0, 1]),
    ]

    static func ids(_ store: Store, _ text: String) async throws -> [String] {
        try await store.search(SearchQuery(text: text, k: 3, mode: .sparse), in: "c").map(\.id)
    }

    /// Rewrites the collection's configuration column, as another build would have left it.
    static func setStoredConfiguration(_ json: String, in store: URL) throws {
        let database = try StoreDatabase(path: store.appendingPathComponent("store.sqlite").path, readOnly: false)
        defer { database.close() }
        try database.prepare("UPDATE collections SET configuration = ?1").run(.text(json))
    }

    static func storedConfiguration(in store: URL) throws -> String {
        let database = try StoreDatabase(path: store.appendingPathComponent("store.sqlite").path, readOnly: true)
        defer { database.close() }
        let statement = try database.prepare("SELECT configuration FROM collections")
        defer { statement.reset() }
        _ = try statement.step()
        return statement.text(0) ?? ""
    }

    /// A snapshot whose manifest names other analyzer rules (another release's) is rebuilt from
    /// the records, reported by `check`, and republished with this build's fingerprint.
    @Test func snapshotOfOtherAnalyzerRulesIsRebuiltNotLoaded() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 3))
        try await store.upsert(Self.records, into: "c")
        try await store.close()
        let directory = url.appendingPathComponent("indexes/1")
        var manifest = try #require(IndexSnapshot.readManifest(in: directory))
        #expect(manifest.analyzerFingerprint == AnalyzerConfiguration.korean.fingerprint)

        // The same snapshot, now claiming other rules: a correct checksum, so only the
        // fingerprint can reject it.
        manifest.analyzerFingerprint = "0123456789abcdef"
        manifest.checksum = manifest.computedChecksum
        try Data(manifest.encoded()).write(to: directory.appendingPathComponent(IndexSnapshot.manifestName))
        let checker = try Store(directory: url, mode: .readOnly)
        let report = try await checker.check()
        try await checker.close()
        #expect(report.problems.contains { $0.message.contains("analyzer rules 0123456789abcdef") }, "\(report)")

        let reader = try Store(directory: url, mode: .readOnly)
        #expect(try await Self.ids(reader, "평양냉면") == ["a"])
        let activity = await reader.indexActivity
        #expect(activity.rebuilds == 1 && activity.snapshotsLoaded == 0 && activity.snapshotsPublished == 1, "\(activity)")
        try await reader.close()
        #expect(IndexSnapshot.readManifest(in: directory)?.analyzerFingerprint == AnalyzerConfiguration.korean.fingerprint)

        let again = try Store(directory: url, mode: .readOnly)
        _ = try await Self.ids(again, "냉면")
        #expect(await again.indexActivity.snapshotsLoaded == 1)
        try await again.close()
    }

    /// The end-to-end case: documents indexed under one dictionary, the collection's stored
    /// analyzer changed: searches see the new rules on documents and queries alike.
    @Test func changedRulesReindexTheDocuments() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 3, analyzer: .koreanNoBigrams))
        try await store.upsert(Self.records, into: "c")
        try await store.close()
        // 냉면 is not a word of any document under the bundled dictionary...
        let before = try Store(directory: url, mode: .readOnly)
        #expect(try await Self.ids(before, "냉면").isEmpty)
        try await before.close()

        var configuration = CollectionConfiguration(dimension: 3, analyzer: .koreanNoBigrams)
        configuration.analyzerConfiguration.dictionary?.splits["평양냉면"] = ["평양", "냉면"]
        try Self.setStoredConfiguration(configuration.storedJSON, in: url)
        let after = try Store(directory: url, mode: .readOnly)
        // ...with the split, 냉면 is a word of "a": the index was rebuilt
        // with the stored rules, not loaded from the snapshot of the old ones.
        #expect(try await Self.ids(after, "냉면") == ["a"])
        #expect(await after.indexActivity.rebuilds == 1)
        try await after.close()
    }

    /// A collection stored before analyzer configurations were has its preset's (this build's);
    /// the next write records the configuration and fingerprint, as after a release whose
    /// rules differ.
    @Test func olderRowsReadAsTheirPresetAndAWriteRecordsTheRules() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 3, analyzer: .koreanNoBigrams))
        try await store.close()
        let old = #"{"analyzer":"korean-no-bigrams","bm25":{"b":0.75,"fieldWeights":{"bigram":0.75,"word":1},"k1":1.2},"dimension":3,"hnsw":{"efConstruction":200,"efSearch":64,"m":16,"seed":1},"metric":"cosine"}"#
        try Self.setStoredConfiguration(old, in: url)

        let writer = try Store(directory: url)
        let read = try await writer.configuration(of: "c")
        #expect(read.analyzerConfiguration == AnalyzerPreset.koreanNoBigrams.configuration && read.recordedAnalyzerFingerprint == nil)
        #expect(read.bm25 == BM25Parameters())
        try await writer.upsert(Self.records, into: "c")
        try await writer.close()
        let recorded = try CollectionConfiguration(storedJSON: try Self.storedConfiguration(in: url), metadata: [:], name: "c")
        #expect(recorded == read && recorded.recordedAnalyzerFingerprint == AnalyzerPreset.koreanNoBigrams.configuration.fingerprint)

        // Recorded by a build with other rules: rewritten by the next write, nothing else changed.
        try Self.setStoredConfiguration(try Self.storedConfiguration(in: url)
            .replacingOccurrences(of: recorded.analyzerFingerprint, with: "ffffffffffffffff"), in: url)
        let next = try Store(directory: url)
        #expect(try await next.configuration(of: "c").recordedAnalyzerFingerprint == "ffffffffffffffff")
        try await next.upsert([Self.records[0]], into: "c")
        #expect(try await Self.ids(next, "평양냉면") == ["a"])
        try await next.close()
        let rewritten = try CollectionConfiguration(storedJSON: try Self.storedConfiguration(in: url), metadata: [:], name: "c")
        #expect(rewritten == read && rewritten.recordedAnalyzerFingerprint == recorded.analyzerFingerprint)
    }

    /// A user dictionary read from a file is stored with the collection: the store keeps
    /// working, with the same terms, after the file is gone.
    @Test func userDictionaryOutlivesItsFile() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let file = url.appendingPathComponent("noodles.dic")
        try Data("# 면 요리\n평양냉면 평양 냉면\n".utf8).write(to: file)
        var analyzer = AnalyzerConfiguration.korean
        analyzer.dictionary = try UserDictionary(contentsOf: file)
        analyzer.bigrams = false
        try await store.createCollection("c", configuration: .init(dimension: 3, analyzerConfiguration: analyzer))
        try await store.upsert(Self.records, into: "c")
        try await store.close()
        try FileManager.default.removeItem(at: file)

        let reader = try Store(directory: url, mode: .readOnly)
        let stored = try await reader.configuration(of: "c")
        #expect(stored.analyzerConfiguration == analyzer && stored.analyzerConfiguration.dictionary?.source == file.path)
        #expect(try await Self.ids(reader, "냉면") == ["a"])
        #expect(await reader.indexActivity.snapshotsLoaded == 1)
        try await reader.close()
    }

    /// BM25 fields are data: a title field read from metadata makes title words findable, and
    /// its weight counts; fields that cannot work are refused when the collection is created.
    @Test func metadataFieldsAreIndexed() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        var bm25 = BM25Parameters()
        bm25.fields.append(BM25Field("title.word", part: "title", terms: .word, weight: 2))
        try await store.createCollection("c", configuration: .init(dimension: 3, bm25: bm25))
        try await store.upsert(Self.records, into: "c")
        // 노포 is only in a's title; 평양 is a word of b's title and a bigram of a's document.
        #expect(try await Self.ids(store, "노포") == ["a"])
        #expect(try await Self.ids(store, "평양").first == "b")
        try await store.close()
        let reader = try Store(directory: url, mode: .readOnly)
        #expect(try await Self.ids(reader, "노포") == ["a"])
        #expect(await reader.indexActivity.snapshotsLoaded == 1)
        try await reader.close()

        for (fields, reason) in [([BM25Field](), "1 to 255 fields"),
                                 (BM25Parameters.defaultFields + [BM25Field("word", terms: .bigram, weight: 1)], "two BM25 fields are named \"word\""),
                                 ([BM25Field("w", terms: .word, weight: -.infinity)], "weights are finite")] {
            let writer = try Store(directory: url)
            let error = await #expect(throws: StoreError.self) {
                try await writer.createCollection("bad", configuration: .init(dimension: 3, bm25: .init(fields: fields)))
            }
            #expect(error.map { "\($0)".contains(reason) } == true, "\(String(describing: error))")
            try await writer.close()
        }
    }
}
