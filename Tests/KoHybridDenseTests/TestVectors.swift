import Foundation
import KoHybridDatasets
import KoHybridTestSupport
@testable import KoHybridDense

/// Real multilingual-e5-small embeddings (384-d) of Korean text, loaded once per source.
///
/// - ``Source/shops``: `Corpora/shops`, bundled in the repository (826 passages, 435 queries).
///   Core properties run on it, on every checkout.
/// - ``Source/kobest``: kobest-boolq from `../shared` (5,757 passages, 2,104 questions), for the
///   tests that need scale; they carry the `.needsSharedData` trait, so they are skipped with a
///   reason where `../shared` is missing, and a load that still fails throws (never traps).
enum TestVectors {
    enum Source: Sendable {
        case shops, kobest

        var directory: URL {
            switch self {
            case .shops: SharedData.shopsCorpus
            case .kobest: SharedData.corpus("kobest-boolq")
            }
        }
    }

    struct Vectors: Sendable {
        var corpus: VectorMatrix
        var queries: VectorMatrix
    }

    struct NotEnoughRows: Error, CustomStringConvertible {
        var source: Source, wanted: Int, available: Int
        var description: String { "\(source) has \(available) rows, a test asked for \(wanted)" }
    }

    private static let shops = Result { try load(.shops) }
    private static let kobest = Result { try load(.kobest) }

    private static func load(_ source: Source) throws -> Vectors {
        let directory = source.directory
        return Vectors(
            corpus: try VectorMatrix.read(contentsOf: directory.appendingPathComponent("corpus.e5-small.f32"), dimension: 384),
            queries: try VectorMatrix.read(contentsOf: directory.appendingPathComponent("queries.e5-small.f32"), dimension: 384))
    }

    static func vectors(_ source: Source) throws -> Vectors {
        switch source {
        case .shops: try shops.get()
        case .kobest: try kobest.get()
        }
    }

    static func corpus(_ source: Source = .shops) throws -> VectorMatrix { try vectors(source).corpus }

    /// The first `count` corpus rows as a batch keyed 0..<count (or from `firstKey`).
    static func batch(_ count: Int, firstKey: UInt64 = 0, from source: Source = .shops) throws -> [(key: UInt64, vector: [Float])] {
        let corpus = try corpus(source)
        guard count <= corpus.count else { throw NotEnoughRows(source: source, wanted: count, available: corpus.count) }
        return (0 ..< count).map { (key: firstKey + UInt64($0), vector: Array(corpus[$0])) }
    }

    static func queryVectors(_ count: Int, from source: Source = .shops) throws -> [[Float]] {
        let queries = try vectors(source).queries
        guard count <= queries.count else { throw NotEnoughRows(source: source, wanted: count, available: queries.count) }
        return (0 ..< count).map { Array(queries[$0]) }
    }

    /// Rows of `dimension` values made by concatenating consecutive real rows (for 768, 1024,
    /// 1536-d tests), so neighbourhoods stay those of real text.
    static func widened(_ count: Int, dimension: Int, from source: Source = .shops) throws -> [[Float]] {
        let corpus = try corpus(source)
        return (0 ..< count).map { i in
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

/// The ground truth the indexes are checked against, computed here in plain double-precision
/// loops over the raw rows: no index code (no kernels, no normalisation, no top-k heap) is
/// shared with what is being tested.
enum BruteForce {
    /// The metric's distance as ``DistanceMetric`` defines it, from the rows as given.
    static func distance(_ a: [Float], _ b: [Float], metric: DistanceMetric) -> Double {
        var dot = 0.0, aa = 0.0, bb = 0.0, l2 = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y
            aa += x * x
            bb += y * y
            l2 += (x - y) * (x - y)
        }
        switch metric {
        case .cosine: return 1 - dot / (aa.squareRoot() * bb.squareRoot())
        case .innerProduct: return 1 - dot
        case .l2: return l2
        }
    }

    /// The `k` rows closest to `query` among those `admits` lets through, closest first, equal
    /// distances by key.
    static func search(_ query: [Float], k: Int, in rows: [(key: UInt64, vector: [Float])],
                       metric: DistanceMetric = .cosine, admits: (UInt64) -> Bool = { _ in true }) -> [Hit] {
        var hits: [Hit] = []
        for row in rows where admits(row.key) {
            hits.append(Hit(key: row.key, distance: distance(query, row.vector, metric: metric)))
        }
        hits.sort { (a: Hit, b: Hit) -> Bool in a.distance != b.distance ? a.distance < b.distance : a.key < b.key }
        return Array(hits.prefix(k))
    }

    struct Hit: Sendable {
        var key: UInt64
        var distance: Double
    }

    /// Float kernels and double loops differ in the last bits.
    static let tolerance = 1e-4

    /// Nil when `found` is the exact answer `truth` up to float rounding: the same length, the
    /// same key at every rank (or, at a near-tie, the same distance), and each hit's reported
    /// distance the true distance of its key. Otherwise the first difference, in words.
    static func difference(_ found: [VectorHit], _ truth: [Hit], rows: [UInt64: [Float]], query: [Float],
                           metric: DistanceMetric = .cosine) -> String? {
        guard found.count == truth.count else { return "\(found.count) hits, expected \(truth.count)" }
        for (rank, (hit, expected)) in zip(found, truth).enumerated() {
            guard let row = rows[hit.key] else { return "rank \(rank): key \(hit.key) is not in the index" }
            let actual = distance(query, row, metric: metric)
            guard abs(Double(hit.distance) - actual) < tolerance else {
                return "rank \(rank): key \(hit.key) reported at distance \(hit.distance), truly \(actual)"
            }
            guard hit.key == expected.key || abs(actual - expected.distance) < tolerance else {
                return "rank \(rank): key \(hit.key) at \(actual), expected key \(expected.key) at \(expected.distance)"
            }
        }
        return nil
    }

    /// Mean fraction of the true top-k keys found.
    static func recall(_ found: [[VectorHit]], _ truth: [[Hit]]) -> Double {
        let total = zip(found, truth).reduce(0.0) { sum, pair in
            sum + Double(Set(pair.0.map(\.key)).intersection(pair.1.map(\.key)).count) / Double(max(pair.1.count, 1))
        }
        return total / Double(max(truth.count, 1))
    }
}
