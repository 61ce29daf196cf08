import Foundation

/// How an `OpenAICompatibleEmbedder` talks to its server: batching, parallel requests, timeouts
/// and retries.
///
/// Retries follow the usual practice for rate-limited APIs: exponential backoff with jitter
/// (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog 2015), waiting at least what
/// the server's `Retry-After` asks for.
///
/// ```swift
/// var policy = RequestPolicy()
/// policy.batchSize = 32; policy.maxConcurrentRequests = 8; policy.timeout = 30
/// ```
public struct RequestPolicy: Sendable, Hashable {
    /// Texts per request.
    public var batchSize = 64
    /// Requests in flight at once.
    public var maxConcurrentRequests = 4
    /// Seconds one request may take before it counts as failed.
    public var timeout: Double = 60
    /// Tries per request, the first included (1 = no retries).
    public var maxAttempts = 6
    /// The first backoff in seconds; each retry doubles it, up to `maxBackoff`.
    public var initialBackoff: Double = 0.5
    public var maxBackoff: Double = 30
    /// The longest `Retry-After` honoured; a server asking for more makes the request fail.
    public var maxRetryAfter: Double = 300

    public init() {}

    public func validate() throws(EmbeddingError) {
        guard batchSize >= 1 else { throw .invalidConfiguration("the batch size must be at least 1, got \(batchSize)") }
        guard maxConcurrentRequests >= 1 else { throw .invalidConfiguration("requests in flight must be at least 1, got \(maxConcurrentRequests)") }
        guard timeout > 0 else { throw .invalidConfiguration("the timeout must be positive, got \(timeout)") }
        guard maxAttempts >= 1 else { throw .invalidConfiguration("attempts must be at least 1, got \(maxAttempts)") }
        guard initialBackoff >= 0, maxBackoff >= initialBackoff else {
            throw .invalidConfiguration("backoff needs 0 <= initial <= maximum")
        }
    }

    /// Seconds to wait before try `attempt + 1` (`attempt` >= 1 tries made): the server's
    /// `Retry-After` when it sent one, else `initialBackoff * 2^(attempt-1)` capped at
    /// `maxBackoff`, with "equal jitter" (half fixed, half random) so that parallel clients spread out.
    func delay(afterAttempt attempt: Int, retryAfter: Double?) -> Double {
        let exponential = min(maxBackoff, initialBackoff * pow(2, Double(attempt - 1)))
        let jittered = exponential / 2 + Double.random(in: 0...(exponential / 2))
        guard let retryAfter else { return jittered }
        // A little jitter on top, so clients told the same instant do not return together.
        return retryAfter + Double.random(in: 0...min(1, initialBackoff))
    }

    /// `Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
    static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
