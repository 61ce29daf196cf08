import Foundation
import Hummingbird
import KoHybrid

/// The subset of Chroma's HTTP API v2 that chromadb 1.5.9's `HttpClient` uses, so unchanged
/// Chroma code runs against `kohybrid serve`: the handshake, heartbeat / version / pre-flight,
/// collections by name and by UUID, and record operations with Chroma's semantics (`add` skips
/// existing ids, `update` merges metadata, `upsert` merges or inserts, distances as Chroma
/// reports them).
struct ChromaRoutes {
    let served: ServedStore
    let configuration: ServerConfiguration

    func register(on router: Router<BasicRequestContext>) {
        let api = router.group("api/v2")
        api.get("heartbeat") { _, _ in
            JSONResponse.make(.object(["nanosecond heartbeat": .int(Int64(DispatchTime.now().uptimeNanoseconds))]))
        }
        api.get("version") { _, _ in JSONResponse.make(.string(KoHybridServer.version)) }
        api.get("healthcheck") { _, _ in
            JSONResponse.make(.object(["is_executor_ready": .bool(true), "is_log_client_ready": .bool(true)]))
        }
        api.get("auth/identity") { _, _ in
            JSONResponse.make(.object(["user_id": .string(""), "tenant": .string(ChromaCollectionModel.tenant),
                                       "databases": .array([.string(ChromaCollectionModel.database)])]))
        }
        api.get("pre-flight-checks") { _, _ in
            JSONResponse.make(.object(["max_batch_size": .int(Int64(configuration.maxBatchSize)),
                                       "supports_base64_encoding": .bool(true)]))
        }
        api.get("tenants/{tenant}") { _, context in
            let tenant = try Self.tenant(context)
            return JSONResponse.make(.object(["name": .string(tenant), "resource_name": .null]))
        }
        api.get("tenants/{tenant}/databases/{database}") { _, context in
            let (tenant, database) = try Self.database(context)
            return JSONResponse.make(.object(["id": .string("00000000-0000-0000-0000-000000000000"),
                                              "name": .string(database), "tenant": .string(tenant)]))
        }

        let collections = api.group("tenants/{tenant}/databases/{database}")
        collections.post("collections") { request, context in try await createCollection(request, context) }
        collections.get("collections") { request, context in try await listCollections(request, context) }
        collections.get("collections_count") { _, context in
            _ = try Self.database(context)
            return JSONResponse.make(.int(Int64(try await served.store.collections().count)))
        }
        collections.get("collections/by-id/{collection}") { _, context in
            JSONResponse.make(ChromaCollectionModel.json(try await collection(byUUID: context, counting: true)))
        }
        collections.get("collections/{collection}") { _, context in
            _ = try Self.database(context)
            return JSONResponse.make(ChromaCollectionModel.json(try await served.store.collection(named: try Self.parameter(context, "collection"))))
        }
        collections.delete("collections/{collection}") { _, context in
            _ = try Self.database(context)
            try await served.requireWriter().deleteCollection(try Self.parameter(context, "collection"))
            return JSONResponse.make(.object([:]))
        }
        collections.put("collections/{collection}") { request, context in try await modifyCollection(request, context) }
        collections.post("collections/{collection}/add") { request, context in try await write(request, context, .add) }
        collections.post("collections/{collection}/upsert") { request, context in try await write(request, context, .upsert) }
        collections.post("collections/{collection}/update") { request, context in try await write(request, context, .update) }
        collections.post("collections/{collection}/get") { request, context in try await get(request, context) }
        collections.post("collections/{collection}/query") { request, context in try await query(request, context) }
        collections.post("collections/{collection}/delete") { request, context in try await delete(request, context) }
        collections.get("collections/{collection}/count") { _, context in
            JSONResponse.make(.int(Int64(try await collection(byUUID: context, counting: true).count)))
        }
    }

    // MARK: - Path parameters

    /// A path parameter, percent-decoded (chromadb quotes every path component).
    static func parameter(_ context: BasicRequestContext, _ name: String) throws -> String {
        guard let raw = context.parameters.get(name) else { throw APIError.invalidArgument("missing path parameter \(name)") }
        return raw.removingPercentEncoding ?? raw
    }

    static func tenant(_ context: BasicRequestContext) throws -> String {
        let tenant = try parameter(context, "tenant")
        guard tenant == ChromaCollectionModel.tenant else { throw APIError.notFound("Tenant [\(tenant)] not found") }
        return tenant
    }

