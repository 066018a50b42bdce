import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let rateLimitLimit = Self("RateLimit-Limit")!
    static let rateLimitRemaining = Self("RateLimit-Remaining")!
    static let rateLimitReset = Self("RateLimit-Reset")!
}

/// Counts each request against `limiter` under the key `key` picks (client IP, shop id) and answers
/// 429 `RATE_LIMITED` with `Retry-After` once the window's budget is spent. Every answer carries
/// `RateLimit-Limit/Remaining/Reset`. Runs after `ErrorMiddleware` (its 429 is an ordinary error).
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let key: @Sendable (Request, Context) -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let decision = limiter.hit(key(request, context))
        var fields = HTTPFields()
        fields[.rateLimitLimit] = String(decision.limit)
        fields[.rateLimitRemaining] = String(decision.remaining)
        fields[.rateLimitReset] = String(decision.resetIn)
        guard decision.allowed else {
            fields[.retryAfter] = String(decision.resetIn)
            throw APIError(status: .tooManyRequests, code: "RATE_LIMITED", message: "Too many requests; retry after \(decision.resetIn) s",
                           headers: fields)
        }
        do {
            var response = try await next(request, context)
            for field in fields { response.headers[field.name] = field.value }
            return response
        } catch {
            // Client errors below (a failed sign-in) still tell the client its remaining budget.
            var apiError = APIError.from(error)
            guard apiError.status.code < 500 else { throw error }
            for field in fields where apiError.headers[field.name] == nil { apiError.headers.append(field) }
            throw apiError
        }
    }
}
