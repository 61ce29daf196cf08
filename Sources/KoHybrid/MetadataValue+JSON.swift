extension MetadataValue {
    /// The value as JSON: `.int(4)` is `4`, `.double(4)` is `4.0`.
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        case .bool(let b): .bool(b)
        case .stringList(let l): .array(l.map { .string($0) })
        case .intList(let l): .array(l.map { .int($0) })
        case .doubleList(let l): .array(l.map { .double($0) })
        case .boolList(let l): .array(l.map { .bool($0) })
        }
    }

    /// Reads a metadata value from JSON, following Chroma's rules: a string, integer, float or
    /// boolean, or a non-empty list of one of these types. `path` names the value in errors.
    public init(json: JSONValue, path: String) throws(MetadataError) {
        switch json {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .bool(let b): self = .bool(b)
        case .array(let items):
            guard let first = items.first else { throw MetadataError(path: path, reason: "an empty list has no element type") }
            func all<T>(_ extract: (JSONValue) -> T?) throws(MetadataError) -> [T] {
                var out: [T] = []
                out.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    guard let value = extract(item) else {
                        throw MetadataError(path: "\(path)[\(i)]", reason: "a list holds one type: expected \(first.typeName), got \(item.typeName)")
                    }
                    out.append(value)
                }
                return out
            }
            switch first {
            case .string: self = .stringList(try all { if case .string(let v) = $0 { v } else { nil } })
            case .int: self = .intList(try all { if case .int(let v) = $0 { v } else { nil } })
            case .double: self = .doubleList(try all { if case .double(let v) = $0 { v } else { nil } })
            case .bool: self = .boolList(try all { if case .bool(let v) = $0 { v } else { nil } })
            default: throw MetadataError(path: "\(path)[0]", reason: "list elements must be strings, integers, floats or booleans, got \(first.typeName)")
            }
        case .null, .object:
            throw MetadataError(path: path, reason: "expected a string, integer, float, boolean or a list of one of these, got \(json.typeName)")
        }
    }

    /// Whether the value is one scalar (not a list).
    public var isScalar: Bool {
        switch self {
        case .string, .int, .double, .bool: true
        default: false
        }
    }

    /// The scalar elements of a list value (a scalar is a one-element list of itself).
    var elements: [MetadataValue] {
        switch self {
        case .string, .int, .double, .bool: [self]
        case .stringList(let l): l.map { .string($0) }
        case .intList(let l): l.map { .int($0) }
        case .doubleList(let l): l.map { .double($0) }
        case .boolList(let l): l.map { .bool($0) }
        }
    }
}

/// Metadata that does not follow the rules, naming the key (and list index) at fault.
public struct MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}

/// JSON text for the metadata column and back.
enum MetadataCodec {
    static func encode(_ metadata: Metadata) -> String {
        JSONValue.object(metadata.mapValues(\.json)).jsonText
    }

    /// Decodes a JSON object of metadata values; `path` prefixes error locations.
    static func decode(_ json: JSONValue, path: String) throws(MetadataError) -> Metadata {
        guard case .object(let members) = json else {
            throw MetadataError(path: path, reason: "expected an object, got \(json.typeName)")
        }
        var out: Metadata = [:]
        for (key, value) in members {
            guard !key.isEmpty else { throw MetadataError(path: path, reason: "a metadata key cannot be empty") }
            out[key] = try MetadataValue(json: value, path: path.isEmpty ? key : "\(path).\(key)")
        }
        return out
    }

    static func decode(_ text: String, path: String) throws(MetadataError) -> Metadata {
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch { throw MetadataError(path: path, reason: error.description) }
        return try decode(json, path: path)
    }
}

extension Dictionary where Key == String, Value == MetadataValue {
    /// Reads metadata from a JSON object, e.g. `{"price": 4, "rating": 4.0, "tags": ["런치"]}`.
    /// Errors name the key: `metadata.tags[1]: a list holds one type: ...`.
    public init(json: JSONValue, path: String = "metadata") throws(MetadataError) {
        self = try MetadataCodec.decode(json, path: path)
    }

    /// The metadata as a JSON object.
    public var json: JSONValue { .object(mapValues(\.json)) }
}