    static func database(_ context: BasicRequestContext) throws -> (String, String) {
        let tenant = try tenant(context)
        let database = try parameter(context, "database")
        guard database == ChromaCollectionModel.database else {
            throw APIError.notFound("Database [\(database)] not found. Are you sure it exists?")
        }
        return (tenant, database)
    }

    /// The collection a record operation names by UUID (its count is only read for `count`).
    func collection(byUUID context: BasicRequestContext, counting: Bool = false) async throws -> CollectionInfo {
        _ = try Self.database(context)
        let uuid = try Self.parameter(context, "collection")
        guard let id = ChromaCollectionModel.collectionID(uuid: uuid) else {
            throw APIError.notFound("Collection [\(uuid)] does not exist.")
        }
        do { return try await served.store.collection(id: id, counting: counting) } catch .collectionNotFound {
            throw APIError.notFound("Collection [\(uuid)] does not exist.")
        }
    }

    func body(_ request: Request) async throws -> RequestBody {
        try await RequestBody(request, limit: configuration.maxBodyBytes)
    }

    // MARK: - Collections

    func createCollection(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        _ = try Self.database(context)
        let body = try await body(request)
        guard let name = try body.string("name") else { throw APIError.invalidArgument("field \"name\" is required") }
        try ChromaCollectionModel.validateName(name)
        let metadata = try body["metadata"].map { try Metadata.from($0, field: "metadata") } ?? [:]
        let configuration = try ChromaCollectionModel.configuration(body, metadata: metadata)
        let writer = try served.requireWriter()
        if try body.bool("get_or_create") == true, let existing = try? await writer.collection(named: name) {
            return JSONResponse.make(ChromaCollectionModel.json(existing))
        }
        return JSONResponse.make(ChromaCollectionModel.json(try await writer.createCollection(name, configuration: configuration)))
    }

    func listCollections(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        _ = try Self.database(context)
        let query = request.uri.queryParameters
        func number(_ key: String) throws -> Int? {
            guard let text = query[key[...]] else { return nil }
            guard let n = Int(text), n >= 0 else { throw APIError.invalidArgument("query parameter \(key) must be a non-negative integer, got \(text)") }
            return n
        }
        let all = try await served.store.collections().sorted { $0.id < $1.id }
        let page = all.dropFirst(try number("offset") ?? 0).prefix(try number("limit") ?? Int.max)
        return JSONResponse.make(.array(page.map(ChromaCollectionModel.json)))
    }

    func modifyCollection(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let info = try await collection(byUUID: context)
        let body = try await body(request)
        let newName = try body.string("new_name")
        if let newName { try ChromaCollectionModel.validateName(newName) }
        let metadata = try body["new_metadata"].map { try Metadata.from($0, field: "new_metadata") }
        // `new_configuration` (ef_search and the like) is accepted and left alone: engine
        // settings are fixed when a collection is made.
        try await served.requireWriter().modifyCollection(info.name, newName: newName, metadata: metadata)
        return JSONResponse.make(.object([:]))
    }

    // MARK: - Records

    enum WriteKind { case add, upsert, update }

    func write(_ request: Request, _ context: BasicRequestContext, _ kind: WriteKind) async throws -> Response {
        let info = try await collection(byUUID: context)
        let body = try await body(request)
        guard let ids = try body.strings("ids") else { throw APIError.invalidArgument("field \"ids\" is required") }
        guard ids.count <= configuration.maxBatchSize else {
            throw APIError(.contentTooLarge, "BatchSizeExceededError", "Batch size \(ids.count) exceeds maximum batch size \(configuration.maxBatchSize)")
        }
        let embeddings = try body.vectors("embeddings", count: ids.count)
        let documents = try body.column("documents", count: ids.count)
        let metadatas = try body.column("metadatas", count: ids.count)
        _ = try body.column("uris", count: ids.count)
        var updates: [RecordUpdate] = []
        updates.reserveCapacity(ids.count)
        for (i, id) in ids.enumerated() {
            var update = RecordUpdate(id: id, embedding: embeddings?[i])
            if let document = documents?[i] {
                switch document {
                case .null: break
                case .string(let s): update.document = s
                default: throw RequestBody.wrongType("documents[\(i)]", "a string", document)
                }
            }
            if let metadata = metadatas?[i] {
                switch metadata {
                case .null: break
                case .object:
                    do { update.metadata = try [String: MetadataValue?](changesJSON: metadata, path: "metadatas[\(i)]") } catch {
                        throw APIError.invalidArgument(error.description)
                    }
                default: throw RequestBody.wrongType("metadatas[\(i)]", "an object", metadata)
                }
            }
            updates.append(update)
        }
        let writer = try served.requireWriter()
        switch kind {
        case .add:
            try await writer.add(updates.map(\.newRecord), into: info.name)
            return JSONResponse.make(.object([:]), status: .created)
        case .upsert:
            try await writer.update(updates, in: info.name, insertingMissing: true)
        case .update:
            try await writer.update(updates, in: info.name)
        }
        return JSONResponse.make(.object([:]))
    }

