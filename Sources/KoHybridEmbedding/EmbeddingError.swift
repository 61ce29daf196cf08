/// Everything that can go wrong while embedding, each case naming the endpoint (never the key).
public enum EmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error status (after `attempts` tries when it was retryable).
    case http(endpoint: String, status: Int, body: String, attempts: Int)
    /// No answer in time (after `attempts` tries).
    case timeout(endpoint: String, seconds: Double, attempts: Int)
    /// The connection failed (refused, reset, DNS) after `attempts` tries.
    case transport(endpoint: String, message: String, attempts: Int)
    /// The server answered 200 with something that is not a valid embeddings response:
    /// malformed JSON, the wrong number of vectors, non-finite values.
    case invalidResponse(endpoint: String, reason: String, body: String)
    /// A vector's length differs from the dimension expected (the collection's, or the first
    /// vector's).
    case dimensionMismatch(endpoint: String, expected: Int, got: Int)
    /// The embedder's settings cannot work (empty model, bad URL, batch size 0 ...).
    case invalidConfiguration(String)
    /// The vector cache could not be opened, read or written.
    case cache(path: String, message: String)

    public var description: String {
        switch self {
        case let .http(endpoint, status, body, attempts):
            return "POST \(endpoint): HTTP \(status)\(Self.tries(attempts)): \(body.isEmpty ? "(empty body)" : body)"
        case let .timeout(endpoint, seconds, attempts):
            return "POST \(endpoint): no response within \(Self.format(seconds)) s\(Self.tries(attempts))"
        case let .transport(endpoint, message, attempts):
            return "POST \(endpoint): \(message)\(Self.tries(attempts))"
        case let .invalidResponse(endpoint, reason, body):
            return "POST \(endpoint): invalid embeddings response: \(reason)\(body.isEmpty ? "" : " (body: \(body))")"
        case let .dimensionMismatch(endpoint, expected, got):
            return "POST \(endpoint): the server returned \(got)-dimensional vectors, expected \(expected)"
        case let .invalidConfiguration(reason): return "embedder: \(reason)"
        case let .cache(path, message): return "embedding cache \(path): \(message)"
        }
    }

    /// Whether trying again can help: rate limits, server errors, timeouts and broken connections.
    public var isRetryable: Bool {
        switch self {
        case let .http(_, status, _, _): return status == 408 || status == 409 || status == 429 || (500...599).contains(status)
        case .timeout, .transport: return true
        default: return false
        }
    }

    private static func tries(_ attempts: Int) -> String { attempts > 1 ? " (gave up after \(attempts) attempts)" : "" }
    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The first `limit` characters of a response body, on one line: enough to see what the
    /// server said without flooding a log.
    static func excerpt(_ body: [UInt8], limit: Int = 300) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
