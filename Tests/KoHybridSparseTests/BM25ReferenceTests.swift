import Foundation
import Testing
import KoHybridAnalysis
import KoHybridTestSupport
@testable import KoHybridSparse

/// Fed identical terms, the index must score like bm25s with method "lucene".
@Suite struct BM25ReferenceTests {
    /// Under CI a missing peers Python runs the test, which then fails naming it.
    @Test(.enabled(if: SharedData.peersPython != nil || SharedData.isCI,
                   "needs the peers Python with bm25s (scripts/peers-venv.sh, or KOHYBRID_PEERS_PYTHON)"))
    func matchesBM25sLuceneOnRealKoreanData() throws {
        // Whitespace-style terms (one field), as the bm25s peer would see them.
        let sample = try Fixtures.sample(documents: 400, analyzer: Analyzer(preset: .whitespace))
        let documents = sample.documents.map { $0.map(\.text) }
        // The index counts each distinct query term once; give bm25s the same distinct terms.
        let queries = sample.queries.map { terms in
            var seen = Set<String>()
            return terms.map(\.text).filter { seen.insert($0).inserted }
        }
        let parameters = BM25Parameters(k1: 1.2, b: 0.75)
        var index = BM25Index(parameters: parameters)
        for (i, terms) in sample.documents.enumerated() { index.upsert(key: UInt64(i), terms: terms) }

        let directory = SharedData.temporaryDirectory()
        let input = directory.appendingPathComponent("input.json")
        let output = directory.appendingPathComponent("output.json")
        let spec: [String: Any] = ["k1": 1.2, "b": 0.75, "k": 10, "docs": documents, "queries": queries]
        try JSONSerialization.data(withJSONObject: spec).write(to: input)
        let script = SharedData.repositoryRoot.appendingPathComponent("scripts/bm25s_reference.py")
        _ = try SharedData.runPython([script.path, input.path, output.path])
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [[[Double]]])
        try #require(reference.count == queries.count)

        var compared = 0
        for (query, expected) in zip(sample.queries, reference) {
            let hits = index.search(query, k: 10)
            try #require(hits.count == expected.count, "query \(query.map(\.text))")
            for (hit, row) in zip(hits, expected) {
                let score = Float(row[1])
                #expect(abs(hit.score - score) <= 1e-4 * abs(score), "score of \(hit.key)")
            }
            // Ids must agree except where scores tie (bm25s orders ties arbitrarily).
            let expectedByID = Dictionary(uniqueKeysWithValues: expected.map { (UInt64($0[0]), Float($0[1])) })
            let cutoff = hits.last?.score ?? 0
            for hit in hits where abs(hit.score - cutoff) > 1e-4 * cutoff {
                let score = try #require(expectedByID[hit.key], "doc \(hit.key) missing from bm25s top-10")
                #expect(abs(score - hit.score) <= 1e-4 * score)
            }
            compared += 1
        }
        #expect(compared > 50)
    }
}
