import Foundation
import KoHybrid
import KoHybridTestSupport
@testable import KoHybridChroma

/// One fixture of `shared/fixtures/chroma/<version>/`: the persisted directory and the ground
/// truth chromadb's own API dumped into `expected.json`.
struct ChromaFixture: CustomStringConvertible {
    static let versions = ["0.4.24", "0.5.23", "0.6.3", "1.0.21", "1.5.9", "0.4.24_then_1.5.9", "0.6.3_then_1.5.9"]

    let version: String
    var description: String { version }
    var folder: URL { SharedData.chromaFixtures.appendingPathComponent(version) }
    var persist: URL { folder.appendingPathComponent("persist") }
    var getExport: URL { folder.appendingPathComponent("export_get_fine_dining.json") }

    /// The layout generation each fixture was written with (upgrades end on 1.5.9).
    var family: ChromaSchemaFamily {
        switch version {
        case "0.4.24": .v0_4
        case "0.5.23", "0.6.3": .v0_5
        case "1.0.21": .v1_0
        default: .v1_3
        }
    }

    /// Records of a cosine collection that chromadb served from its in-memory HNSW index
    /// (normalised, then multiplied back), while the files keep the original float32 in the
    /// queue. The counts were found by comparing each fixture with chromadb's own answers
    /// (1.x indexes every write in memory at once, 0.x once a batch of `hnsw:batch_size`).
    func expectedRoundTrips(_ collection: String) -> Int {
        switch (version, collection) {
        case ("0.4.24", "cosine_flushed"): 16
        case ("1.0.21", "fine_dining_examples"), ("1.5.9", "fine_dining_examples"),
             ("0.4.24_then_1.5.9", "fine_dining_examples"), ("0.6.3_then_1.5.9", "fine_dining_examples"): 33
        case ("1.0.21", "cosine_flushed"), ("1.5.9", "cosine_flushed"): 13
        case ("0.4.24_then_1.5.9", "cosine_flushed"), ("0.6.3_then_1.5.9", "cosine_flushed"): 1
        default: 0
        }
    }

    struct Query {
        var embedding: [Float]
        var ids: [String]
        var distances: [Double]
    }

    struct Collection {
        var name: String
        var metadata: Metadata
        var space: String
        var dimension: Int?
        var records: [Record]
        var queries: [Query]
    }

    /// expected.json, parsed with the int/float-preserving parser (Foundation would merge 4 and 4.0).
    func expected() throws -> [Collection] {
        let url = folder.appendingPathComponent("expected.json")
        let root = try JSONValue.parse(try Data(contentsOf: url), path: url.path)
        guard case let .array(collections)? = root.member("collections") else { throw FixtureError("no collections in \(version)") }
        return try collections.map { c in
            guard case let .string(name)? = c.member("name"), case let .string(space)? = c.member("space"),
                  case let .array(records)? = c.member("records") else { throw FixtureError("bad collection in \(version)") }
            var dimension: Int?
            if case let .int(d)? = c.member("dimension") { dimension = Int(d) }
            let metadata = try Self.metadata(c.member("metadata"))
            var queries: [Query] = []
            if case let .array(list)? = c.member("queries") {
                for q in list {
                    guard case let .array(ids)? = q.member("ids"), case let .array(distances)? = q.member("distances") else { continue }
                    queries.append(Query(embedding: try Self.vector(q.member("query_embedding")) ?? [],
                                         ids: ids.compactMap { if case let .string(s) = $0 { s } else { nil } },
                                         distances: distances.compactMap { if case let .double(d) = $0 { d } else { nil } }))
                }
            }
            return Collection(name: name, metadata: metadata, space: space, dimension: dimension,
                              records: try records.map { r in
                                  guard case let .string(id)? = r.member("id") else { throw FixtureError("record without id") }
                                  var document: String?
                                  if case let .string(text)? = r.member("document") { document = text }
                                  return Record(id: id, document: document, metadata: try Self.metadata(r.member("metadata")),
                                                embedding: try Self.vector(r.member("embedding")))
                              }, queries: queries)
        }
    }

    static func metadata(_ value: JSONValue?) throws -> Metadata {
        guard case let .object(members)? = value else { return [:] }
        return try Metadata(json: .object(members), path: "expected.json metadata", nulls: .omitted)
    }

    static func vector(_ value: JSONValue?) throws -> [Float]? {
        guard case let .array(values)? = value else { return nil }
        return try values.map { v in
            switch v {
            case let .double(d): Float(d)
            case let .int(i): Float(i)
            default: throw FixtureError("non-number in a vector")
            }
        }
    }

    /// A writable copy of the persisted directory, for tests that damage files.
    func copyOfPersist() throws -> URL {
        let copy = SharedData.temporaryDirectory("chroma-\(version)").appendingPathComponent("persist")
        try FileManager.default.copyItem(at: persist, to: copy)
        // The shared fixtures are read-only; the copy must be writable to be damaged.
        let enumerator = FileManager.default.enumerator(atPath: copy.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        while let item = enumerator?.nextObject() as? String {
            let path = copy.appendingPathComponent(item).path
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            try FileManager.default.setAttributes([.posixPermissions: isDirectory.boolValue ? 0o755 : 0o644], ofItemAtPath: path)
        }
        return copy
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// hnswlib's float32 cosine normalisation and Chroma's multiplication back (sequential float32
/// sum of squares, sqrtf, reciprocal of length + 1e-30, two float32 multiplies): what chromadb
/// returns for a vector it serves from its in-memory index.
func cosineRoundTrip(_ vector: [Float]) -> [Float] {
    var sum: Float = 0
    for x in vector { sum += x * x }
    let length = sum.squareRoot()
    let inverse = 1 / (length + 1e-30)
    return vector.map { ($0 * inverse) * length }
}

func bits(_ vector: [Float]?) -> [UInt32]? { vector?.map(\.bitPattern) }
