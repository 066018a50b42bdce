import Foundation
import HTTPTypes
import Hummingbird

/// CORS for the exact origins of `CORS_ORIGIN`: a listed origin is echoed back (with `Vary: Origin`),
/// any other gets no CORS headers, and there is never a wildcard. Preflight `OPTIONS` requests are
/// answered here with 204. Credentials (cookies) are not allowed: the API uses bearer tokens.
/// (Hummingbird's `CORSMiddleware` takes its origin list only as variadic literals, not from settings.)
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let origins: Set<String>
    static let allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowHeaders = "Accept, Authorization, Content-Type, X-Tenant-ID, X-Correlation-ID, Idempotency-Key"
    static let exposeHeaders = "X-Correlation-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = origins.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [.vary: "Origin"]
            if allowed {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowMethods] = Self.allowMethods
                headers[.accessControlAllowHeaders] = Self.allowHeaders
                headers[.accessControlMaxAge] = "600"
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.vary] = "Origin"
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        }
        return response
    }
}
