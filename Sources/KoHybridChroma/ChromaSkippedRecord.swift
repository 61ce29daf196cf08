import KoHybrid

/// A record the reader could not carry over, and why.
public struct ChromaSkippedRecord: Sendable, Equatable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}
