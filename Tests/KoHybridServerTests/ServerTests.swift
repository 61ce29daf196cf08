import Foundation
import KoHybrid
import KoHybridServer
import KoHybridTestSupport
import Testing

/// `kohybrid serve` as a child process: the API document against the routes, error answers for
/// bad input, and a graceful stop on SIGTERM. (The Chroma client and the Python client drive it
/// in Clients/python/tests.)
@Suite(.serialized) struct ServerTests {
    static let collectionPath = "/api/v2/tenants/default_tenant/databases/default_database/collections"

    static func withServer(_ arguments: [String] = [], _ body: (ServerProcess) async throws -> Void) async throws {
        let store = SharedData.temporaryDirectory("kohybrid-serve")
        defer { try? FileManager.default.removeItem(at: store) }
        let server = try ServerProcess(store: store, arguments: arguments)
        try await body(server)
        #expect(server.terminate().status == 0)
    }

    /// Makes a collection "docs" with three 3-d records; returns its UUID.
    static func seed(_ server: ServerProcess) async throws -> String {
        let created = try await server.request("POST", collectionPath, body: #"{"name":"docs","metadata":{"hnsw:space":"cosine"}}"#)
        #expect(created.status == 200)
        guard case .object(let model) = try JSONValue(parsing: created.text), case .string(let uuid)? = model["id"] else {
            Issue.record("no id in \(created.text)")
            return ""
        }
        let add = try await server.request("POST", "\(collectionPath)/\(uuid)/add", body: """
            {"ids":["a","b","c"],"embeddings":[[1,0,0],[0,1,0],"AAAAPwAAAD8AAAAA"],
             "metadatas":[{"price":18000,"tags":["런치"]},{"price":80000},null],
             "documents":["우니 이쿠라동 웨이팅","성수동 스시 오마카세","을지로 덮밥"]}
            """)
        #expect(add.status == 201, "\(add.text)")
        return uuid
    }

    @Test func everyDocumentedOperationIsRouted() async throws {
        guard case .object(let document) = try JSONValue(parsing: OpenAPIDocument.json),
              case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
        #expect(paths.count >= 25)
        try await Self.withServer { (server: ServerProcess) async throws in
            let uuid = try await Self.seed(server)
            for (template, item) in paths {
                guard case .object(let operations) = item else { continue }
                let path = template.replacingOccurrences(of: "{tenant}", with: "default_tenant")
                    .replacingOccurrences(of: "{database}", with: "default_database")
                    .replacingOccurrences(of: "{collection}", with: template.hasSuffix("{collection}") && !template.contains("by-id") ? "docs" : uuid)
                for method in operations.keys where method != "parameters" {
                    // An empty object: the operation must answer (2xx or a JSON 4xx naming the
                    // problem), never the router's "no such endpoint".
                    let response = try await server.request(method.uppercased(), path, body: method == "get" || method == "delete" ? nil : "{}")
                    #expect(!response.text.contains("no such endpoint"), "\(method) \(path) is documented but not routed")
                    #expect(response.status < 500, "\(method) \(path): \(response.status) \(response.text)")
                    if method == "delete" { _ = try await Self.seed(server) }
                }
            }
            let served = try await server.request("GET", "/openapi.json")
            #expect(served.status == 200 && served.text == OpenAPIDocument.json)
        }
    }

    @Test func badRequestsGetJSONErrorsNamingTheProblem() async throws {
        try await Self.withServer(["--max-body-mb", "1"]) { (server: ServerProcess) async throws in
            let uuid = try await Self.seed(server)
            let cases: [(String, String, String?, Int, String, String)] = [
                ("POST", "\(Self.collectionPath)/\(uuid)/query", "{not json", 400, "InvalidArgumentError", "malformed JSON"),
                ("POST", "\(Self.collectionPath)/\(uuid)/query", #"{"query_embeddings":[[1,0]]}"#, 400, "InvalidArgumentError", "dimension of 3, got 2"),
                ("POST", "\(Self.collectionPath)/\(uuid)/query", #"{"query_embeddings":[[1,0,0]],"n_results":"3"}"#, 400, "InvalidArgumentError", "n_results"),
                ("POST", "\(Self.collectionPath)/\(uuid)/get", #"{"where":{"price":{"$gt":"cheap"}}}"#, 400, "InvalidArgumentError", "where.price"),
                ("POST", "\(Self.collectionPath)/\(uuid)/get", #"{"where_document":{"$regex":"("}}"#, 400, "InvalidArgumentError", "regular expression"),
                ("POST", "\(Self.collectionPath)/\(uuid)/add", #"{"ids":["d"],"embeddings":[[1,"x",0]]}"#, 400, "InvalidArgumentError", "embeddings[0][1]"),
                ("POST", "\(Self.collectionPath)/\(uuid)/add", #"{"ids":["d","e"],"documents":["x"]}"#, 400, "InvalidArgumentError", "documents"),
                ("POST", "\(Self.collectionPath)/\(uuid)/add", #"{"ids":["d"],"embeddings":[[1e39,0,0]]}"#, 400, "InvalidArgumentError", "finite"),
                ("GET", "\(Self.collectionPath)/nope", nil, 404, "NotFoundError", "nope"),
                ("GET", "\(Self.collectionPath)/00000000-0000-4000-8000-0000000000ff/count", nil, 404, "NotFoundError", "does not exist"),
                ("POST", Self.collectionPath, #"{"name":"docs"}"#, 409, "ChromaError", "already exists"),
                ("POST", Self.collectionPath, #"{"name":"a"}"#, 400, "InvalidArgumentError", "3-512 characters"),
                ("POST", "/kohybrid/v1/collections/docs/search", #"{"text":"오마카세","mode":"fuzzy"}"#, 400, "InvalidArgumentError", "mode"),
                ("POST", "/kohybrid/v1/collections/docs/search", #"{"k":5}"#, 400, "InvalidArgumentError", "text"),
                ("POST", "/kohybrid/v1/collections/docs/search", #"{"text":"x","weights":{"bm25":1}}"#, 400, "InvalidArgumentError", "weights"),
                ("GET", "/no/such/path", nil, 404, "NotFoundError", "no such endpoint"),
                ("POST", "\(Self.collectionPath)/\(uuid)/add", "{\"ids\":[\"big\"],\"documents\":[\"" + String(repeating: "가", count: 400_000) + "\"]}",
                 413, "BatchSizeExceededError", "limit"),
            ]
            for (method, path, body, status, name, fragment) in cases {
                let response = try await server.request(method, path, body: body)
                #expect(response.status == status, "\(method) \(path) \(body?.prefix(80) ?? ""): \(response.status) \(response.text.prefix(300))")
                guard case .object(let error) = try? JSONValue(parsing: response.text) else {
                    Issue.record("not a JSON error: \(response.text.prefix(200))")
                    continue
                }
                #expect(error["error"] == .string(name), "\(response.text)")
                if case .string(let message)? = error["message"] { #expect(message.contains(fragment), "\(message)") }
            }
            // Nothing was written by the bad requests.
            #expect(try await server.request("GET", "\(Self.collectionPath)/\(uuid)/count").text == "3")
        }
    }

    @Test func hybridSearchShowsEachRetrieversRank() async throws {
        try await Self.withServer { (server: ServerProcess) async throws in
            _ = try await Self.seed(server)
            let response = try await server.request("POST", "/kohybrid/v1/collections/docs/search",
                                                    body: #"{"text":"오마카세","vector":[0,1,0],"k":3,"where_document":{"$regex":"스시|덮밥"}}"#)
            #expect(response.status == 200, "\(response.text)")
            guard case .object(let body) = try JSONValue(parsing: response.text), case .array(let results)? = body["results"],
                  case .array(let hits)? = results.first, case .object(let top)? = hits.first else { Issue.record("\(response.text)"); return }
            #expect(top["id"] == .string("b"))
            guard case .object(let dense)? = top["dense"], case .object(let sparse)? = top["sparse"] else { Issue.record("\(top)"); return }
            #expect(dense["rank"] == .int(1) && sparse["rank"] == .int(1))
            #expect(hits.count == 2, "the regex admits b and c only")
        }
    }

    @Test func tokenIsRequiredWhenConfigured() async throws {
        let tokenFile = SharedData.temporaryDirectory("kohybrid-token").appendingPathComponent("token")
        try "s3cret\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        try await Self.withServer(["--token-file", tokenFile.path]) { (server: ServerProcess) async throws in
            #expect(try await server.request("GET", "/api/v2/heartbeat").status == 401)
            #expect(try await server.request("GET", "/api/v2/heartbeat", headers: ["Authorization": "Bearer wrong"]).status == 401)
            #expect(try await server.request("GET", "/api/v2/heartbeat", headers: ["Authorization": "Bearer s3cret"]).status == 200)
            #expect(try await server.request("GET", "/api/v2/heartbeat", headers: ["X-Chroma-Token": "s3cret"]).status == 200)
            #expect(try await server.request("GET", "/healthz").status == 200)
        }
    }

    @Test func sigtermFinishesPublishesAndReleasesTheLock() async throws {
        let store = SharedData.temporaryDirectory("kohybrid-serve")
        defer { try? FileManager.default.removeItem(at: store) }
        let server = try ServerProcess(store: store)
        _ = try await Self.seed(server)
        let search = try await server.request("POST", "/kohybrid/v1/collections/docs/search", body: #"{"text":"스시","vector":[0,1,0]}"#)
        #expect(search.status == 200)
        let stop = server.terminate()
        #expect(stop.status == 0)
        #expect(stop.seconds < 10)
        // The writer lock is free and the snapshots are current: a new writer opens at once.
        let reopened = try Store(directory: store, mode: .readWrite)
        let stats = try await reopened.stats()
        #expect(stats.collections.first?.count == 3)
        #expect(stats.collections.first?.snapshotIsCurrent == true)
        try await reopened.close()
    }

    @Test func readOnlyServerRefusesWrites() async throws {
        let store = SharedData.temporaryDirectory("kohybrid-serve")
        defer { try? FileManager.default.removeItem(at: store) }
        let writer = try ServerProcess(store: store)
        _ = try await Self.seed(writer)
        #expect(writer.terminate().status == 0)
        let reader = try ServerProcess(store: store, arguments: ["--read-only"])
        let refused = try await reader.request("POST", Self.collectionPath, body: #"{"name":"more"}"#)
        #expect(refused.status == 403)
        #expect(try await reader.request("GET", "\(Self.collectionPath)/docs").status == 200)
        #expect(reader.terminate().status == 0)
    }
}
