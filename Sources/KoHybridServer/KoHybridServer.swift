import Foundation
import Hummingbird
import KoHybrid
import Logging

/// `kohybrid serve`: a store over HTTP, for Python callers.
///
/// ```swift
/// try await KoHybridServer.run(ServerConfiguration(store: URL(fileURLWithPath: "./store"),
///                                                  address: .tcp(host: "127.0.0.1", port: 8000)))
/// ```
///
/// Serves Chroma's HTTP API v2 subset (`ChromaRoutes`, for `chromadb.HttpClient`) and KoHybrid's
/// own hybrid API (`HybridRoutes`, for the `kohybrid` Python client), both described by the
/// OpenAPI document at `GET /openapi.json`. On SIGTERM or SIGINT it stops accepting, finishes
/// the requests in flight, publishes index snapshots, releases the writer lock and returns.
public enum KoHybridServer {
    public static let version = "0.3.0"

    /// Runs until SIGTERM / SIGINT. `onListening` is called once the socket accepts connections.
    public static func run(_ configuration: ServerConfiguration,
                           onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        var logger = Logger(label: "kohybrid.serve")
        logger.logLevel = .info
        let served: ServedStore
        do {
            served = try ServedStore(directory: configuration.store, readOnly: configuration.readOnly)
        } catch {
            throw ServeError.store(error.description)
        }
        let router = makeRouter(served: served, configuration: configuration)
        let address: BindAddress
        switch configuration.address {
        case .tcp(let host, let port): address = .hostname(host, port: port)
        case .unixSocket(let path):
            // A socket file left by a killed server would make bind fail; nothing else lives there.
            if let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType, type == .typeSocket {
                try? FileManager.default.removeItem(atPath: path)
            }
            address = .unixDomainSocket(path: path)
        }
        let app = Application(
            router: router,
            configuration: .init(address: address, serverName: "kohybrid/\(version)"),
            onServerRunning: { channel in
                switch configuration.address {
                case .tcp(let host, _): onListening("http://\(host):\(channel.localAddress?.port ?? 0)")
                case .unixSocket(let path): onListening("unix:\(path)")
                }
            },
            logger: logger)
        let publisher = served.publishSnapshots(every: configuration.publishInterval)
        var failure: (any Error)?
        do { try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint]) } catch { failure = error }
        // Stopped (or failed): publish, release the writer lock, leave no socket file behind.
        publisher?.cancel()
        await served.close()
        if case .unixSocket(let path) = configuration.address { try? FileManager.default.removeItem(atPath: path) }
        if let failure { throw failure }
    }

    /// Every route, behind the error mapping and (when configured) the token check.
    static func makeRouter(served: ServedStore, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ErrorMiddleware())
        if let token = configuration.token { router.middlewares.add(TokenMiddleware(token: Array(token.utf8))) }
        router.get("healthz") { _, _ in JSONResponse.make(.object(["status": .string("ok")])) }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        ChromaRoutes(served: served, configuration: configuration).register(on: router)
        HybridRoutes(served: served, configuration: configuration).register(on: router)
        return router
    }
}

/// Why the server could not start.
public enum ServeError: Error, CustomStringConvertible {
    case store(String)
    public var description: String {
        switch self {
        case .store(let message): "cannot open the store: \(message)"
        }
    }
}
