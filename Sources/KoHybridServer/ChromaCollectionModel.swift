import Foundation
import KoHybrid
import KoHybridDense

/// How Chroma's collection model maps onto a KoHybrid collection.
enum ChromaCollectionModel {
    static let tenant = "default_tenant"
    static let database = "default_database"

    /// A collection's UUID, derived from the store's number for it: stable across renames and
    /// restarts, never reused (the store never reuses collection numbers).
    static func uuid(_ id: Int64) -> String {
        let hex = String(UInt64(bitPattern: id), radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    /// The store's number behind a UUID from `uuid(_:)`, or nil for any other string.
    static func collectionID(uuid: String) -> Int64? {
        let text = uuid.lowercased()
        let prefix = "00000000-0000-4000-8000-"
        guard text.hasPrefix(prefix), text.count == 36 else { return nil }
        return Int64(text.dropFirst(prefix.count), radix: 16)
    }

    static func spaceName(_ metric: DistanceMetric) -> String {
        switch metric {
        case .cosine: "cosine"
        case .innerProduct: "ip"
        case .l2: "l2"
        }
    }

    /// The JSON `chromadb.types.Collection.from_json` reads.
    static func json(_ info: CollectionInfo) -> JSONValue {
        let configuration = info.configuration
        return .object([
            "id": .string(uuid(info.id)),
            "name": .string(info.name),
            "tenant": .string(tenant),
            "database": .string(database),
            "metadata": configuration.metadata.isEmpty ? .null : configuration.metadata.json,
            "dimension": configuration.dimension > 0 ? .int(Int64(configuration.dimension)) : .null,
            "configuration_json": .object([
                "hnsw": .object([
                    "space": .string(spaceName(configuration.metric)),
                    "ef_construction": .int(Int64(configuration.hnsw.efConstruction)),
                    "ef_search": .int(Int64(configuration.hnsw.efSearch)),
                    "max_neighbors": .int(Int64(configuration.hnsw.m)),
                ]),
                "spann": .null,
                "embedding_function": .null,
            ]),
            // null, never a schema: a schema without an embedding function makes chromadb's
            // client fill in its default ONNX model and try to download it.
            "schema": .null,
            "version": .int(0),
            "log_position": .int(0),
        ])
    }

    /// Chroma's rule for collection names: 3-512 characters of `[a-zA-Z0-9._-]`, starting and
    /// ending with a letter or digit.
    static func validateName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        let alphanumeric = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) }
        guard (3...512).contains(name.count), name.allSatisfy(allowed.contains),
              let first = name.first, let last = name.last, alphanumeric(first), alphanumeric(last) else {
            throw APIError.invalidArgument("Validation error: name: Expected a name containing 3-512 characters from [a-zA-Z0-9._-], starting and ending with a character in [a-zA-Z0-9]. Got: \(name)")
        }
    }

    /// The configuration for a new collection from Chroma's `configuration` and `metadata`: the
    /// space from `configuration.hnsw.space` (or `spann.space`), then `metadata["hnsw:space"]`,
    /// then `l2`, Chroma's default. The dimension stays open until the first vectors arrive.
    static func configuration(_ body: RequestBody, metadata: Metadata) throws -> CollectionConfiguration {
        let configuration = try body.object("configuration") ?? [:]
        let hnsw = try RequestBody(fields: configuration).object("hnsw").map(RequestBody.init(fields:))
        let spann = try RequestBody(fields: configuration).object("spann").map(RequestBody.init(fields:))
        var space = try hnsw?.string("space") ?? spann?.string("space")
        if space == nil, case .string(let s)? = metadata["hnsw:space"] { space = s }
        let metric: DistanceMetric
        switch space ?? "l2" {
        case "cosine": metric = .cosine
        case "ip": metric = .innerProduct
        case "l2": metric = .l2
        case let other: throw APIError.invalidArgument("unknown distance space \"\(other)\" (expected cosine, ip or l2)")
        }
        var parameters = HNSWParameters()
        if let m = try hnsw?.int("max_neighbors", range: 2...512) { parameters.m = m }
        if let ef = try hnsw?.int("ef_construction", range: 1...10_000) { parameters.efConstruction = ef }
        if let ef = try hnsw?.int("ef_search", range: 1...10_000) { parameters.efSearch = ef }
        return CollectionConfiguration(dimension: 0, metric: metric, hnsw: parameters, metadata: metadata)
    }
}
