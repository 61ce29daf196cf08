import KoHybridFusion

/// The two collections the generation step reads for one category.
///
/// By convention a category `c` keeps its few-shot examples in `c.examples` and its source
/// passages in `c.sources` (e.g. `omakase.examples`, `omakase.sources`); pass explicit names
/// to use others.
public struct CategoryCollections: Sendable, Hashable {
    public var examples: String
    public var sources: String

    public init(examples: String, sources: String) {
        self.examples = examples
        self.sources = sources
    }

    /// `<category>.examples` and `<category>.sources`.
    public init(category: String) {
        self.init(examples: "\(category).examples", sources: "\(category).sources")
    }
}

/// What the generation step gets for one shop: the best few-shot examples and sources.
public struct GenerationContext: Sendable, Hashable {
    public var examples: [SearchHit]
    public var sources: [SearchHit]

    public init(examples: [SearchHit], sources: [SearchHit]) {
        self.examples = examples; self.sources = sources
    }
}

extension Store {
    /// The generation step's retrieval in one call: for a shop's text (and its vector, when
    /// there is one), the `examples` best few-shot examples and the `sources` best source
    /// passages of a category, each by hybrid search in its own collection. Without a vector,
    /// a collection that records an embedder embeds the text; any other searches BM25 only.
    ///
    /// ```swift
    /// let context = try await store.generationContext(category: "omakase", text: shop.summary,
    ///                                                  vector: shop.embedding, examples: 3, sources: 8)
    /// ```
    public func generationContext(category: String, text: String, vector: [Float]? = nil,
                                  examples: Int, sources: Int, filter: Filter? = nil, documentFilter: DocumentFilter? = nil,
                                  mode: SearchMode = .hybrid(.hybridDefault),
                                  collections: CategoryCollections? = nil) async throws(StoreError) -> GenerationContext {
        let names = collections ?? CategoryCollections(category: category)
        func search(_ k: Int, in collection: String) async throws(StoreError) -> [SearchHit] {
            guard k > 0 else { return [] }
            var embeds = false
            if vector == nil { embeds = try collectionRow(collection).configuration.embedder != nil }
            return try await self.search(SearchQuery(text: text, vector: vector, k: k, filter: filter, documentFilter: documentFilter,
                                                     mode: vector == nil && !embeds ? .sparse : mode), in: collection)
        }
        return GenerationContext(examples: try await search(examples, in: names.examples),
                                 sources: try await search(sources, in: names.sources))
    }
}
