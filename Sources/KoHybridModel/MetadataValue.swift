/// A typed metadata value. Integers and floats stay distinct (`4` is not `4.0`), and lists hold
/// values of one scalar type, as in Chroma 1.5.
public enum MetadataValue: Sendable, Hashable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case stringList([String])
    case intList([Int64])
    case doubleList([Double])
    case boolList([Bool])
}

/// A record's metadata: key to typed value.
public typealias Metadata = [String: MetadataValue]
