import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

/// Migrating every fixture into a real store: the store holds exactly the records of
/// expected.json, and dense search returns the exact nearest neighbours.
@Suite struct ChromaMigrationTests {
    func migrate(_ fixture: ChromaFixture, to target: URL, options: ChromaMigration.Options = .init()) async throws -> ChromaMigrationReport {
        try await ChromaMigration(source: try ChromaSource.open(fixture.persist), target: target, options: options).run()
    }

    @Test(.needsSharedData, arguments: ChromaFixture.versions.map(ChromaFixture.init))
    func storeHoldsExactlyTheExpectedRecords(_ fixture: ChromaFixture) async throws {
        let target = SharedData.temporaryDirectory("migrate-\(fixture.version)").appendingPathComponent("store")
        let report = try await migrate(fixture, to: target, options: .init(verify: true))
        let store = try Store(directory: target, mode: .readOnly)
        for want in try fixture.expected() {
            let entry = try #require(report.collections.first { $0.name == want.name })
            guard !want.records.isEmpty else {
                // Never written in Chroma: no dimension, so nothing a KoHybrid collection could hold.
                #expect(entry.status == .skipped && want.dimension == nil)
                continue
            }
            #expect(entry.read == want.records.count && entry.imported == want.records.count && entry.skipped.isEmpty)
            #expect(entry.differences == [], "\(fixture)/\(want.name): \(entry.differences ?? [])")
            let info = try await store.collection(named: want.name)
            #expect(info.configuration.metric.rawValue == want.space)
            #expect(info.configuration.dimension == want.dimension)
            #expect(info.configuration.metadata == want.metadata.filter { !$0.key.hasPrefix("hnsw:") })

            let stored = try await store.get(from: want.name, includeEmbeddings: true).sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            #expect(stored.map(\.id) == want.records.map(\.id))
            var roundTrips = 0
            for (mine, theirs) in zip(stored, want.records) {
                #expect(mine.document == theirs.document && mine.metadata == theirs.metadata, "\(fixture)/\(mine.id)")
                if bits(mine.embedding) == bits(theirs.embedding) { continue }
                // Same single allowed difference as the reader test (the cosine round trip).
                #expect(bits(mine.embedding.map(cosineRoundTrip)) == bits(theirs.embedding), "\(fixture)/\(mine.id) embedding")
                roundTrips += 1
            }
            #expect(roundTrips == fixture.expectedRoundTrips(want.name))
            try await expectExactDenseSearch(store, want, stored: stored, fixture: fixture)
        }
        try await store.close()
    }

