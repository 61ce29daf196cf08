import Foundation
import KoHybridDatasets
import KoHybridTestSupport
@testable import KoHybridDense

/// Real e5-small embeddings of Korean Wikipedia passages and questions (kobest-boolq), loaded once.
enum TestVectors {
    static let corpus: VectorMatrix = load("corpus.e5-small.f32")
    static let queries: VectorMatrix = load("queries.e5-small.f32")

    private static func load(_ name: String) -> VectorMatrix {
        let url = SharedData.corpus("kobest-boolq").appendingPathComponent(name)
        do { return try VectorMatrix.read(contentsOf: url, dimension: 384) } catch {
            fatalError("test data missing: \(error) (is ../shared present?)")
        }
    }

    /// The first `count` corpus rows as a batch keyed 0..<count (or from `firstKey`).
    static func batch(_ count: Int, firstKey: UInt64 = 0) -> [(key: UInt64, vector: [Float])] {
        (0 ..< count).map { (key: firstKey + UInt64($0), vector: Array(corpus[$0])) }
    }

    static func queryVectors(_ count: Int) -> [[Float]] { (0 ..< count).map { Array(queries[$0]) } }

    /// Rows of `dimension` values made by concatenating consecutive real rows (for 768, 1024,
    /// 1536-d tests), so neighbourhoods stay those of real text.
    static func widened(_ count: Int, dimension: Int) -> [[Float]] {
        (0 ..< count).map { i in
            var row: [Float] = []
            var r = i
            while row.count < dimension {
                row.append(contentsOf: corpus[r % corpus.count].prefix(dimension - row.count))
                r += 997
            }
            return row
        }
    }

    /// Mean overlap of the approximate and exact top-k key sets.
    static func recall(_ found: [[VectorHit]], _ truth: [[VectorHit]]) -> Double {
        let total = zip(found, truth).reduce(0.0) { sum, pair in
            let k = max(pair.1.count, 1)
            return sum + Double(Set(pair.0.map(\.key)).intersection(pair.1.map(\.key)).count) / Double(k)
        }
        return total / Double(max(truth.count, 1))
    }
}
