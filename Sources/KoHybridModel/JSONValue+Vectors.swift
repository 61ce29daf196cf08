extension Array where Element == JSONValue {
    /// A JSON list of numbers as a float32 vector, integers included (`[1, 0.5]`): how an
    /// embedding arrives in `kohybrid ingest` files, Chroma exports and request bodies. A float
    /// is rounded to the nearest float32, so Python's printed float32 values read back exactly.
    public func floatVector() throws(NonNumberElement) -> [Float] {
        var vector: [Float] = []
        vector.reserveCapacity(count)
        for (index, item) in enumerated() {
            switch item {
            case .double(let v): vector.append(Float(v))
            case .int(let v): vector.append(Float(v))
            default: throw NonNumberElement(index: index, found: item)
            }
        }
        return vector
    }
}

/// A list element that is not a number, where a vector was expected.
public struct NonNumberElement: Error, Sendable, Equatable {
    /// Its 0-based place in the list.
    public var index: Int
    public var found: JSONValue
}
