import Logging
import Foundation
import EmporiumCore
import Hummingbird

/// Verifies the platform operator's bearer token on `/platform/...` routes (except login) and
/// records the operator in the context. Throws `unauthorized` (401). Runs after `ErrorMiddleware`.
struct OperatorAuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tokens: PlatformTokens

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw DomainError.unauthorized("A platform operator token is required")
        }
        let token = header.dropFirst(7).trimmed
        var context = context
        context.platformOperator = try await tokens.verify(token)
        return try await next(request, context)
    }
}
