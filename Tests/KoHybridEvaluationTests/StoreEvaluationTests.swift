import Foundation
import KoHybrid
import KoHybridDatasets
import KoHybridTestSupport
import Testing
@testable import KoHybridEvaluation

/// `kohybrid eval --store`: the bundled shops corpus ingested into a real store and searched
/// through `Store.search` must return exactly the ranked lists the in-memory experiment ranks,
/// for every mode: both go through one `CollectionSearcher`.
@Suite struct StoreEvaluationTests {
    @Test func storeSearchMeasuresTheSameAsTheExperiment() async throws {
        let corpus = try BEIRCorpus.load(from: Shops.directory)
        let vectors = try corpus.vectors(.documents)
        let directory = SharedData.temporaryDirectory("kohybrid-eval-store")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.appendingPathComponent("store"))
        _ = try await store.createCollection("shops", configuration: CollectionConfiguration(dimension: vectors.dimension))
        let records = corpus.documents.enumerated().map { row, document in
            Record(id: document.id, document: document.fullText, embedding: Array(vectors[row]))
        }
        _ = try await store.upsert(records, into: "shops")

        let input = try await StoreEvaluation.load(
            store: store, collection: "shops",
            queries: Shops.directory.appendingPathComponent("queries.jsonl"),
            qrels: Shops.directory.appendingPathComponent("qrels/test.tsv"),
            queryVectors: Shops.directory.appendingPathComponent("queries.e5-small.f32"))
        #expect(input.queries.count == 435)
        let experiment = try Shops.experiment.get()
        // Every mode (dense, sparse, each fusion, the default) at the default depth, and the
        // default fusion at depths below, at and above k, where the store must not widen them.
        let modes = EvaluationMode.standard() + [10, 50, 200].map {
            EvaluationMode(name: "hybrid-depth-\($0)", search: .hybrid(.hybridDefault), candidateDepth: $0)
        }
        for mode in modes {
            let fromStore = try await input.run(mode)
            let inMemory = experiment.run(mode)
            #expect(fromStore.count == inMemory.count)
            var compared = 0
            for (query, hits) in inMemory {
                let stored = fromStore[query] ?? []
                // The same ids in the same order, with the same scores.
                #expect(stored.map(\.id) == hits.map(\.id), "\(mode.name) query \(query)")
                #expect(zip(stored, hits).allSatisfy { abs($0.score - $1.score) < 1e-9 }, "\(mode.name) query \(query) scores")
                compared += hits.isEmpty ? 0 : 1
            }
            #expect(compared > 400, "\(mode.name): most queries have hits")
            let measured = input.evaluate(mode, run: fromStore), expected = experiment.evaluate(mode)
            for metric in Metric.allCases {
                #expect(abs(measured.mean[metric] - expected.mean[metric]) < 1e-9, "\(mode.name) \(metric.name)")
            }
        }
    }

    @Test func qrelsNamingADocumentNotInTheCollectionIsNamed() async throws {
        let directory = SharedData.temporaryDirectory("kohybrid-eval-store-bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(directory: directory.appendingPathComponent("store"))
        _ = try await store.createCollection("c", configuration: CollectionConfiguration(dimension: 3))
        _ = try await store.upsert([Record(id: "스시-1", document: "우니 이쿠라동", embedding: [1, 0, 0])], into: "c")
        let queries = directory.appendingPathComponent("queries.jsonl")
        try #"{"_id": "q1", "text": "우니 이쿠라동 가격"}"#.write(to: queries, atomically: true, encoding: .utf8)
        let qrels = directory.appendingPathComponent("qrels.tsv")
        try "query-id\tcorpus-id\tscore\nq1\t스시-1\t1\nq1\t없는-가게\t1\n".write(to: qrels, atomically: true, encoding: .utf8)
        do {
            _ = try await StoreEvaluation.load(store: store, collection: "c", queries: queries, qrels: qrels, queryVectors: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasSuffix("qrels.tsv:3: unknown document id \"없는-가게\""), "\(error)")
        }
    }
}