    /// Which columns a get or query returns.
    struct Include {
        var documents = false, metadatas = false, embeddings = false, distances = false, uris = false

        init(_ body: RequestBody, default defaults: [String]) throws {
            let names = try body.strings("include") ?? defaults
            for name in names {
                switch name {
                case "documents": documents = true
                case "metadatas": metadatas = true
                case "embeddings": embeddings = true
                case "distances": distances = true
                case "uris": uris = true
                case "data": break
                default: throw APIError.invalidArgument("field \"include\": unknown column \"\(name)\" (expected documents, metadatas, embeddings, distances, uris)")
                }
            }
        }
    }

    static func metadataJSON(_ metadata: Metadata) -> JSONValue { metadata.isEmpty ? .null : metadata.json }

    static func vectorJSON(_ vector: [Float]?) -> JSONValue {
        vector.map { .array($0.map { .double(Double($0)) }) } ?? .null
    }

    /// Records by ids (keeping only those that pass the filters) or by filters, after offset/limit.
    func records(_ body: RequestBody, collection: String, embeddings: Bool) async throws -> [Record] {
        let filter = try body.filter()
        let document = try body.documentFilter()
        let limit = try body.int("limit", range: 0...Int.max)
        let offset = try body.int("offset", range: 0...Int.max) ?? 0
        let store = served.store
        if let ids = try body.strings("ids") {
            var seen = Set<String>()
            let found = try await store.get(ids: ids.filter { seen.insert($0).inserted }, from: collection,
                                            includeEmbeddings: embeddings, storedOrder: true)
                .filter { record in
                    guard filter?.matches(record.metadata) ?? true else { return false }
                    do throws(FilterError) { return try document?.matches(record.document) ?? true } catch { throw APIError.invalidArgument(error.description) }
                }
            return Array(found.dropFirst(offset).prefix(limit ?? Int.max))
        }
        return try await store.get(where: filter, document: document, limit: limit, offset: offset,
                                   from: collection, includeEmbeddings: embeddings)
    }

    func get(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let info = try await collection(byUUID: context)
        let body = try await body(request)
        let include = try Include(body, default: ["metadatas", "documents"])
        guard !include.distances else { throw APIError.invalidArgument("field \"include\": distances are only for query") }
        let found = try await records(body, collection: info.name, embeddings: include.embeddings)
        return JSONResponse.make(.object([
            "ids": .array(found.map { .string($0.id) }),
            "documents": include.documents ? .array(found.map { $0.document.map(JSONValue.string) ?? .null }) : .null,
            "metadatas": include.metadatas ? .array(found.map { Self.metadataJSON($0.metadata) }) : .null,
            "embeddings": include.embeddings ? .array(found.map { Self.vectorJSON($0.embedding) }) : .null,
            "uris": include.uris ? .array(found.map { _ in .null }) : .null,
            "include": .array((try body.strings("include") ?? ["metadatas", "documents"]).map(JSONValue.string)),
        ]))
    }

