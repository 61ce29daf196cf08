import Hummingbird
import KoHybrid

/// An error answered as `{"error": NAME, "message": TEXT}` with a 4xx/5xx status. `NAME` is one
/// of chromadb's `error_types` keys, so the Python client raises the same exception classes it
/// raises against Chroma's own server.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var name: String
    public var message: String

    public init(_ status: HTTPResponse.Status, _ name: String, _ message: String) {
        self.status = status
        self.name = name
        self.message = message
    }

    static func invalidArgument(_ message: String) -> APIError { .init(.badRequest, "InvalidArgumentError", message) }
    static func notFound(_ message: String) -> APIError { .init(.notFound, "NotFoundError", message) }

    /// A store error as the HTTP error a client should see: the store's own message, which names
    /// the collection, record id or filter path at fault.
    init(_ error: StoreError) {
        switch error {
        case .collectionNotFound(let name): self = .notFound("Collection [\(name)] does not exist")
        case .collectionExists(let name): self = .init(.conflict, "ChromaError", "Collection [\(name)] already exists")
        case .dimensionMismatch, .invalidRecord, .invalidFilter, .invalidQuery, .invalidCollection:
            self = .invalidArgument(error.description)
        // The collection's embedding service failed (after its retries): a bad gateway, not bad input.
        case .embedding: self = .init(.badGateway, "ChromaError", error.description)
        case .readOnly: self = .init(.forbidden, "ChromaError", "this server is read-only (started with --read-only)")
        case .writerLocked, .storeNotFound, .storeExists, .database, .io, .incompatibleFormat:
            self = .init(.internalServerError, "InternalError", error.description)
        }
    }

    public var headers: HTTPFields { [:] }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(.object(["error": .string(name), "message": .string(message)]), status: status)
    }
}

/// JSON response bodies.
enum JSONResponse {
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }
}

/// Turns every error into a JSON error response, so no request — an unknown path, a body over
/// the limit, a bug — ever gets a bare status without a body.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as StoreError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as HTTPError {
            let name = error.status == .notFound ? "NotFoundError" : error.status == .contentTooLarge ? "BatchSizeExceededError" : "InvalidArgumentError"
            let message = error.body ?? (error.status == .notFound ? "no such endpoint: \(request.method) \(request.uri.path)" : "\(error.status)")
            return try APIError(error.status, name, message).response(from: request, context: context)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return try APIError(.contentTooLarge, "BatchSizeExceededError", "the request body is over the server's limit (--max-body-mb)")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return try APIError(.internalServerError, "InternalError", "internal error: \(error)").response(from: request, context: context)
        }
    }
}
