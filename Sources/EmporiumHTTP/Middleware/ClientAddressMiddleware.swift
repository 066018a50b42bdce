import Foundation
import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    static let forwardedFor = Self("X-Forwarded-For")!
}

/// Decides the client's address once per request: the socket peer, or — only with `TRUST_PROXY=true` —
/// the first address of `X-Forwarded-For`. Without that setting the header is ignored, so clients
/// cannot dodge rate limits by inventing addresses.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustProxy: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if trustProxy, let forwarded = request.headers[.forwardedFor],
           let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty, first.count <= 45 {
            context.clientIP = first
        }
        context.userAgent = request.headers[.userAgent].map { String($0.prefix(500)) }
        return try await next(request, context)
    }
}
