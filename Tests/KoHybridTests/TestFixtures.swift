import Foundation
import KoHybrid
import KoHybridCore
import KoHybridDatasets
import KoHybridTestSupport

/// Real Korean passages with vectors, and random metadata, shared by the store tests.
enum Fixtures {
    static let corpus: BEIRCorpus? = try? BEIRCorpus.load(from: SharedData.corpus("kobest-boolq"))
    static let vectors: VectorMatrix? = try? corpus?.vectors(.documents)
    static let queryVectors: VectorMatrix? = try? corpus?.vectors(.queries)

    static let categories = ["오마카세", "파인다이닝", "웨이팅맛집", "한식", "가성비"]
    static let tags = ["런치", "디너", "예약필수", "주차", "룸"]

    /// `count` records built from the first passages of kobest-boolq, with seeded random metadata
    /// that mixes integer and float prices, missing keys and lists.
    static func records(_ count: Int, seed: UInt64 = 42) throws -> [Record] {
        guard let corpus, let vectors else { throw MissingData() }
        var rng = SeededRandom(seed: seed)
        return (0..<min(count, corpus.documents.count)).map { i in
            var metadata: Metadata = [:]
            if rng.chance(0.85) {
                metadata["price"] = rng.chance(0.5) ? .int(Int64(rng.below(20)) * 10_000) : .double(Double(rng.below(40)) * 5_000 + 0.5)
            }
            if rng.chance(0.8) { metadata["category"] = .string(categories[rng.below(categories.count)]) }
            if rng.chance(0.7) { metadata["open"] = .bool(rng.chance(0.5)) }
            if rng.chance(0.6) { metadata["rating"] = .double(Double(rng.below(50)) / 10) }
            if rng.chance(0.6) { metadata["tags"] = .stringList((0..<(1 + rng.below(3))).map { _ in tags[rng.below(tags.count)] }) }
            if rng.chance(0.4) { metadata["floors"] = .intList((0..<(1 + rng.below(3))).map { _ in Int64(rng.below(5)) }) }
            return Record(id: corpus.documents[i].id, document: corpus.documents[i].text, metadata: metadata,
                          embedding: Array(vectors[i]))
        }
    }

    struct MissingData: Error, CustomStringConvertible {
        var description: String { "kobest-boolq not found under ../shared/corpora" }
    }
}

/// Draws for random test data, on the shared seeded generator.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
}

extension Store {
    /// A fresh writable store in a temporary directory.
    static func temporary() throws -> (Store, URL) {
        let url = SharedData.temporaryDirectory("kohybrid-store")
        return (try Store(directory: url), url)
    }
}
