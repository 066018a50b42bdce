import EmporiumCore
import Hummingbird

/// The per-user budget of signed-in callers, on top of the per-address one: a user's requests from
/// many addresses still share one budget. Anonymous requests pass untouched. Runs after
/// `TenantAuthMiddleware` (which sets the user).
struct UserRateLimitMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.user else { return try await next(request, context) }
        let key = context.tenant.id.lowercased + "/" + user.id.lowercased
        return try await RateLimitMiddleware<Context>(limiter: limiter) { _, _ in key }.handle(request, context: context, next: next)
    }
}
