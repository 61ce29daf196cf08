import Foundation
import Hummingbird
import KoHybrid
import KoHybridAnalysis

/// KoHybrid's own endpoints, for what Chroma's client cannot send: search by text and/or
/// vector with a mode and fusion, each hit's place in every retriever, the generation step's
/// context in one request, analysis, stats and backup. Described in `OpenAPIDocument`.
struct HybridRoutes {
    let served: ServedStore
    let configuration: ServerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("kohybrid/v1")
        api.post("collections/{name}/search") { request, context in
            let name = try ChromaRoutes.parameter(context, "name")
            let body = try await RequestBody(request, limit: configuration.maxBodyBytes)
            try body.rejectUnknownFields(Options.fields.union(["queries", "text", "vector"]))
            return JSONResponse.make(try await search(body, collection: name))
        }
        api.post("generation-context") { request, _ in
            let body = try await RequestBody(request, limit: configuration.maxBodyBytes)
            try body.rejectUnknownFields(Options.fields.union(["category", "text", "vector", "examples", "sources", "collections"]))
            return try await generationContext(body)
        }
        api.post("analyze") { request, _ in
            let body = try await RequestBody(request, limit: configuration.maxBodyBytes)
            try body.rejectUnknownFields(["text", "analyzer"])
            guard let text = try body.string("text") else { throw APIError.invalidArgument("field \"text\" is required") }
            let presetName = try body.string("analyzer") ?? AnalyzerPreset.korean.rawValue
            guard let preset = AnalyzerPreset(rawValue: presetName) else {
                throw APIError.invalidArgument("field \"analyzer\": unknown preset \"\(presetName)\" (expected \(AnalyzerPreset.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let terms = Analyzer(preset: preset).analyze(text).map { term -> JSONValue in
                .object(["text": .string(term.text), "field": .string(term.field == .word ? "word" : "bigram"),
                         "position": .int(Int64(term.position)),
                         "start": .int(Int64(term.sourceRange.lowerBound)), "end": .int(Int64(term.sourceRange.upperBound))])
            }
            return JSONResponse.make(.object(["analyzer": .string(preset.rawValue), "terms": .array(terms)]))
        }
        api.get("stats") { _, _ in JSONResponse.make(try await served.store.stats().json) }
        api.post("backup") { request, _ in
            let body = try await RequestBody(request, limit: configuration.maxBodyBytes)
            try body.rejectUnknownFields(["path"])
            guard let path = try body.string("path"), path.hasPrefix("/") else {
                throw APIError.invalidArgument("field \"path\": an absolute path on the server for the backup file is required")
            }
            guard !FileManager.default.fileExists(atPath: path) else {
                throw APIError.invalidArgument("field \"path\": \(path) already exists; a backup never overwrites a file")
            }
            try await served.store.backup(to: URL(fileURLWithPath: path))
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return JSONResponse.make(.object(["path": .string(path), "bytes": .int(Int64(size))]))
        }
    }

    // MARK: - Search

    /// The search options a body carries, shared by search and generation-context.
    struct Options {
        var k: Int
        var mode: SearchMode
        var candidates: Int
        var ef: Int?
        var filter: Filter?
        var document: DocumentFilter?
        var include: Set<String>

        /// The body fields these options read.
        static let fields: Set<String> = ["k", "mode", "fusion", "weights", "rrf_k", "candidates", "ef", "where", "where_document", "include"]

        init(_ body: RequestBody, defaultK: Int = 10) throws {
            k = try body.int("k", range: 1...10_000) ?? defaultK
            candidates = try body.int("candidates", range: 1...100_000) ?? Fusion.defaultCandidateDepth
            ef = try body.int("ef", range: 1...100_000)
            filter = try body.filter()
            document = try body.documentFilter()
            include = Set(try body.strings("include") ?? ["documents", "metadatas"])
            for column in include where !["documents", "metadatas"].contains(column) {
                throw APIError.invalidArgument("field \"include\": unknown column \"\(column)\" (expected documents, metadatas)")
            }
            mode = try Self.mode(body)
        }

        /// `mode` (dense, sparse, hybrid) and, for hybrid, `fusion` (default, rrf, rsf, dbsf,
        /// or a named fusion `SearchMode(name:)` knows) with `weights` {dense, sparse} and `rrf_k`.
        static func mode(_ body: RequestBody) throws -> SearchMode {
            let modeName = try body.string("mode") ?? "hybrid"
            switch modeName {
            case "dense": return .dense
            case "sparse": return .sparse
            case "hybrid": break
            default: throw APIError.invalidArgument("field \"mode\": unknown mode \"\(modeName)\" (expected dense, sparse or hybrid)")
            }
            let fusionName = try body.string("fusion") ?? "default"
            let weightsObject = try body.object("weights").map(RequestBody.init(fields:))
            let weights = try weightsObject.map { w -> RetrieverWeights in
                var weights: RetrieverWeights = [:]
                for key in w.fields.keys.sorted() {
                    guard let retriever = Retriever(rawValue: key) else {
                        throw APIError.invalidArgument("field \"weights\": unknown retriever \"\(key)\" (expected dense, sparse)")
                    }
                    guard let weight = try w.double(key), weight.isFinite, weight >= 0 else {
                        throw APIError.invalidArgument("field \"weights.\(key)\": weights are finite and not negative")
                    }
                    weights[retriever] = weight
                }
                return weights
            } ?? [:]
            let rrfK = try body.double("rrf_k") ?? 60
            guard rrfK.isFinite, rrfK >= 0 else { throw APIError.invalidArgument("field \"rrf_k\": must be a non-negative number") }
            switch fusionName {
            case "default":
                guard weights.isEmpty else {
                    throw APIError.invalidArgument("field \"weights\": the default fusion sets its weights per query; name a fusion (rsf, rrf, dbsf) to fix them")
                }
                return .hybrid(.hybridDefault)
            case "rrf": return .hybrid(.reciprocalRank(k: rrfK, weights: weights))
            case "rsf": return .hybrid(.relativeScore(weights: weights))
            case "dbsf": return .hybrid(.distributionBased(weights: weights))
            default:
                guard let mode = SearchMode(name: fusionName), case .hybrid = mode else {
                    throw APIError.invalidArgument("field \"fusion\": unknown fusion \"\(fusionName)\" (expected default, \(SearchMode.names.filter { !["dense", "sparse", "hybrid"].contains($0) }.joined(separator: ", ")))")
                }
                return mode
            }
        }
    }