    /// Dense-only search for each query chromadb recorded must return the exact k nearest
    /// neighbours (brute force here, float64, Chroma's distances: squared L2, 1 − cosine).
    /// Chroma's own recorded answers are approximate where it searched with a small ef (0.4/0.5:
    /// ef_search 10); they are compared with exact search and any miss is counted, not copied.
    func expectExactDenseSearch(_ store: Store, _ want: ChromaFixture.Collection, stored: [Record],
                                fixture: ChromaFixture) async throws {
        let cosine = want.space == "cosine"
        func distance(_ a: [Float], _ b: [Float]) -> Double {
            if cosine {
                var dot = 0.0, na = 0.0, nb = 0.0
                for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
                return 1 - dot / (na.squareRoot() * nb.squareRoot())
            }
            return zip(a, b).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
        }
        var chromaMisses = 0
        for query in want.queries where !query.embedding.isEmpty {
            let k = query.ids.count
            let exact = stored.map { (id: $0.id, d: distance(query.embedding, $0.embedding ?? [])) }.sorted { $0.d < $1.d }
            let kth = exact[k - 1].d
            let tolerance = 1e-5 * max(1, abs(kth))
            let hits = try await store.search(SearchQuery(vector: query.embedding, k: k, mode: .dense), in: want.name)
            #expect(hits.count == k)
            #expect(Set(hits.map(\.id)).count == k)
            let exactDistance = Dictionary(uniqueKeysWithValues: exact.map { ($0.id, $0.d) })
            for hit in hits {
                // Any id at or within the k-th exact distance is a true nearest neighbour (ties allowed).
                #expect((exactDistance[hit.id] ?? .infinity) <= kth + tolerance, "\(fixture)/\(want.name): \(hit.id) is not among the exact \(k) nearest")
            }
            if query.ids.contains(where: { (exactDistance[$0] ?? .infinity) > kth + tolerance }) { chromaMisses += 1 }
        }
        // chromadb 0.4.24 and 0.5.23 searched `sources` (300 vectors, 384-d) with ef_search 10 and
        // recorded neighbours that are not the nearest (read_without_chroma.py marks them
        // "hnsw-approx"); the store returns the exact ones above. Everywhere else Chroma was exact.
        let chromaWasApproximate = ["0.4.24", "0.5.23"].contains(fixture.version) && want.name == "sources"
        #expect(chromaWasApproximate ? chromaMisses > 0 : chromaMisses == 0,
                "\(fixture)/\(want.name): Chroma's recorded answer missed exact neighbours in \(chromaMisses) queries")
    }

    @Test(.needsSharedData) func rerunIsIdempotent() async throws {
        let fixture = ChromaFixture(version: "1.5.9")
        let target = SharedData.temporaryDirectory("migrate-twice").appendingPathComponent("store")
        let first = try await migrate(fixture, to: target)
        let second = try await migrate(fixture, to: target, options: .init(verify: true))
        for (a, b) in zip(first.collections, second.collections) where a.status == .imported {
            #expect(a.created && !b.created)
            #expect(b.imported == a.imported && b.replaced == a.imported && b.differences == [])
        }
        let store = try Store(directory: target, mode: .readOnly)
        #expect(try await store.count(in: "sources") == 294)
        try await store.close()
    }

    @Test(.needsSharedData) func dryRunWritesNothing() async throws {
        let target = SharedData.temporaryDirectory("migrate-dry").appendingPathComponent("store")
        let report = try await migrate(ChromaFixture(version: "0.6.3"), to: target, options: .init(dryRun: true))
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(report.collections.first { $0.name == "sources" }?.read == 294)
        #expect(report.collections.allSatisfy { $0.imported == 0 && $0.status != .imported })
    }

    @Test(.needsSharedData) func selectedCollectionsOnly() async throws {
        let target = SharedData.temporaryDirectory("migrate-some").appendingPathComponent("store")
        _ = try await migrate(ChromaFixture(version: "0.5.23"), to: target, options: .init(collections: ["cosine_flushed"]))
        let store = try Store(directory: target, mode: .readOnly)
        #expect(try await store.collections().map(\.name) == ["cosine_flushed"])
        try await store.close()
        await #expect(throws: ChromaMigrationError.self) {
            _ = try await migrate(ChromaFixture(version: "0.5.23"), to: target, options: .init(collections: ["menus"]))
        }
    }

    /// A source that fails at its last collection (`sources`, whose pickle is cut in half).
    func brokenSource() throws -> ChromaSource {
        let persist = try ChromaFixture(version: "1.0.21").copyOfPersist()
        let folders = try FileManager.default.contentsOfDirectory(at: persist, includingPropertiesForKeys: nil)
        let segment = try #require(folders.first { (try? HNSWSegmentFiles(folder: $0))?.header.dimension == 384 })
        let pickle = segment.appendingPathComponent("index_metadata.pickle")
        let bytes = try Data(contentsOf: pickle)
        try bytes.prefix(bytes.count / 2).write(to: pickle)
        return try ChromaSource.open(persist)
    }

    @Test func interruptedRunLeavesNoNewTarget() async throws {
        let parent = SharedData.temporaryDirectory("migrate-fail-new")
        let target = parent.appendingPathComponent("store")
        await #expect(throws: ChromaMigrationError.self) {
            _ = try await ChromaMigration(source: try brokenSource(), target: target).run()
        }
        // Collections before `sources` were written into the staging store, never published.
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty)
    }

    @Test(.needsSharedData) func abandonedStagingIsRemovedLiveStagingKept() async throws {
        let parent = SharedData.temporaryDirectory("migrate-leftovers")
        let abandoned = parent.appendingPathComponent(".store.migrating-killed")
        try await Store(directory: abandoned).close()
        // A run in progress holds its staging store's writer lock for its whole life.
        let live = try Store(directory: parent.appendingPathComponent(".store.migrating-running"), writers: .exclusive)
        _ = try await ChromaMigration(source: try ChromaSource.open(ChromaFixture(version: "0.6.3").persist),
                                      target: parent.appendingPathComponent("store")).run()
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: parent.path)) == ["store", ".store.migrating-running"])
        try await live.close()
    }

    @Test func interruptedRunLeavesExistingStoreAsItWas() async throws {
        let target = SharedData.temporaryDirectory("migrate-fail-existing").appendingPathComponent("store")
        let store = try Store(directory: target)
        try await store.createCollection("메뉴", configuration: CollectionConfiguration(dimension: 2, metric: .l2))
        try await store.upsert([Record(id: "m1", document: "전복 리조또", metadata: ["price": .int(38000)], embedding: [1, 2])], into: "메뉴")
        try await store.close()

        await #expect(throws: ChromaMigrationError.self) {
            _ = try await ChromaMigration(source: try brokenSource(), target: target).run()
        }
        let after = try Store(directory: target, mode: .readOnly)
        #expect(try await after.collections().map(\.name) == ["메뉴"])
        #expect(try await after.get(from: "메뉴", includeEmbeddings: true) ==
                [Record(id: "m1", document: "전복 리조또", metadata: ["price": .int(38000)], embedding: [1, 2])])
        try await after.close()
    }

    @Test(.needsSharedData) func incompatibleExistingCollectionIsRefused() async throws {
        let target = SharedData.temporaryDirectory("migrate-conflict").appendingPathComponent("store")
        let store = try Store(directory: target)
        try await store.createCollection("sources", configuration: CollectionConfiguration(dimension: 3, metric: .l2))
        try await store.close()
        let dry = try await migrate(ChromaFixture(version: "1.5.9"), to: target, options: .init(collections: ["sources"], dryRun: true))
        #expect(dry.collections.first?.status == .skipped)
        #expect(dry.collections.first?.reason?.contains("dimension 3") == true)
        do {
            _ = try await migrate(ChromaFixture(version: "1.5.9"), to: target, options: .init(collections: ["sources"]))
            Issue.record("a 384-dimension collection was written into a 3-dimension one")
        } catch {
            guard case let .incompatibleCollection(name, _)? = error as? ChromaMigrationError else { Issue.record("wrong error \(error)"); return }
            #expect(name == "sources")
        }
        let after = try Store(directory: target, mode: .readOnly)
        #expect(try await after.count(in: "sources") == 0)
        try await after.close()
    }
}

