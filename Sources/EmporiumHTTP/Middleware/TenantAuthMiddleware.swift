import EmporiumCore
import EmporiumObservability
import Foundation
import Hummingbird

/// Reads an optional bearer token on shop routes. A token that is present must be valid: signed
/// with HS256 under `JWT_SECRET`, unexpired, issued for this shop (403 otherwise, whatever
/// `X-Tenant-ID` says), for a user who still exists, is not locked and has not been signed out
/// since (401 otherwise). The user's current role and permissions — not the token's — go into the
/// context — none while the shop requires a second factor the account has not set up. Runs after
/// `TenantMiddleware`.
struct TenantAuthMiddleware: RouterMiddleware {
    typealias Context = TenantRequestContext
    let tokens: AccessTokens
    let accounts: AccountService
    let activeUsers: ActiveUsers

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return try await next(request, context)
        }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw DomainError.unauthorized("Use a bearer token")
        }
        let verified = try await tokens.verify(header.dropFirst(7).trimmed)
        guard verified.tenantID == context.tenant.id else {
            throw DomainError.forbidden("This token belongs to another shop")
        }
        let session = try await accounts.authenticate(in: context.tenant.id, userID: verified.userID, issuedAt: verified.issuedAt)
        let user = session.user
        activeUsers.saw(user: user.id.lowercased, tenant: context.tenant.id.lowercased)
        var context = context
        context.user = user
        context.actor = Actor(userID: user.id, role: user.role, permissions: Set(user.permissions), ip: context.clientIP, userAgent: context.userAgent,
                              mustEnrolTwoFactor: session.mustEnrolTwoFactor)
        return try await next(request, context)
    }
}
