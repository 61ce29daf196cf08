import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// Snapshots are trusted only for the exact store state they were built from and only when
/// every byte checks out; whoever rebuilds one publishes it (issue 12, defects 4, 5 and 8).
@Suite(.needsSharedData) struct SnapshotTrustTests {
    static func replaceDatabase(in store: URL, with file: URL) throws {
        let target = store.appendingPathComponent("store.sqlite")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: file, to: target)
    }

    static func ids(_ hits: [SearchHit]) -> [String] { hits.map(\.id) }

    /// Defect 4: another store's database at the same seq (copied over this one) must not be
    /// searched through this store's snapshot.
    @Test func snapshotOfAnotherStoreAtTheSameSeqIsRebuilt() async throws {
        let records = try Fixtures.records(80)
        let (x, xURL) = try Store.temporary()
        let (y, yURL) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: xURL); try? FileManager.default.removeItem(at: yURL) }
        for (store, part) in [(x, records[0..<40]), (y, records[40..<80])] {
            try await store.createCollection("c", configuration: .init(dimension: 384))
            try await store.upsert(Array(part), into: "c")
            try await store.close()
        }
        #expect(IndexSnapshot.readManifest(in: xURL.appendingPathComponent("indexes/1"))?.seq == 2)
        // Same seq, same collection id, same keys 1...40: only the binding tells them apart.
        try Self.replaceDatabase(in: xURL, with: yURL.appendingPathComponent("store.sqlite"))

        let reader = try Store(directory: xURL, mode: .readOnly)
        for probe in [records[50], records[65]] {
            let hits = try await reader.search(SearchQuery(text: probe.document, vector: probe.embedding, k: 3), in: "c")
            #expect(hits.first?.id == probe.id, "\(Self.ids(hits))")
        }
        let old = records[10]
        let hits = try await reader.search(SearchQuery(text: old.document, vector: old.embedding, k: 10), in: "c")
        #expect(!Self.ids(hits).contains(old.id), "a record of the other store was served: \(Self.ids(hits))")
        let activity = await reader.indexActivity
        #expect(activity.rebuilds == 1 && activity.snapshotsLoaded == 0)
        try await reader.checkIndexInvariants("c")
        try await reader.close()
    }

    /// Defect 4: a volume rolled back to an older copy and written again reaches the same seq
    /// by other batches; neither the writer's close nor readers may keep the newer snapshot.
    @Test func rolledBackDatabaseAtTheSameSeqIsRebuilt() async throws {
        let records = try Fixtures.records(80)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(Array(records[0..<40]), into: "c")
        try await store.close()
        let volumeCopy = url.appendingPathComponent("volume-copy.sqlite")
        try FileManager.default.copyItem(at: url.appendingPathComponent("store.sqlite"), to: volumeCopy)

        let first = try Store(directory: url)
        try await first.upsert(Array(records[40..<60]), into: "c")     // seq 3, published at close
        try await first.close()
        try Self.replaceDatabase(in: url, with: volumeCopy)              // back to seq 2
        let second = try Store(directory: url)
        try await second.upsert(Array(records[60..<80]), into: "c")    // another seq 3
        try await second.close()
        let manifest = try #require(IndexSnapshot.readManifest(in: url.appendingPathComponent("indexes/1")))
        #expect(manifest.seq == 3 && manifest.sparseCount == 60, "the writer must republish: \(manifest)")

        let reader = try Store(directory: url, mode: .readOnly)
        let lost = records[45], kept = records[65]
        let lostHits = try await reader.search(SearchQuery(text: lost.document, vector: lost.embedding, k: 10), in: "c")
        #expect(!Self.ids(lostHits).contains(lost.id), "\(Self.ids(lostHits))")
        let keptHits = try await reader.search(SearchQuery(text: kept.document, vector: kept.embedding, k: 3), in: "c")
        #expect(keptHits.first?.id == kept.id)
        try await reader.checkIndexInvariants("c")
        try await reader.close()
    }

    /// Defect 4, in one process: a reader holding indexes notices that the database file was
    /// rolled back and written again (same generation, a seq past its own reached by other
    /// commits) instead of applying only the newer changes on top of records that are gone.
    @Test func openReaderNoticesARolledBackDatabase() async throws {
        let records = try Fixtures.records(60)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(Array(records[0..<20]), into: "c")
        try await store.close()
        let volumeCopy = url.appendingPathComponent("volume-copy.sqlite")
        try FileManager.default.copyItem(at: url.appendingPathComponent("store.sqlite"), to: volumeCopy)
        let writer = try Store(directory: url)
        try await writer.upsert(Array(records[20..<40]), into: "c")
        try await writer.close()

        let reader = try Store(directory: url, mode: .readOnly)
        let probe = SearchQuery(text: records[25].document, vector: records[25].embedding, k: 3)
        #expect(try await reader.search(probe, in: "c").first?.id == records[25].id)
        // Rolled back in place (the reader's connection keeps the file open).
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent("store.sqlite"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(contentsOf: volumeCopy))
        try handle.close()
        let again = try Store(directory: url)
        try await again.upsert(Array(records[40..<50]), into: "c")
        try await again.upsert(Array(records[50..<60]), into: "c")
        try await again.close()
        let hits = try await reader.search(probe, in: "c")
        #expect(!Self.ids(hits).contains(records[25].id), "\(Self.ids(hits))")
        // Written at seq 3 of the second history: an index that only applied seq > 3 lacks it.
        let second = records[45]
        let found = try await reader.search(SearchQuery(vector: second.embedding, k: 3, mode: .dense), in: "c")
        #expect(found.first?.id == second.id, "\(Self.ids(found))")
        try await reader.checkIndexInvariants("c")
        try await reader.close()
    }

    /// Defect 5: flipped bytes anywhere in either file (the vector file's vectors and links
    /// included) or in the manifest are detected; the rebuilt indexes answer like a fresh build.
    @Test func damageAnywhereInASnapshotIsDetectedAndRebuilt() async throws {
        // Past the dense index's flat limit, so the vector file holds an HNSW graph.
        let records = try Fixtures.records(2_100)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        try await store.close()
        let directory = url.appendingPathComponent("indexes/1")
        let manifest = try #require(IndexSnapshot.readManifest(in: directory))

        func answers(expectRebuild: Bool) async throws -> [[SearchHit]] {
            let reader = try Store(directory: url, mode: .readOnly)
            var out: [[SearchHit]] = []
            for i in stride(from: 7, to: 2_100, by: 300) {
                out.append(try await reader.search(SearchQuery(text: records[i].document, vector: records[i].embedding, k: 10,
                                                               mode: .dense), in: "c"))
                out.append(try await reader.search(SearchQuery(text: records[i].document, k: 10, mode: .sparse), in: "c"))
            }
            let activity = await reader.indexActivity
            #expect(activity.rebuilds == (expectRebuild ? 1 : 0) && activity.snapshotsLoaded == (expectRebuild ? 0 : 1), "\(activity)")
            try await reader.close()
            return out
        }
        let expected = try await answers(expectRebuild: false)

        // The file holds an HNSW graph whose first section is the vectors and layer-0 links.
        let dense = directory.appendingPathComponent(manifest.denseFile)
        let original = try Data(contentsOf: dense)
        let level0Start = 512, level0Length = 2_100 * (384 + 1 + 2 * 16) * 4
        for offset in [level0Start + 1_000, level0Start + level0Length / 2, level0Start + level0Length - 40] {
            var bytes = original
            for i in offset..<(offset + 4) { bytes[i] ^= 0x5A }
            try bytes.write(to: dense)
            #expect(IndexSnapshot.load(from: directory, configuration: .init(dimension: 384)) { _ in manifest.binding } == nil,
                    "damage at byte \(offset) went unnoticed")
        }
        try original.write(to: dense)
        #expect(IndexSnapshot.load(from: directory, configuration: .init(dimension: 384)) { _ in manifest.binding } != nil)

        // Damage in the vector file: rebuilt, same answers; the reader republished it.
        var bytes = original
        bytes[level0Start + level0Length / 3] ^= 0x01
        try bytes.write(to: dense)
        #expect(try await answers(expectRebuild: true) == expected)
        #expect(try await answers(expectRebuild: false) == expected, "the rebuilding reader should have published")

        // Damage in the BM25 file.
        let published = try #require(IndexSnapshot.readManifest(in: directory))
        let sparse = directory.appendingPathComponent(published.sparseFile)
        var sparseBytes = try Data(contentsOf: sparse)
        sparseBytes[sparseBytes.count / 2] ^= 0x10
        try sparseBytes.write(to: sparse)
        #expect(try await answers(expectRebuild: true) == expected)

        // Damage in the manifest (a count changed by hand).
        let manifestURL = directory.appendingPathComponent("manifest.json")
        let text = try String(contentsOf: manifestURL, encoding: .utf8)
        let current = try #require(IndexSnapshot.readManifest(in: directory))
        try text.replacingOccurrences(of: "\"sparseCount\" : \(current.sparseCount)", with: "\"sparseCount\" : \(current.sparseCount - 1)")
            .write(to: manifestURL, atomically: false, encoding: .utf8)
        #expect(IndexSnapshot.readManifest(in: directory) == nil)
        #expect(try await answers(expectRebuild: true) == expected)
    }

    /// Defect 8: after a writer's snapshots are lost, the first reader process rebuilds and
    /// publishes; the next reader loads that snapshot instead of rebuilding.
    @Test func readerProcessPublishesWhatItRebuilt() async throws {
        let records = try Fixtures.records(300)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        try await store.close()
        try FileManager.default.removeItem(at: url.appendingPathComponent("indexes"))

        let arguments = ["search", "--store", url.path, "--collection", "c", "--text", records[5].document ?? "", "--index-activity"]
        let search = try StoreDurabilityTests.run(arguments)
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stderr.contains(#"index activity: {"changes_applied":300,"rebuilds":1,"snapshots_loaded":0,"snapshots_published":1}"#),
                "\(search.stderr)")
        let manifest = try #require(IndexSnapshot.readManifest(in: url.appendingPathComponent("indexes/1")), "the reader did not publish")
        #expect(manifest.seq == 2 && manifest.sparseCount == 300)

        // The next reader process loads that snapshot: nothing rebuilt, nothing applied.
        let next = try StoreDurabilityTests.run(arguments)
        #expect(next.stderr.contains(#"index activity: {"changes_applied":0,"rebuilds":0,"snapshots_loaded":1,"snapshots_published":0}"#),
                "\(next.stderr)")

        let second = try Store(directory: url, mode: .readOnly)
        let hits = try await second.search(SearchQuery(text: records[5].document, vector: records[5].embedding, k: 3), in: "c")
        #expect(hits.first?.id == records[5].id)
        #expect(await second.indexActivity == IndexActivity(snapshotsLoaded: 1, rebuilds: 0, changesApplied: 0, snapshotsPublished: 0))

        // A reader that rebuilt publishes once, not again after every small batch.
        try FileManager.default.removeItem(at: url.appendingPathComponent("indexes"))
        let third = try Store(directory: url, mode: .readOnly)
        _ = try await third.search(SearchQuery(text: records[5].document, k: 3), in: "c")
        let writer = try Store(directory: url)
        try await writer.delete(ids: [records[6].id], from: "c")
        let afterDelete = try await third.search(SearchQuery(text: records[6].document, k: 3), in: "c")
        #expect(!Self.ids(afterDelete).contains(records[6].id))
        #expect(await third.indexActivity == IndexActivity(snapshotsLoaded: 0, rebuilds: 1, changesApplied: 301, snapshotsPublished: 1))
        _ = try await second.search(SearchQuery(text: records[5].document, k: 3), in: "c")
        #expect(await second.indexActivity.snapshotsPublished == 0)
        try await writer.close()
        try await third.close()
        try await second.close()
    }

    /// Defect 8: a reader that caught up a long backlog publishes, without going back past a
    /// newer snapshot; a writer publishes during a long ingest, not only at close.
    @Test func writerPublishesDuringIngestAndReadersPublishCatchUps() async throws {
        let records = try Fixtures.records(400)
        let (writer, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        await writer.setPublishThresholds(writer: 150, reader: 50)
        try await writer.createCollection("c", configuration: .init(dimension: 384))
        let directory = url.appendingPathComponent("indexes/1")
        for start in stride(from: 0, to: 200, by: 50) {
            try await writer.upsert(Array(records[start..<(start + 50)]), into: "c")
        }
        // 150 records written: the writer has published while still open.
        let during = try #require(IndexSnapshot.readManifest(in: directory), "no snapshot during the ingest")
        #expect(during.sparseCount >= 150)

        let reader = try Store(directory: url, mode: .readOnly)
        await reader.setPublishThresholds(writer: 150, reader: 50)
        for start in stride(from: 200, to: 400, by: 50) {
            try await writer.upsert(Array(records[start..<(start + 50)]), into: "c")
        }
        // The reader loads the writer's snapshot and catches up the rest (>= 50): it publishes.
        let probe = records[390]
        #expect(try await reader.search(SearchQuery(text: probe.document, vector: probe.embedding, k: 3), in: "c").first?.id == probe.id)
        let activity = await reader.indexActivity
        #expect(activity.snapshotsLoaded == 1 && activity.rebuilds == 0 && activity.snapshotsPublished == 1, "\(activity)")
        #expect(IndexSnapshot.readManifest(in: directory)?.sparseCount == 400)
        try await reader.close()

        let next = try Store(directory: url, mode: .readOnly)
        _ = try await next.search(SearchQuery(text: probe.document, k: 3), in: "c")
        #expect(await next.indexActivity.changesApplied == 0)
        try await next.close()
        try await writer.close()
        #expect(IndexSnapshot.readManifest(in: directory)?.sparseCount == 400)
    }

    /// Readers of one process that rebuilt the same state publish it once between them.
    @Test func readersOfOneStatePublishItOnce() async throws {
        let records = try Fixtures.records(200)
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        try await store.close()
        try FileManager.default.removeItem(at: url.appendingPathComponent("indexes"))
        let readers = try (0..<3).map { _ in try Store(directory: url, mode: .readOnly) }
        let query = SearchQuery(text: records[9].document, vector: records[9].embedding, k: 3)
        for _ in 0..<2 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in readers {
                    group.addTask {
                        let hits = try await reader.search(query, in: "c")
                        #expect(hits.first?.id == records[9].id)
                    }
                }
                try await group.waitForAll()
            }
        }
        var published = 0
        for reader in readers {
            published += await reader.indexActivity.snapshotsPublished
            try await reader.close()
        }
        #expect(published == 1)
    }

    /// The server's pattern: one writer and several readers in one process, searching and
    /// publishing concurrently; every answer is consistent and the final snapshot is complete.
    @Test func writerAndReadersInOneProcessPublishSafely() async throws {
        let records = try Fixtures.records(600)
        let (writer, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        await writer.setPublishThresholds(writer: 100, reader: 1)
        try await writer.createCollection("c", configuration: .init(dimension: 384))
        try await writer.upsert(Array(records[0..<100]), into: "c")
        let readers = try (0..<3).map { _ in try Store(directory: url, mode: .readOnly) }
        for reader in readers { await reader.setPublishThresholds(writer: 100, reader: 1) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for start in stride(from: 100, to: 600, by: 50) {
                    try await writer.upsert(Array(records[start..<(start + 50)]), into: "c")
                }
            }
            for (n, reader) in readers.enumerated() {
                group.addTask {
                    for i in stride(from: n, to: 100, by: 7) {
                        let hits = try await reader.search(SearchQuery(text: records[i].document, vector: records[i].embedding, k: 3), in: "c")
                        #expect(hits.first?.id == records[i].id)
                    }
                }
            }
            try await group.waitForAll()
        }
        try await writer.close()
        let last = try Store(directory: url, mode: .readOnly)
        try await last.checkIndexInvariants("c")
        #expect(await last.indexActivity.snapshotsLoaded == 1)
        #expect(IndexSnapshot.readManifest(in: url.appendingPathComponent("indexes/1"))?.sparseCount == 600)
        try await last.close()
        for reader in readers {
            try await reader.checkIndexInvariants("c")
            try await reader.close()
        }
    }
}