/// Data leaves as easily as it came in: store → export lines → a second store, identical.
@Suite struct ExportRoundTripTests {
    @Test(.needsSharedData) func exportedLinesMigrateIntoAnIdenticalStore() async throws {
        let dir = SharedData.temporaryDirectory("export-roundtrip")
        let first = dir.appendingPathComponent("first")
        _ = try await ChromaMigration(source: try ChromaSource.open(ChromaFixture(version: "1.5.9").persist), target: first).run()

        let store = try Store(directory: first, mode: .readOnly)
        var text = ""
        var originals: [String: [Record]] = [:]
        for info in try await store.collections() {
            let records = try await store.get(from: info.name, includeEmbeddings: true)
            originals[info.name] = records.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            for record in records { text += RecordJSONLines.line(collection: info.name, record: record) + "\n" }
        }
        try await store.close()
        let file = dir.appendingPathComponent("all.jsonl")
        try Data(text.utf8).write(to: file)

        let second = dir.appendingPathComponent("second")
        let report = try await ChromaMigration(source: try ChromaSource.open(file), target: second, options: .init(verify: true)).run()
        #expect(report.isComplete)
        let copy = try Store(directory: second, mode: .readOnly)
        #expect(Set(try await copy.collections().map(\.name)) == Set(originals.keys))
        for (name, records) in originals {
            let back = try await copy.get(from: name, includeEmbeddings: true).sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
            try expectSame(back, records, "round trip \(name)")
        }
        try await copy.close()
    }
}
