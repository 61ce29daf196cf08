import Foundation
import KoHybridTestSupport
import Testing
@testable import KoHybrid

@Suite(.needsSharedData) struct StoreSearchTests {
    /// Cosine similarity by brute force, the reference for the (exact, flat) dense index.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in a.indices { dot += Double(a[i] * b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func hybridHitsCarryEachRetrieversRank() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(200)
        let queries = try #require(Fixtures.corpus?.queries)
        let queryVectors = try #require(Fixtures.queryVectors)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        for q in 0..<5 {
            let text = queries[q].text, vector = Array(queryVectors[q])
            let depth = 30
            let dense = try await store.search(SearchQuery(vector: vector, k: depth, mode: .dense), in: "c")
            let sparse = try await store.search(SearchQuery(text: text, k: depth, mode: .sparse), in: "c")
            #expect(dense.count == depth && !sparse.isEmpty)
            #expect(dense.allSatisfy { $0.sparse == nil && $0.dense != nil } && sparse.allSatisfy { $0.dense == nil && $0.sparse != nil })
            #expect(dense.allSatisfy { $0.weights == nil } && sparse.allSatisfy { $0.weights == nil })
            for fusion in [Fusion.reciprocalRank(), .relativeScore(alpha: 0.5), .distributionBased(), .hybridDefault] {
                let hybrid = try await store.search(SearchQuery(text: text, vector: vector, k: 10, mode: .hybrid(fusion), candidateDepth: depth), in: "c")
                #expect(hybrid.count == 10)
                // One set of weights per query, on every hit: fixed ones, or the adaptive default's share of 1.
                let weights = try #require(hybrid.first?.weights)
                #expect(hybrid.allSatisfy { $0.weights == weights })
                if fusion == .hybridDefault { #expect(abs(weights[.dense, default: 0] + weights[.sparse, default: 0] - 1) < 1e-12 && weights[.dense, default: 0] > 0 && weights[.sparse, default: 0] > 0) }
                if fusion == .relativeScore(alpha: 0.5) { #expect(weights == [.dense: 0.5, .sparse: 0.5]) }
                #expect(zip(hybrid, hybrid.dropFirst()).allSatisfy { $0.score >= $1.score })
                for hit in hybrid {
                    #expect(hit.dense != nil || hit.sparse != nil)
                    if let d = hit.dense { #expect(dense[d.rank - 1].id == hit.id && abs(dense[d.rank - 1].score - d.score) < 1e-9) }
                    else { #expect(!dense.contains { $0.id == hit.id }) }
                    if let s = hit.sparse { #expect(sparse[s.rank - 1].id == hit.id && abs(sparse[s.rank - 1].score - s.score) < 1e-6) }
                    else { #expect(!sparse.contains { $0.id == hit.id }) }
                }
            }
        }
        try await store.close()
    }

    /// Filtered dense search over the exact index must equal brute force over the records that
    /// pass the filter; filtered BM25 hits must all pass it.
    @Test func filteredSearchMatchesBruteForce() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(300)
        let queryVectors = try #require(Fixtures.queryVectors)
        try await store.createCollection("c", configuration: .init(dimension: 384))
        try await store.upsert(records, into: "c")
        var rng = SeededRandom(seed: 11)
        for q in 0..<20 {
            let json = FilterReference.randomFilter(&rng, depth: 1)
            let filter = try Filter(json: json)
            let vector = Array(queryVectors[q])
            let allowed = records.filter { FilterReference.matches(json, $0.metadata.mapValues(\.json)) }
            let expected = allowed.map { ($0.id, Self.cosine($0.embedding ?? [], vector)) }
                .sorted { $0.1 > $1.1 }.prefix(10).map(\.0)
            let got = try await store.search(SearchQuery(vector: vector, k: 10, filter: filter, mode: .dense), in: "c")
            #expect(got.map(\.id) == expected, "filter \(json.jsonText)")
            let sparse = try await store.search(SearchQuery(text: "대한민국의 역사", k: 20, filter: filter, mode: .sparse), in: "c")
            #expect(sparse.allSatisfy { hit in allowed.contains { $0.id == hit.id } })
        }
        let documentFilter = DocumentFilter.contains("대한민국")
        let hits = try await store.search(SearchQuery(text: "역사", vector: Array(queryVectors[0]), k: 10, documentFilter: documentFilter), in: "c")
        #expect(!hits.isEmpty && hits.allSatisfy { $0.document?.contains("대한민국") == true })
        try await store.close()
    }

    @Test func generationContextReadsBothCategoryCollections() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        let records = try Fixtures.records(60)
        try await store.createCollection("omakase.examples", configuration: .init(dimension: 384))
        try await store.createCollection("omakase.sources", configuration: .init(dimension: 384))
        try await store.upsert(Array(records[0..<20]), into: "omakase.examples")
        try await store.upsert(Array(records[20..<60]), into: "omakase.sources")
        let shop = records[25]
        let context = try await store.generationContext(category: "omakase", text: shop.document ?? "", vector: shop.embedding,
                                                        examples: 3, sources: 5)
        #expect(context.examples.count == 3 && context.sources.count == 5)
        #expect(context.sources.first?.id == shop.id)
        #expect(Set(context.examples.map(\.id)).isSubset(of: Set(records[0..<20].map(\.id))))
        await #expect(throws: StoreError.collectionNotFound(name: "sushi.examples")) {
            try await store.generationContext(category: "sushi", text: "스시", examples: 1, sources: 1)
        }
        try await store.close()
    }

    @Test func badQueriesAreTypedErrors() async throws {
        let (store, url) = try Store.temporary()
        defer { try? FileManager.default.removeItem(at: url) }
        try await store.createCollection("c", configuration: .init(dimension: 384))
        await #expect(throws: StoreError.invalidQuery(reason: "dense search needs a vector")) {
            try await store.search(SearchQuery(text: "a", mode: .dense), in: "c")
        }
        await #expect(throws: StoreError.self) { try await store.search(SearchQuery(vector: [1, 2]), in: "c") }
        try await store.close()
    }
}
