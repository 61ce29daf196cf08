import Foundation
import KoHybridEmbedding
import KoHybridTestSupport
import Testing
@testable import KoHybrid

/// The embedder against a server that misbehaves on purpose: each fault is retried or refused
/// with an error naming the endpoint, and a store is never half-written.
@Suite(.enabled(if: TestServers.pythonEnabled, "needs the peers Python (scripts/peers-venv.sh)"))
struct EmbedderFaultTests {
    /// Fast retries, so tests do not wait on backoff they are not about.
    static func policy(attempts: Int = 4, timeout: Double = 10) -> RequestPolicy {
        var policy = RequestPolicy()
        policy.maxAttempts = attempts
        policy.initialBackoff = 0.01
        policy.maxBackoff = 0.05
        policy.timeout = timeout
        return policy
    }

    static func embedder(_ behaviour: String, policy: RequestPolicy = policy(), roles: RoleConvention = .init(),
                         encoding: EmbeddingEncoding = .float, dimension: Int? = TestServers.faultDimension,
                         environment: [String: String] = [:]) throws -> (OpenAICompatibleEmbedder, String) {
        let (url, token) = try TestServers.faultURL(behaviour)
        let configuration = EmbedderConfiguration(url: url, model: "fault-model", roles: roles, encoding: encoding,
                                                  apiKeyEnvironmentVariable: "KOHYBRID_TEST_KEY")
        return (try OpenAICompatibleEmbedder(configuration: configuration, policy: policy, expectedDimension: dimension,
                                             environment: environment), token)
    }

    static func temporaryStore() throws -> (Store, URL) {
        let url = SharedData.temporaryDirectory("kohybrid-embed-store")
        return (try Store(directory: url), url)
    }

    static let texts = ["강남 오마카세 런치", "스시 코스 예약", "한우 숯불구이"]

    /// The error `body` throws, or nil when it does not throw.
    static func failure(_ body: () async throws(EmbeddingError) -> [[Float]]) async -> EmbeddingError? {
        do { _ = try await body(); return nil } catch { return error }
    }

    @Test func retryAfterIsHonoured() async throws {
        let (embedder, token) = try Self.embedder("retry-after")
        let started = Date()
        let vectors = try await embedder.embed(Self.texts, role: .document)
        #expect(vectors.count == 3 && vectors.allSatisfy { $0.count == TestServers.faultDimension })
        #expect(Date().timeIntervalSince(started) >= 1.0, "the server asked for 1 s; backoff alone is 0.05 s at most")
        #expect(try await TestServers.stats(token).requests == 2)
        #expect(embedder.statistics.retries == 1)
    }

    @Test func serverErrorThenSuccess() async throws {
        let (embedder, token) = try Self.embedder("error-then-ok")
        let vectors = try await embedder.embed(Self.texts, role: .query)
        #expect(vectors.count == 3)
        #expect(try await TestServers.stats(token).requests == 2)
    }

    @Test func givesUpWithEndpointStatusAndBody() async throws {
        let (embedder, token) = try Self.embedder("always-500", policy: Self.policy(attempts: 3),
                                                  environment: ["KOHYBRID_TEST_KEY": "sk-never-shown-42"])
        let error = await Self.failure { () throws(EmbeddingError) in try await embedder.embed(Self.texts, role: .document) }
        guard case let .http(endpoint, status, body, attempts)? = error else {
            Issue.record("expected an HTTP error, got \(String(describing: error))"); return
        }
        #expect(endpoint.hasSuffix("/always-500/\(token)/v1/embeddings") && status == 503 && attempts == 3)
        #expect(body.contains("model is overloaded"))
        let text = error?.description ?? ""
        #expect(text.contains(endpoint) && text.contains("503") && text.contains("3 attempts"))
        #expect(!text.contains("sk-never-shown-42"), "the key is never part of an error")
        let stats = try await TestServers.stats(token)
        #expect(stats.requests == 3 && stats.authorization, "the key was sent as a header")
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let (embedder, token) = try Self.embedder("bad-request")
        let error = await Self.failure { () throws(EmbeddingError) in try await embedder.embed(Self.texts, role: .document) }
        guard case let .http(_, status, body, attempts)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(status == 400 && attempts == 1 && body.contains("unknown field"))
        #expect(try await TestServers.stats(token).requests == 1)
    }

