import Foundation
import Testing
import KoHybrid
import KoHybridTestSupport

/// The library example in README.md, verbatim between the markers, so it always compiles and runs.
@Suite struct ReadmeExampleTests {
    @Test func readmeExampleRuns() async throws {
        let directory = SharedData.temporaryDirectory("readme-store")
        // Stand-ins for the e5 vectors a pipeline computes (4 dimensions to keep the example short).
        func embed(_ text: String) -> [Float] {
            let v: [Float] = [Float(text.count % 7) + 1, Float(text.unicodeScalars.count % 5) + 1,
                              text.contains("오마카세") ? 3 : 0.5, text.contains("웨이팅") ? 3 : 0.5]
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        // README-BEGIN
        let store = try Store(directory: directory)

        // One collection per category and kind; the generation step reads both.
        for name in ["omakase.examples", "omakase.sources"] {
            _ = try await store.createCollection(name, configuration: CollectionConfiguration(dimension: 4))
        }
        try await store.upsert([
            Record(id: "src-1", document: "성수동 연무장길 스시 오마카세, 런치 8만원 디너 15만원",
                   metadata: ["price": .int(80_000), "tags": .stringList(["런치", "디너"])],
                   embedding: embed("성수동 연무장길 스시 오마카세")),
            Record(id: "src-2", document: "우니 이쿠라동이 대표 메뉴인 을지로 덮밥집, 웨이팅 40분",
                   metadata: ["price": .int(18_000), "waiting": .bool(true)],
                   embedding: embed("우니 이쿠라동 웨이팅")),
        ], into: "omakase.sources")
        try await store.upsert([
            Record(id: "ex-1", document: "예약제로 운영하는 오마카세. 런치 코스의 가격 대비 만족도가 높다.",
                   embedding: embed("예약제 오마카세 런치 코스")),
        ], into: "omakase.examples")

        // Hybrid search (BM25 + HNSW, fused), with a Chroma-style metadata filter.
        var query = SearchQuery(text: "우니 이쿠라동", vector: embed("우니 이쿠라동"), k: 5)
        query.filter = try Filter(json: #"{"price": {"$lte": 50000}}"#)
        for hit in try await store.search(query, in: "omakase.sources") {
            print(hit.id, hit.score, hit.dense?.rank as Any, hit.sparse?.rank as Any)
        }

        // The generation step's pattern in one call: k examples and m sources for a shop.
        let context = try await store.generationContext(
            category: "omakase", text: "성수동 오마카세 런치", vector: embed("성수동 오마카세 런치"),
            examples: 1, sources: 2)
        print(context.examples.map(\.id), context.sources.map(\.id))
        try await store.close()
        // README-END

        let reopened = try Store(directory: directory, mode: .readOnly)
        let hits = try await reopened.search(query, in: "omakase.sources")
        #expect(hits.map(\.id) == ["src-2"])   // src-1 fails the price filter
        #expect(hits.first?.sparse?.rank == 1)
        #expect(context.examples.map(\.id) == ["ex-1"])
        #expect(context.sources.first?.id == "src-1")
        try await reopened.close()
    }

    /// README.md's example is the code between the markers above, line for line.
    @Test func readmeShowsThisExample() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let readme = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.hasSuffix("// README-BEGIN") && !$0.contains("hasSuffix") })
        let end = try #require(lines.firstIndex { $0.hasSuffix("// README-END") && !$0.contains("hasSuffix") })
        let example = lines[(begin + 1)..<end].map { $0.count >= 8 ? String($0.dropFirst(8)) : $0.trimmingCharacters(in: .whitespaces) }
        #expect(readme.contains(example.joined(separator: "\n")))
    }
}
