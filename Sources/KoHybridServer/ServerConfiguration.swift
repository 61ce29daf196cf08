import Foundation

/// How `kohybrid serve` listens and what it allows.
public struct ServerConfiguration: Sendable {
    public enum Address: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unixSocket(path: String)
    }

    public var store: URL
    public var address: Address
    public var readOnly: Bool
    /// Accepted as `Authorization: Bearer T` or `X-Chroma-Token: T`; nil means no auth.
    public var token: String?
    public var maxBodyBytes: Int
    /// Batches larger than this are refused by chromadb's client before it sends them.
    public var maxBatchSize: Int
    /// How often the writer publishes index snapshots while writes arrive (and always at stop).
    public var publishInterval: Duration

    public init(store: URL, address: Address = .tcp(host: "127.0.0.1", port: 8000), readOnly: Bool = false,
                token: String? = nil, maxBodyBytes: Int = 64 << 20,
                maxBatchSize: Int = 5461,
                publishInterval: Duration = .seconds(30)) {
        self.publishInterval = publishInterval
        self.store = store
        self.address = address
        self.readOnly = readOnly
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.maxBatchSize = maxBatchSize
    }
}
