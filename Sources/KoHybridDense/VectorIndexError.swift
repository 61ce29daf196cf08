/// Errors from the vector indexes. Messages say what is wrong and where (record key, file, offset).
public enum VectorIndexError: Error, Sendable, Equatable, CustomStringConvertible {
    case dimensionMismatch(key: UInt64?, expected: Int, actual: Int)
    case nonFiniteValue(key: UInt64?, position: Int)
    case zeroVector(key: UInt64?)
    case duplicateKeyInBatch(key: UInt64)
    case invalidDimension(Int)
    case io(path: String, reason: String)
    case corruptFile(path: String, reason: String)
    case invariantViolated(String)

    public var description: String {
        func who(_ key: UInt64?) -> String { key.map { "vector for key \($0)" } ?? "query vector" }
        switch self {
        case let .dimensionMismatch(key, expected, actual):
            return "\(who(key)) has \(actual) values, expected \(expected)"
        case let .nonFiniteValue(key, position):
            return "\(who(key)) has a NaN or infinite value at position \(position)"
        case let .zeroVector(key):
            return "\(who(key)) is all zeros, which has no cosine direction"
        case let .duplicateKeyInBatch(key):
            return "key \(key) occurs more than once in one batch"
        case let .invalidDimension(d):
            return "dimension \(d) is not positive"
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .corruptFile(path, reason):
            return "\(path): not a usable index file: \(reason)"
        case let .invariantViolated(what):
            return "index invariant violated: \(what)"
        }
    }
}
