/// A malformed filter, naming the bad part: `where.$and[1].price: $gt needs a number, got a string`.
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the filter the problem is, e.g. `where.$and[1].price`.
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}
