import HTTPTypes
import Hummingbird

/// Optional bearer-token auth, sent the way chromadb's token auth sends it (`Authorization:
/// Bearer T`, or `X-Chroma-Token: T`). Compared in constant time; the token is never logged.
/// `/healthz` stays open for Kubernetes probes (it reveals nothing).
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        let bearer = request.headers[.authorization].flatMap { value -> Substring? in
            value.hasPrefix("Bearer ") ? value.dropFirst("Bearer ".count) : nil
        }
        let sent = bearer.map(String.init) ?? request.headers[HTTPField.Name("X-Chroma-Token")!]
        guard let sent, Self.constantTimeEqual(Array(sent.utf8), token) else {
            throw APIError(.unauthorized, "AuthorizationError", "missing or wrong token (send Authorization: Bearer TOKEN or X-Chroma-Token: TOKEN)")
        }
        return try await next(request, context)
    }

    /// Time depends on the lengths only, never on where the bytes differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