    /// One query: `text` and/or `vector` (a list of numbers or base64 float32).
    static func queryParts(_ object: RequestBody, field: String) throws -> (text: String?, vector: [Float]?) {
        let text = try object.string("text")
        let vector = try object["vector"].map { try RequestBody.vector($0, field: "\(field)vector") }
        guard text != nil || vector != nil else { throw APIError.invalidArgument("\(field.isEmpty ? "the body" : field) needs \"text\", \"vector\" or both") }
        return (text, vector)
    }

    func search(_ body: RequestBody, collection: String) async throws -> JSONValue {
        let options = try Options(body)
        var queries: [(text: String?, vector: [Float]?)] = []
        if let list = try body.array("queries") {
            guard !list.isEmpty, list.count <= 1_000 else { throw APIError.invalidArgument("field \"queries\": 1 to 1,000 queries") }
            for (i, item) in list.enumerated() {
                guard case .object(let members) = item else { throw RequestBody.wrongType("queries[\(i)]", "an object", item) }
                let query = RequestBody(fields: members)
                try query.rejectUnknownFields(["text", "vector"])
                queries.append(try Self.queryParts(query, field: "queries[\(i)]."))
            }
        } else {
            queries.append(try Self.queryParts(body, field: ""))
        }
        let store = served.store
        let metric = try await store.configuration(of: collection).metric
        var results: [JSONValue] = []
        for query in queries {
            let hits = try await store.search(
                SearchQuery(text: query.text, vector: query.vector, k: options.k, filter: options.filter, documentFilter: options.document,
                            mode: options.mode, candidateDepth: options.candidates, efSearch: options.ef),
                in: collection)
            results.append(.array(hits.map { Self.json($0, include: options.include, metric: metric) }))
        }
        return .object(["results": .array(results), "mode": .string(Self.name(options.mode))])
    }

    func generationContext(_ body: RequestBody) async throws -> Response {
        guard let category = try body.string("category") else { throw APIError.invalidArgument("field \"category\" is required") }
        guard let text = try body.string("text") else { throw APIError.invalidArgument("field \"text\" is required") }
        let vector = try body["vector"].map { try RequestBody.vector($0, field: "vector") }
        let examples = try body.int("examples", range: 0...1_000) ?? 3
        let sources = try body.int("sources", range: 0...1_000) ?? 5
        let options = try Options(body)
        let names = try body.object("collections").map(RequestBody.init(fields:))
        let collections = CategoryCollections(examples: try names?.string("examples") ?? CategoryCollections(category: category).examples,
                                              sources: try names?.string("sources") ?? CategoryCollections(category: category).sources)
        let store = served.store
        let context = try await store.generationContext(category: category, text: text, vector: vector, examples: examples,
                                                        sources: sources, filter: options.filter, documentFilter: options.document, mode: options.mode,
                                                        collections: collections)
        let metrics = (try await store.configuration(of: collections.examples).metric, try await store.configuration(of: collections.sources).metric)
        return JSONResponse.make(.object([
            "examples": .array(context.examples.map { Self.json($0, include: options.include, metric: metrics.0) }),
            "sources": .array(context.sources.map { Self.json($0, include: options.include, metric: metrics.1) }),
            "collections": .object(["examples": .string(collections.examples), "sources": .string(collections.sources)]),
        ]))
    }

    static func name(_ mode: SearchMode) -> String {
        switch mode {
        case .dense: "dense"
        case .sparse: "sparse"
        case .hybrid(let fusion): "hybrid:\(fusion.name)"
        }
    }

    /// A hit with its fused score and its rank and score in each retriever (dense also as
    /// Chroma's distance), so a caller can see why it ranked where it did.
    static func json(_ hit: SearchHit, include: Set<String>, metric: DistanceMetric) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(hit.id),
            "score": .double(hit.score),
            "dense": hit.dense.map { part in
                .object(["rank": .int(Int64(part.rank)), "score": .double(part.score),
                         "distance": .double(ChromaDistance.fromScore(part.score, metric))])
            } ?? .null,
            "sparse": hit.sparse.map { .object(["rank": .int(Int64($0.rank)), "score": .double($0.score)]) } ?? .null,
            // The weights this query gave each list (the default fusion sets them per query).
            "weights": hit.weights.map { weights in
                .object(Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, .double($0.value)) }))
            } ?? .null,
        ]
        if include.contains("documents") { object["document"] = hit.document.map(JSONValue.string) ?? .null }
        if include.contains("metadatas") { object["metadata"] = ChromaRoutes.metadataJSON(hit.metadata) }
        return .object(object)
    }
}