    func query(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let info = try await collection(byUUID: context)
        let body = try await body(request)
        let include = try Include(body, default: ["metadatas", "documents", "distances"])
        guard let queries = try body.vectors("query_embeddings"), !queries.isEmpty else {
            throw APIError.invalidArgument("field \"query_embeddings\" is required (query_texts are embedded by the client; use kohybrid's /kohybrid/v1 search for text)")
        }
        let k = try body.int("n_results", range: 1...10_000) ?? 10
        let filter = try body.filter()
        let document = try body.documentFilter()
        let metric = info.configuration.metric
        // Candidates named by `ids` (a handful of records) are read once and scored exactly here.
        let candidates = try body.strings("ids") == nil ? nil
            : try await records(RequestBody(fields: body.fields.merging(["limit": .null, "offset": .null]) { $1 }),
                                collection: info.name, embeddings: true)
        var results: [[(record: Record, distance: Double)]] = []
        for (i, vector) in queries.enumerated() {
            guard let vector else { throw APIError.invalidArgument("field \"query_embeddings[\(i)]\" is null") }
            if let candidates {
                var scored: [(record: Record, distance: Double)] = []
                for record in candidates where record.embedding != nil {
                    guard let distance = ChromaDistance.between(vector, record.embedding!, metric) else {
                        throw APIError.invalidArgument("Collection expecting embedding with dimension of \(info.configuration.dimension), got \(vector.count)")
                    }
                    scored.append((record, distance))
                }
                results.append(Array(scored.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.record.id < $1.record.id) }.prefix(k)))
                continue
            }
            if info.configuration.dimension > 0, vector.count != info.configuration.dimension {
                throw APIError.invalidArgument("Collection expecting embedding with dimension of \(info.configuration.dimension), got \(vector.count)")
            }
            // One store for the search and the vectors it returns: one catch-up, one state.
            let store = served.store
            let hits = try await store.search(SearchQuery(vector: vector, k: k, filter: filter, documentFilter: document, mode: .dense),
                                                    in: info.name)
            var withVectors: [String: [Float]] = [:]
            if include.embeddings {
                for record in try await store.get(ids: hits.map(\.id), from: info.name, includeEmbeddings: true) {
                    withVectors[record.id] = record.embedding
                }
            }
            results.append(hits.map { hit in
                (Record(id: hit.id, document: hit.document, metadata: hit.metadata, embedding: withVectors[hit.id]),
                 ChromaDistance.fromScore(hit.dense?.score ?? hit.score, metric))
            })
        }
        func column(_ wanted: Bool, _ value: (Record, Double) -> JSONValue) -> JSONValue {
            wanted ? .array(results.map { .array($0.map { value($0.record, $0.distance) }) }) : .null
        }
        return JSONResponse.make(.object([
            "ids": column(true) { r, _ in .string(r.id) },
            "documents": column(include.documents) { r, _ in r.document.map(JSONValue.string) ?? .null },
            "metadatas": column(include.metadatas) { r, _ in Self.metadataJSON(r.metadata) },
            "embeddings": column(include.embeddings) { r, _ in Self.vectorJSON(r.embedding) },
            "distances": column(include.distances) { _, d in .double(d) },
            "uris": column(include.uris) { _, _ in .null },
            "include": .array((try body.strings("include") ?? ["metadatas", "documents", "distances"]).map(JSONValue.string)),
        ]))
    }

    func delete(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let info = try await collection(byUUID: context)
        let body = try await body(request)
        let byIDs = try body.strings("ids") != nil
        let filter = try body.filter()
        let document = try body.documentFilter()
        guard byIDs || filter != nil || document != nil else {
            throw APIError.invalidArgument("delete needs ids, where or where_document")
        }
        let writer = try served.requireWriter()
        let deleted: Int
        if byIDs || body["limit"] != nil {
            let doomed = try await records(body, collection: info.name, embeddings: false).map(\.id)
            deleted = try await writer.delete(ids: doomed, from: info.name)
        } else {
            deleted = try await writer.delete(where: filter, document: document, from: info.name)
        }
        return JSONResponse.make(.object(["deleted": .int(Int64(deleted))]))
    }
}

/// Distances as Chroma reports them: cosine `1 - cos`, l2 squared, ip `1 - dot`.
enum ChromaDistance {
    /// From a dense hit's score (similarity for cosine / ip, minus the squared distance for l2).
    static func fromScore(_ score: Double, _ metric: DistanceMetric) -> Double {
        metric == .l2 ? -score : 1 - score
    }

    /// Between two vectors; nil when their lengths differ.
    static func between(_ a: [Float], _ b: [Float], _ metric: DistanceMetric) -> Double? {
        guard a.count == b.count else { return nil }
        var dot = 0.0, na = 0.0, nb = 0.0, l2 = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y; na += x * x; nb += y * y; l2 += (x - y) * (x - y)
        }
        switch metric {
        case .l2: return l2
        case .innerProduct: return 1 - dot
        case .cosine: return na == 0 || nb == 0 ? 1 : 1 - dot / (na.squareRoot() * nb.squareRoot())
        }
    }
}
