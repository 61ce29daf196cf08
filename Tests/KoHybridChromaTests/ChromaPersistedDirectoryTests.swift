import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

/// Every fixture, every collection: the reader rebuilds exactly what chromadb's API returned.
@Suite struct ChromaPersistedDirectoryTests {
    @Test(.needsSharedData, arguments: ChromaFixture.versions.map(ChromaFixture.init))
    func readsEveryRecordExactly(_ fixture: ChromaFixture) throws {
        let source = try ChromaSource.open(fixture.persist)
        #expect(source.format == .persistedDirectory(fixture.family))
        let expected = try fixture.expected()
        #expect(Set(try source.collections().map(\.name)) == Set(expected.map(\.name)))

        for want in expected {
            let got = try source.readCollection(named: want.name)
            #expect(got.skipped.isEmpty, "\(fixture)/\(want.name): skipped \(got.skipped)")
            #expect(got.invariantViolations() == [], "\(fixture)/\(want.name)")
            #expect(got.configuration.space.rawValue == want.space, "\(fixture)/\(want.name) space")
            #expect(got.dimension == want.dimension, "\(fixture)/\(want.name) dimension")
            // hnsw:* keys are settings; everything else is the user's collection metadata.
            #expect(got.metadata == want.metadata.filter { !$0.key.hasPrefix("hnsw:") }, "\(fixture)/\(want.name) metadata")
            #expect(got.records.map(\.id) == want.records.map(\.id), "\(fixture)/\(want.name) ids")

            var roundTrips = 0
            for (mine, theirs) in zip(got.records, want.records) {
                #expect(mine.document == theirs.document, "\(fixture)/\(mine.id) document")
                // MetadataValue keeps .int(4) and .double(4.0) apart, and Bool apart from Int.
                #expect(mine.metadata == theirs.metadata, "\(fixture)/\(mine.id) metadata")
                let vector = try #require(mine.embedding, "\(fixture)/\(mine.id) has no vector")
                if bits(vector) == bits(theirs.embedding) { continue }
                // The only allowed difference: chromadb served this vector from its in-memory
                // index (hnswlib's float32 normalise/denormalise round trip); the queue in the
                // file holds the user's original float32.
                #expect(got.configuration.space == .cosine && bits(cosineRoundTrip(vector)) == bits(theirs.embedding),
                        "\(fixture)/\(mine.id) embedding differs")
                roundTrips += 1
            }
            #expect(roundTrips == fixture.expectedRoundTrips(want.name), "\(fixture)/\(want.name) round trips")
        }
    }

    @Test func invariantsCatchBrokenCollections() {
        let broken = ChromaCollection(name: "깨진", id: nil, metadata: ["hnsw:space": .string("l2")],
                                      configuration: ChromaIndexConfiguration(space: .l2, spaceSource: "default"),
                                      dimension: 2, records: [Record(id: "b", embedding: [1, 2]), Record(id: "a", embedding: [1])])
        #expect(broken.invariantViolations() == [
            "records not sorted by unique id at \"a\"", "\"a\" has 1 values, dimension is 2", "hnsw:* settings left in user metadata",
        ])
    }

    @Test(.needsSharedData) func listValuesOfChroma15SurviveWithTheirTypes() throws {
        let collection = try ChromaSource.open(ChromaFixture(version: "1.5.9").persist).readCollection(named: "fine_dining_examples")
        let lists = collection.records.flatMap { $0.metadata.values }.filter {
            switch $0 { case .stringList, .intList, .doubleList, .boolList: true; default: false }
        }
        #expect(lists.contains(.stringList(["코스", "와인 페어링"])))
        #expect(lists.contains(.intList([4, 5, 3])))
        #expect(lists.contains(.doubleList([0.5, 1.25])))
        #expect(lists.contains(.boolList([true, false])))
    }

    @Test(.needsSharedData) func cosineSpaceOfUpgradedCollectionsComesFromTheSegment() throws {
        // chromadb 1.5.9 *reports* l2 for these 0.4-created cosine collections; the index uses cosine.
        let source = try ChromaSource.open(ChromaFixture(version: "0.4.24_then_1.5.9").persist)
        for name in ["fine_dining_examples", "cosine_flushed"] {
            let configuration = try source.readCollection(named: name).configuration
            #expect(configuration.space == .cosine)
            #expect(configuration.spaceSource == "segment_metadata")
        }
    }

    @Test(.needsSharedData) func configurationCarriesGraphSettings() throws {
        let collection = try ChromaSource.open(ChromaFixture(version: "0.6.3").persist).readCollection(named: "sources")
        #expect(collection.configuration.m == 16)
        #expect(collection.configuration.efConstruction == 100)
        #expect(collection.configuration.efSearch == 100)
    }

    @Test(.needsSharedData) func unknownCollectionNamesWhatExists() throws {
        let source = try ChromaSource.open(ChromaFixture(version: "1.0.21").persist)
        #expect(throws: ChromaError.unknownCollection(path: source.url.path, name: "menus",
                                                      available: ["cosine_flushed", "empty_collection", "fine_dining_examples", "sources"])) {
            try source.readCollection(named: "menus")
        }
    }
}