    @Test func hangTimesOut() async throws {
        let (embedder, token) = try Self.embedder("hang", policy: Self.policy(attempts: 2, timeout: 1))
        let error = await Self.failure { () throws(EmbeddingError) in try await embedder.embed(Self.texts, role: .document) }
        // The server never answers a hung request (it sleeps 30 s, then sends nothing), so only
        // the client's own 1 s timeout can end it with this error.
        guard case let .timeout(endpoint, seconds, attempts)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(endpoint.contains("/hang/") && seconds == 1 && attempts == 2)
        #expect(try await TestServers.stats(token).requests == 2)
    }

    @Test(arguments: [("malformed", "malformed JSON"), ("wrong-count", "2 embeddings for 3 inputs"),
                      ("nan", "non-finite"), ("wrong-dimension", "5-dimensional vectors, expected 4")])
    func badResponsesAreRefused(behaviour: String, says: String) async throws {
        for encoding in [EmbeddingEncoding.float, .base64] {
            let (embedder, token) = try Self.embedder(behaviour, encoding: encoding)
            let error = await Self.failure { () throws(EmbeddingError) in try await embedder.embed(Self.texts, role: .document) }
            let text = error?.description ?? "no error"
            // JSON has no NaN: as numbers it arrives as a bare NaN token (not JSON); base64 carries a real NaN.
            let expected = behaviour == "nan" && encoding == .float ? "malformed JSON" : says
            #expect(text.contains(expected), "\(behaviour) (\(encoding)): \(text)")
            #expect(text.contains("/\(behaviour)/\(token)/v1/embeddings"))
            #expect(try await TestServers.stats(token).requests == 1, "a bad 200 answer is not retried")
        }
    }

    @Test func vectorsArePlacedByIndex() async throws {
        let (inOrder, _) = try Self.embedder("ok")
        let (shuffled, _) = try Self.embedder("shuffled")
        #expect(try await shuffled.embed(Self.texts, role: .document) == inOrder.embed(Self.texts, role: .document))
    }

    @Test func batchesInFlightKeepTheOrder() async throws {
        let texts = (0..<23).map { "문서 \($0)" }
        var policy = Self.policy()
        policy.batchSize = 3
        policy.maxConcurrentRequests = 4
        let (batched, token) = try Self.embedder("ok", policy: policy)
        let (single, _) = try Self.embedder("ok")
        let vectors = try await batched.embed(texts, role: .document)
        #expect(try await TestServers.stats(token).requests == 8)
        #expect(vectors == (try await single.embed(texts, role: .document)))
    }

    @Test func nothingExtraIsSentByDefault() async throws {
        let (plain, plainToken) = try Self.embedder("ok")
        _ = try await plain.embed(["오마카세"], role: .query)
        let plainBody = try await TestServers.stats(plainToken)
        #expect(Set(plainBody.last_body?.keys ?? [:].keys) == ["model", "input"])
        #expect(!plainBody.authorization, "no key variable set: no Authorization header")

        let roles = RoleConvention(queryPrefix: "query: ", documentPrefix: "passage: ", queryInputType: "query",
                                   documentInputType: "passage", documentModel: "doc-model")
        let (typed, typedToken) = try Self.embedder("ok", roles: roles, encoding: .base64)
        _ = try await typed.embed(["오마카세"], role: .document)
        let body = try await TestServers.stats(typedToken).last_body ?? [:]
        #expect(body["input"] == .array([.string("passage: 오마카세")]))
        #expect(body["input_type"] == .string("passage") && body["model"] == .string("doc-model"))
        #expect(body["encoding_format"] == .string("base64"))
        _ = try await typed.embed(["오마카세"], role: .query)
        let queryBody = try await TestServers.stats(typedToken).last_body ?? [:]
        #expect(queryBody["input"] == .array([.string("query: 오마카세")]) && queryBody["model"] == .string("fault-model"))
    }

    @Test func connectionRefusedIsATransportError() async throws {
        // A port nothing listens on: bind one, then free it.
        let configuration = EmbedderConfiguration(url: "http://127.0.0.1:9/v1", model: "m")
        let embedder = try OpenAICompatibleEmbedder(configuration: configuration, policy: Self.policy(attempts: 2))
        let error = await Self.failure { () throws(EmbeddingError) in try await embedder.embed(["x"], role: .query) }
        guard case let .transport(endpoint, _, attempts)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(endpoint == "http://127.0.0.1:9/v1/embeddings" && attempts == 2)
    }

