import Foundation
import Testing
@testable import KoHybridEmbedding

@Suite struct RequestPolicyTests {
    @Test func retryAfterSecondsAndHTTPDates() {
        #expect(RequestPolicy.parseRetryAfter("2") == 2)
        #expect(RequestPolicy.parseRetryAfter(" 0.5 ") == 0.5)
        #expect(RequestPolicy.parseRetryAfter(nil) == nil)
        #expect(RequestPolicy.parseRetryAfter("soon") == nil)
        #expect(RequestPolicy.parseRetryAfter("-3") == nil)
        let now = Date(timeIntervalSince1970: 1_445_412_480)   // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(RequestPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
        #expect(RequestPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now: now) == 0, "a date in the past: retry now")
    }

    @Test func backoffDoublesWithJitterAndHonoursRetryAfter() {
        var policy = RequestPolicy()
        policy.initialBackoff = 1
        policy.maxBackoff = 8
        for attempt in 1...6 {
            let cap = min(8, pow(2, Double(attempt - 1)))
            for _ in 0..<50 {
                let wait = policy.delay(afterAttempt: attempt, retryAfter: nil)
                #expect(wait >= cap / 2 && wait <= cap, "attempt \(attempt): \(wait)")
            }
        }
        for _ in 0..<50 {
            let wait = policy.delay(afterAttempt: 1, retryAfter: 5)
            #expect(wait >= 5 && wait <= 6, "at least what the server asked for")
        }
    }

    @Test func retryableFailures() {
        let endpoint = "http://x/v1/embeddings"
        for status in [408, 409, 429, 500, 502, 503, 504] {
            #expect(EmbeddingError.http(endpoint: endpoint, status: status, body: "", attempts: 1).isRetryable)
        }
        for status in [400, 401, 403, 404, 413, 422] {
            #expect(!EmbeddingError.http(endpoint: endpoint, status: status, body: "", attempts: 1).isRetryable)
        }
        #expect(EmbeddingError.timeout(endpoint: endpoint, seconds: 1, attempts: 1).isRetryable)
        #expect(!EmbeddingError.invalidResponse(endpoint: endpoint, reason: "x", body: "").isRetryable)
    }

    @Test func badSettingsAreRefused() {
        var policy = RequestPolicy()
        policy.batchSize = 0
        #expect(throws: EmbeddingError.self) { try policy.validate() }
        #expect(throws: EmbeddingError.self) { try EmbedderConfiguration(url: "localhost:8080", model: "m").validate() }
        #expect(throws: EmbeddingError.self) { try EmbedderConfiguration(url: "http://h/v1", model: "").validate() }
        #expect(EmbedderConfiguration(url: "http://h/v1/", model: "m").endpoint == "http://h/v1/embeddings")
    }

    @Test func bodyExcerptIsShortAndOneLine() {
        let body = Array(String(repeating: "오류\n", count: 500).utf8)
        let excerpt = EmbeddingError.excerpt(body)
        #expect(excerpt.count <= 301 && !excerpt.contains("\n") && excerpt.hasSuffix("…"))
    }
}
