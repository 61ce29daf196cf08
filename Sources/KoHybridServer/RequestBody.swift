import Foundation
import Hummingbird
import KoHybrid

/// A request's JSON object with typed field access; every mistake is an `InvalidArgumentError`
/// naming the field: `field "n_results": expected an integer, got a string`.
struct RequestBody {
    let fields: [String: JSONValue]

    init(_ request: Request, limit: Int) async throws {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let text = String(buffer: buffer)
        if text.allSatisfy(\.isWhitespace) { fields = [:]; return }
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw APIError.invalidArgument("malformed JSON body: \(error)") }
        guard case .object(let object) = value else { throw APIError.invalidArgument("the body must be a JSON object, got \(value.typeName)") }
        fields = object
    }

    init(fields: [String: JSONValue]) { self.fields = fields }

    /// The field, with JSON `null` read as absent.
    subscript(_ name: String) -> JSONValue? {
        if case .null? = fields[name] { return nil }
        return fields[name]
    }

    /// KoHybrid's own endpoints refuse fields they do not read, so a typo (`n_results` for `k`)
    /// is an error instead of a silently ignored option. (Chroma's routes accept what
    /// chromadb's client sends, whatever it adds.)
    func rejectUnknownFields(_ known: Set<String>) throws {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.invalidArgument("field \"\(unknown)\" is unknown here (known fields: \(known.sorted().joined(separator: ", ")))")
        }
    }

    static func wrongType(_ name: String, _ expected: String, _ got: JSONValue) -> APIError {
        .invalidArgument("field \"\(name)\": expected \(expected), got \(got.typeName)")
    }

    func string(_ name: String) throws -> String? {
        guard let value = self[name] else { return nil }
        guard case .string(let s) = value else { throw Self.wrongType(name, "a string", value) }
        return s
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = self[name] else { return nil }
        guard case .bool(let b) = value else { throw Self.wrongType(name, "a boolean", value) }
        return b
    }

    func int(_ name: String, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let value = self[name] else { return nil }
        guard case .int(let i) = value else { throw Self.wrongType(name, "an integer", value) }
        if let range, !range.contains(Int(clamping: i)) {
            throw APIError.invalidArgument("field \"\(name)\": \(i) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(clamping: i)
    }

    func double(_ name: String) throws -> Double? {
        guard let value = self[name] else { return nil }
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: throw Self.wrongType(name, "a number", value)
        }
    }

    func object(_ name: String) throws -> [String: JSONValue]? {
        guard let value = self[name] else { return nil }
        guard case .object(let o) = value else { throw Self.wrongType(name, "an object", value) }
        return o
    }

    func array(_ name: String) throws -> [JSONValue]? {
        guard let value = self[name] else { return nil }
        guard case .array(let a) = value else { throw Self.wrongType(name, "a list", value) }
        return a
    }

    func strings(_ name: String) throws -> [String]? {
        guard let items = try array(name) else { return nil }
        return try items.enumerated().map { i, item in
            guard case .string(let s) = item else { throw Self.wrongType("\(name)[\(i)]", "a string", item) }
            return s
        }
    }

    func filter(_ name: String = "where") throws -> Filter? {
        guard let value = self[name] else { return nil }
        if case .object(let o) = value, o.isEmpty { return nil }
        do { return try Filter(json: value, path: name) } catch { throw APIError.invalidArgument(error.description) }
    }

    func documentFilter(_ name: String = "where_document") throws -> DocumentFilter? {
        guard let value = self[name] else { return nil }
        if case .object(let o) = value, o.isEmpty { return nil }
        do { return try DocumentFilter(json: value, path: name) } catch { throw APIError.invalidArgument(error.description) }
    }

    /// A vector: a list of numbers, or (when `base64` is allowed) a base64 string of
    /// little-endian float32 values, as chromadb sends embeddings on writes.
    static func vector(_ value: JSONValue, field: String) throws -> [Float] {
        switch value {
        case .array(let items):
            do { return try items.floatVector() } catch { throw wrongType("\(field)[\(error.index)]", "a number", error.found) }
        case .string(let text):
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                throw APIError.invalidArgument("field \"\(field)\": not base64 of little-endian float32 values")
            }
            return data.withUnsafeBytes { raw in
                (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        default:
            throw wrongType(field, "a list of numbers or a base64 string", value)
        }
    }

    /// An optional column of per-record values, as long as `count` when present.
    func column(_ name: String, count: Int) throws -> [JSONValue]? {
        guard let items = try array(name) else { return nil }
        guard items.count == count else {
            throw APIError.invalidArgument("field \"\(name)\" has \(items.count) entries but \"ids\" has \(count)")
        }
        return items
    }

    func vectors(_ name: String, count: Int? = nil) throws -> [[Float]?]? {
        guard let items = try count.map({ try column(name, count: $0) }) ?? array(name) else { return nil }
        return try items.enumerated().map { i, item in
            if case .null = item { return nil }
            return try Self.vector(item, field: "\(name)[\(i)]")
        }
    }
}

extension Metadata {
    /// Metadata from a request field, `nil` values dropped (they mean "no value" on writes).
    static func from(_ value: JSONValue, field: String) throws -> Metadata {
        guard case .object = value else { throw RequestBody.wrongType(field, "an object", value) }
        do { return try Metadata(json: value, path: field, nulls: .omitted) } catch { throw APIError.invalidArgument(error.description) }
    }
}