    /// Several processes filling one cache file at once: none fails, every text is kept once,
    /// and a run after them makes no request.
    @Test func severalProcessesShareOneCache() async throws {
        let folder = SharedData.temporaryDirectory("kohybrid-embed-processes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("cache/embeddings.sqlite").path
        // Three overlapping sets of 300 texts (500 distinct).
        for part in 0..<3 {
            let lines = (part * 100..<part * 100 + 300).map { #"{"text": "문서 번호 \#($0)"}"# }.joined(separator: "\n")
            try Data(lines.utf8).write(to: folder.appendingPathComponent("part\(part).jsonl"))
        }
        let (url, token) = try TestServers.faultURL("ok")
        func arguments(_ part: Int) -> [String] {
            ["embed", "--jsonl", folder.appendingPathComponent("part\(part).jsonl").path,
             "--out", folder.appendingPathComponent("part\(part).f32").path, "--embed-url", url, "--embed-model", "m",
             "--embed-cache", cache, "--embed-batch-size", "7", "--json"]
        }
        let results = try await withThrowingTaskGroup(of: CommandLineTool.Result.self) { group in
            for part in 0..<3 { group.addTask { try await CommandLineTool.run(arguments(part)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result.status == 0, "\(result.stderr)") }
        #expect(try await EmbeddingCache(at: URL(fileURLWithPath: cache)).count() == 500)
        let before = try await TestServers.stats(token).requests
        let again = try await CommandLineTool.run(arguments(1))
        #expect(again.status == 0 && (again.json?["requests"] as? Int) == 0 && (again.json?["cache_hits"] as? Int) == 300)
        #expect(try await TestServers.stats(token).requests == before)
        // The rows match what each process wrote for the same texts.
        let first = try Data(contentsOf: folder.appendingPathComponent("part1.f32"))
        #expect(first.count == 300 * TestServers.faultDimension * 4)
    }

    // MARK: - The store

    @Test func failingEmbedderWritesNothing() async throws {
        let (store, url) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: url) }
        await store.setEmbedderProvider(.openAICompatible(policy: Self.policy(attempts: 2), cache: .disabled))
        for behaviour in ["wrong-count", "wrong-dimension", "nan", "malformed", "always-500"] {
            let name = "c-\(behaviour)"
            let (badURL, _) = try TestServers.faultURL(behaviour)
            try await store.createCollection(name, configuration: .init(dimension: 4, embedder: .init(url: badURL, model: "m")))
            let kept = Record(id: "kept", document: "원래 문서", embedding: [1, 2, 3, 4])
            try await store.upsert([kept], into: name)
            let batch = [Record(id: "kept", document: "바뀐 문서"), Record(id: "new", document: "새 문서")]
            do {
                try await store.upsert(batch, into: name)
                Issue.record("\(behaviour): the upsert should fail")
            } catch {
                guard case .embedding(let collection, _) = error else { Issue.record("\(behaviour): got \(error)"); continue }
                #expect(collection == name)
            }
            #expect(try await store.count(in: name) == 1)
            #expect(try await store.get(ids: ["kept"], from: name, includeEmbeddings: true) == [kept], "\(behaviour)")
            await #expect(throws: StoreError.self) { try await store.search(SearchQuery(text: "문서"), in: name) }
        }
        // Sparse search needs no embedder, and a working one fixes the collection.
        #expect(try await store.search(SearchQuery(text: "원래 문서", mode: .sparse), in: "c-nan").map(\.id) == ["kept"])
        let (okURL, _) = try TestServers.faultURL("ok")
        try await store.setEmbedder(.init(url: okURL, model: "m"), for: "c-nan")
        try await store.upsert([Record(id: "new", document: "새 문서")], into: "c-nan")
        let hits = try await store.search(SearchQuery(text: "새 문서", k: 2), in: "c-nan")
        #expect(hits.first?.id == "new" && hits.first?.dense != nil && hits.first?.sparse != nil, "true hybrid from text")
        try await store.close()
    }

    @Test func collectionDimensionMustMatch() async throws {
        let (store, url) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(at: url) }
        await store.setEmbedderProvider(.openAICompatible(policy: Self.policy(), cache: .disabled))
        let (okURL, _) = try TestServers.faultURL("ok")
        try await store.createCollection("eight", configuration: .init(dimension: 8, embedder: .init(url: okURL, model: "m")))
        do {
            try await store.upsert([Record(id: "a", document: "문서")], into: "eight")
            Issue.record("a 4-dimensional embedder cannot fill an 8-dimensional collection")
        } catch {
            #expect("\(error)".contains("4-dimensional vectors, expected 8"), "\(error)")
        }
        #expect(try await store.count(in: "eight") == 0)
        try await store.close()
    }
}
