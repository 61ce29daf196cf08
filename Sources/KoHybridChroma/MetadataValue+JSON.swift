import KoHybrid

extension MetadataValue {
    /// Converts a JSON metadata value, keeping `4` (int) and `4.0` (double) apart. Lists must
    /// hold one scalar type (Chroma 1.5 rejects mixed lists); `null` and nested objects have no
    /// metadata form and are refused — callers handle `null` (absent, or "delete this key").
    init(json value: JSONValue, key: String, path: String, context: String) throws(ChromaError) {
        func refuse(_ what: String) -> ChromaError {
            .unsupportedData(path: path, reason: "\(context): metadata key \"\(key)\" holds \(what)")
        }
        switch value {
        case let .string(text): self = .string(text)
        case let .int(number): self = .int(number)
        case let .double(number): self = .double(number)
        case let .bool(flag): self = .bool(flag)
        case .null: throw refuse("null")
        case .object: throw refuse("an object")
        case let .array(elements):
            guard let first = elements.first else { throw refuse("an empty list (its type is unknown)") }
            switch first {
            case .string:
                self = .stringList(try elements.map { (e) throws(ChromaError) -> String in guard case let .string(x) = e else { throw refuse("a mixed list") }; return x })
            case .int:
                self = .intList(try elements.map { (e) throws(ChromaError) -> Int64 in guard case let .int(x) = e else { throw refuse("a mixed list") }; return x })
            case .double:
                self = .doubleList(try elements.map { (e) throws(ChromaError) -> Double in guard case let .double(x) = e else { throw refuse("a mixed list") }; return x })
            case .bool:
                self = .boolList(try elements.map { (e) throws(ChromaError) -> Bool in guard case let .bool(x) = e else { throw refuse("a mixed list") }; return x })
            default: throw refuse("a list of lists, objects or nulls")
            }
        }
    }
}

extension Metadata {
    /// A JSON object as metadata; `null` members are left out (Chroma stores no null values).
    init(jsonObject members: [String: JSONValue], path: String, context: String) throws(ChromaError) {
        var metadata: Metadata = [:]
        for (key, value) in members where value != .null {
            metadata[key] = try MetadataValue(json: value, key: key, path: path, context: context)
        }
        self = metadata
    }
}
