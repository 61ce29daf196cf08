import Foundation

/// Which OpenAI-compatible endpoint and model make a collection's vectors. A collection records
/// this (never the API key: only the name of the environment variable that holds it).
///
/// ```swift
/// var config = EmbedderConfiguration(url: "http://127.0.0.1:8080/v1", model: "multilingual-e5-small")
/// config.roles = RoleConvention(queryInputType: "query", documentInputType: "passage")
/// ```
public struct EmbedderConfiguration: Sendable, Hashable, Codable {
    /// The API base; requests go to `{url}/embeddings`.
    public var url: String
    public var model: String
    public var roles: RoleConvention
    /// Sent as `dimensions` (models with shortened outputs such as text-embedding-3); nil sends
    /// nothing and takes the model's own dimension.
    public var dimensions: Int?
    public var encoding: EmbeddingEncoding
    /// The environment variable holding the API key; when it is unset or empty no
    /// `Authorization` header is sent (local servers need none).
    public var apiKeyEnvironmentVariable: String

    public static let defaultAPIKeyEnvironmentVariable = "OPENAI_API_KEY"

    public init(url: String, model: String, roles: RoleConvention = .init(), dimensions: Int? = nil,
                encoding: EmbeddingEncoding = .float, apiKeyEnvironmentVariable: String = defaultAPIKeyEnvironmentVariable) {
        self.url = url
        self.model = model
        self.roles = roles
        self.dimensions = dimensions
        self.encoding = encoding
        self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        url = try c.decode(String.self, forKey: .url)
        model = try c.decode(String.self, forKey: .model)
        roles = try c.decodeIfPresent(RoleConvention.self, forKey: .roles) ?? .init()
        dimensions = try c.decodeIfPresent(Int.self, forKey: .dimensions)
        encoding = try c.decodeIfPresent(EmbeddingEncoding.self, forKey: .encoding) ?? .float
        apiKeyEnvironmentVariable = try c.decodeIfPresent(String.self, forKey: .apiKeyEnvironmentVariable)
            ?? Self.defaultAPIKeyEnvironmentVariable
    }

    /// `{url}/embeddings`, without a doubled slash.
    public var endpoint: String {
        (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/embeddings"
    }

    /// The model name sent for `role`.
    public func model(for role: EmbeddingRole) -> String { roles.model(for: role) ?? model }

    /// Model, prefix, `input_type` and requested dimension for one role, as sorted JSON.
    public func vectorIdentity(for role: EmbeddingRole) -> String {
        func quoted(_ s: String?) -> String {
            guard let s else { return "null" }
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        return "{\"dimensions\":\(dimensions.map(String.init) ?? "null"),\"input_type\":\(quoted(roles.inputType(for: role))),"
            + "\"model\":\(quoted(model(for: role))),\"prefix\":\(quoted(roles.prefix(for: role)))}"
    }

    /// Checks what a request could never get right.
    public func validate() throws(EmbeddingError) {
        guard !model.isEmpty else { throw .invalidConfiguration("the model name is empty") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .invalidConfiguration("the URL \"\(url)\" must start with http:// or https://")
        }
        if let dimensions, dimensions <= 0 { throw .invalidConfiguration("dimensions must be positive, got \(dimensions)") }
    }
}
