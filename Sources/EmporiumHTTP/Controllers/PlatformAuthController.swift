import Foundation
import EmporiumCore
import Hummingbird

/// `POST /platform/auth/login`: a platform operator signs in and receives a short-lived token.
struct PlatformAuthController {
    let operators: OperatorService
    let tokens: PlatformTokens

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/login", use: login)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Envelope<TokenResponse> {
        let input = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let op = try await operators.authenticate(email: input.email, password: input.password, address: context.clientIP, code: input.code)
        let issued = try await tokens.issue(for: op)
        return Envelope(TokenResponse(
            accessToken: issued.token, refreshToken: nil, expiresIn: issued.expiresIn,
            user: .init(id: op.id.uuidString.lowercased(), email: op.email, firstName: op.firstName, lastName: op.lastName,
                        role: PlatformTokenPayload.role, permissions: ["platform:tenants"])
        ))
    }
}
