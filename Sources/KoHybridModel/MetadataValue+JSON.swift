/// The one conversion between JSON and metadata, used by the store's metadata column, the
/// server's request bodies, `kohybrid ingest` files, Chroma exports and Chroma's own database.
///
/// It follows Chroma 1.5's rules: a value is a string, an integer, a float or a boolean, or a
/// non-empty list of one of these types; `4` stays an integer and `4.0` a float. Errors name the
/// key (and list index) at fault: `metadata.tags[1]: a list holds one type: ...`.
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

    /// Reads a metadata value from JSON. `null` and objects have no metadata form: callers that
    /// give `null` a meaning (absent, or "delete this key") handle it before calling this.
    /// `path` names the value in errors.
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
    public var elements: [MetadataValue] {
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

/// What a `null` member of a metadata object means.
public enum MetadataNulls: Sendable {
    /// An error: the store's own column never holds one.
    case refused
    /// No value: the key is left out (Chroma stores no nulls; a write's `null` means "unset").
    case omitted
}

extension Dictionary where Key == String, Value == MetadataValue {
    /// Reads metadata from a JSON object, e.g. `{"price": 4, "rating": 4.0, "tags": ["런치"]}`.
    /// Errors name the key: `metadata.tags[1]: a list holds one type: ...`; an empty `path` makes
    /// the key alone the location.
    public init(json: JSONValue, path: String = "metadata", nulls: MetadataNulls = .refused) throws(MetadataError) {
        guard case .object(let members) = json else {
            throw MetadataError(path: path, reason: "expected an object, got \(json.typeName)")
        }
        var out: Metadata = [:]
        out.reserveCapacity(members.count)
        for (key, value) in members {
            guard !key.isEmpty else { throw MetadataError(path: path, reason: "a metadata key cannot be empty") }
            if value == .null, nulls == .omitted { continue }
            out[key] = try MetadataValue(json: value, path: Self.path(path, key))
        }
        self = out
    }

    /// Reads metadata from JSON text (the store's metadata column).
    public init(jsonText text: String, path: String = "metadata") throws(MetadataError) {
        let json: JSONValue
        do { json = try JSONValue(parsing: text) } catch { throw MetadataError(path: path, reason: error.description) }
        try self.init(json: json, path: path)
    }

    /// The metadata as a JSON object.
    public var json: JSONValue { .object(mapValues(\.json)) }

    /// Compact JSON text, keys sorted, so the same metadata always gives the same text.
    public var jsonText: String { json.jsonText }

    /// `path.key`, or the key alone at the top.
    static func path(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

extension Dictionary where Key == String, Value == MetadataValue? {
    /// Reads a metadata change (Chroma's `update` semantics): a key mapped to a value sets it, a
    /// key mapped to `null` removes it, keys not named keep their stored value.
    ///
    /// ```swift
    /// let change = try [String: MetadataValue?](changesJSON: JSONValue(parsing: #"{"rating": 5, "draft": null}"#))
    /// // ["rating": .int(5), "draft": nil]
    /// ```
    public init(changesJSON json: JSONValue, path: String = "metadata") throws(MetadataError) {
        guard case .object(let members) = json else {
            throw MetadataError(path: path, reason: "expected an object, got \(json.typeName)")
        }
        var out: [String: MetadataValue?] = [:]
        out.reserveCapacity(members.count)
        for (key, value) in members {
            guard !key.isEmpty else { throw MetadataError(path: path, reason: "a metadata key cannot be empty") }
            out[key] = value == .null ? .some(nil) : try MetadataValue(json: value, path: Metadata.path(path, key))
        }
        self = out
    }
}
