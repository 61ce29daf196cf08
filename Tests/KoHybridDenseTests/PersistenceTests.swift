import Foundation
import Testing
import KoHybridTestSupport
@testable import KoHybridDense

@Suite struct PersistenceTests {
    @Test func roundTripGivesIdenticalResults() throws {
        let dir = SharedData.temporaryDirectory("kohybrid-dense")
        defer { try? FileManager.default.removeItem(at: dir) }
        let batch = try TestVectors.batch(826)
        let index = HNSWIndex(dimension: 384, metric: .cosine)
        try index.upsert(batch: batch, threads: 2)
        // Both kinds of removed slot survive: 100 consolidated (free), then 50 tombstones.
        for row in batch.prefix(100) { index.remove(key: row.key) }
        index.consolidateRemoved()
        for row in batch[100 ..< 150] { index.remove(key: row.key) }
        let url = dir.appendingPathComponent("c.hnsw")
        try index.write(to: url)
        let reopened = try HNSWIndex.open(url)
        try reopened.checkInvariants()
        #expect(reopened.graph.freeSlots.count == 100 && reopened.graph.tombstones.count == 50)
        #expect(reopened.count == index.count)
        #expect(reopened.parameters == index.parameters)
        let keys = Set((0 ..< 826).filter { $0 % 3 == 0 }.map(UInt64.init))
        for q in try TestVectors.queryVectors(50) {
            #expect(reopened.search(q, k: 10) == index.search(q, k: 10))
            #expect(reopened.search(q, k: 10, ef: 200, filter: VectorFilter(keys: keys)) == index.search(q, k: 10, ef: 200, filter: VectorFilter(keys: keys)))
        }
        // The mapped index keeps working as a normal one (copy-on-write; the file is untouched).
        let before = try Data(contentsOf: url)
        try reopened.upsert(batch: Array(batch.prefix(150)), threads: 2)
        try reopened.upsert(batch: try TestVectors.batch(50, firstKey: 10_000), threads: 1)
        try reopened.checkInvariants()
        #expect(reopened.count == 876)
        #expect(try Data(contentsOf: url) == before)
        // Writing over the open file's path is safe (rename), and the new file reopens.
        try reopened.write(to: url)
        #expect(try HNSWIndex.open(url).count == 876)
    }

    @Test func corruptOrTruncatedFilesGiveErrorsNamingTheFile() throws {
        let dir = SharedData.temporaryDirectory("kohybrid-dense")
        defer { try? FileManager.default.removeItem(at: dir) }
        let index = HNSWIndex(dimension: 384)
        try index.upsert(batch: try TestVectors.batch(200), threads: 1)
        let url = dir.appendingPathComponent("good.hnsw")
        try index.write(to: url)
        let bytes = try Data(contentsOf: url)

        func expectCorrupt(_ data: Data, _ name: String, mentioning words: String) throws {
            let bad = dir.appendingPathComponent(name)
            try data.write(to: bad)
            do {
                _ = try HNSWIndex.open(bad)
                Issue.record("\(name) opened")
            } catch {
                let message = "\(error)"
                #expect(message.contains(bad.path), "\(message)")
                #expect(message.contains(words), "\(message)")
            }
        }
        try expectCorrupt(bytes.prefix(bytes.count / 2), "truncated.hnsw", mentioning: "truncated")
        try expectCorrupt(bytes.prefix(100), "stub.hnsw", mentioning: "truncated")
        var flipped = bytes
        flipped[bytes.count - 10] ^= 0xFF
        try expectCorrupt(flipped, "flipped.hnsw", mentioning: "checksum")
        // A damaged vector is caught by the full check; the default open leaves vectors unread.
        let vectorByte = 512 + 300
        var damagedVector = bytes
        damagedVector[vectorByte] ^= 0xFF
        let damaged = dir.appendingPathComponent("vector.hnsw")
        try damagedVector.write(to: damaged)
        #expect(throws: VectorIndexError.corruptFile(path: damaged.path, reason: "checksum mismatch in section 'level0' (bytes 512..<\(512 + 200 * index.graph.recordWords * 4))")) {
            try HNSWIndex.open(damaged, verification: .full)
        }
        #expect(try HNSWIndex.open(damaged).count == 200)
        // Damaged layer-0 links: searches skip out-of-range ones instead of crashing.
        var damagedLinks = bytes
        for slot in 0 ..< 200 { damagedLinks[512 + slot * index.graph.recordWords * 4 + 5] = 0x7F }
        let linksURL = dir.appendingPathComponent("links.hnsw")
        try damagedLinks.write(to: linksURL)
        let survivor = try HNSWIndex.open(linksURL)
        // Each record's first link now points far outside the 200 slots: the full check names
        // that, and searches still answer k live records at their true distances.
        #expect(throws: VectorIndexError.self) { try survivor.checkInvariants() }
        let rows = try TestVectors.batch(200)
        let queries = try TestVectors.queryVectors(20)
        var found: [[VectorHit]] = []
        for q in queries {
            let hits = survivor.search(q, k: 5)
            found.append(hits)
            #expect(hits.count == 5 && Set(hits.map(\.key)).count == 5 && hits == hits.sorted())
            for hit in hits {
                let row = try #require(hit.key < 200 ? rows[Int(hit.key)].vector : nil, "key \(hit.key) was never stored")
                #expect(abs(Double(hit.distance) - BruteForce.distance(q, row, metric: .cosine)) < BruteForce.tolerance)
            }
        }
        // One link in 2M lost per node still leaves a navigable graph.
        let recall = BruteForce.recall(found, queries.map { BruteForce.search($0, k: 5, in: rows) })
        #expect(recall >= 0.9, "recall@5 with damaged links \(recall)")
        var header = bytes
        header[20] ^= 0x01
        try expectCorrupt(header, "header.hnsw", mentioning: "header checksum")
        try expectCorrupt(Data("not an index at all".utf8) + Data(count: 600), "text.hnsw", mentioning: "magic")
        #expect(throws: VectorIndexError.self) { try HNSWIndex.open(dir.appendingPathComponent("missing.hnsw")) }
    }

    @Test func flatAndDenseIndexesRoundTrip() throws {
        let dir = SharedData.temporaryDirectory("kohybrid-dense")
        defer { try? FileManager.default.removeItem(at: dir) }
        let flat = FlatIndex(dimension: 384, metric: .l2)
        try flat.upsert(batch: try TestVectors.batch(300), threads: 1)
        flat.remove(key: 5)
        let url = dir.appendingPathComponent("f.flat")
        try flat.write(to: url)
        let reopened = try FlatIndex.open(url)
        try reopened.checkInvariants()
        #expect(reopened.metric == .l2)
        let dense = try DenseIndex.open(url)
        for q in try TestVectors.queryVectors(10) {
            #expect(reopened.search(q, k: 5) == flat.search(q, k: 5))
            #expect(dense.search(q, k: 5) == flat.search(q, k: 5))
        }
        #expect(throws: VectorIndexError.self) { try HNSWIndex.open(url) }
    }
}
