import EmporiumCore
import Foundation
import Hummingbird

/// `/auth/*`: customers sign up; everyone signs in, refreshes, signs out and manages their own
/// profile and password. Rate-limited per client address.
struct AuthController {
    let accounts: AccountService
    let privacy: PersonalDataService
    let tokens: AccessTokens

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.post("register", use: register)
            .post("login", use: login)
            .post("refresh", use: refresh)
            .post("logout", use: logout)
            .get("me", use: me)
            .patch("me", use: updateMe)
            .get("me/export", use: exportMe)
            .post("password", use: changePassword)
    }

    struct RegisterRequest: Decodable {
        let email: String
        let password: String
        let firstName: String
        let lastName: String
    }

    struct RefreshRequest: Decodable {
        let refreshToken: String
    }

    struct ProfileRequest: Decodable {
        let email: String?
        let firstName: String?
        let lastName: String?
        let currentPassword: String?
    }

    struct PasswordRequest: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    @Sendable func register(_ request: Request, context: TenantRequestContext) async throws -> EditedResponse<Envelope<TokenResponse>> {
        let input = try await request.decodeJSON(as: RegisterRequest.self, context: context)
        let signIn = try await accounts.register(
            in: context.tenant.id,
            .init(email: input.email, password: input.password, firstName: input.firstName, lastName: input.lastName),
            by: context.actor
        )
        return EditedResponse(status: .created, response: Envelope(try await answer(signIn, context)))
    }

    @Sendable func login(_ request: Request, context: TenantRequestContext) async throws -> Envelope<TokenResponse> {
        let input = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let signIn = try await accounts.login(in: context.tenant.id, email: input.email, password: input.password, code: input.code,
                                              by: context.actor)
        return Envelope(try await answer(signIn, context))
    }

    @Sendable func refresh(_ request: Request, context: TenantRequestContext) async throws -> Envelope<TokenResponse> {
        let input = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        let signIn = try await accounts.refresh(in: context.tenant.id, token: input.refreshToken, by: context.actor)
        return Envelope(try await answer(signIn, context))
    }

    @Sendable func logout(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: Bool]> {
        let input = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        try await accounts.logout(in: context.tenant.id, token: input.refreshToken, by: context.actor)
        return Envelope(["signedOut": true])
    }

    @Sendable func me(_ request: Request, context: TenantRequestContext) async throws -> Envelope<UserDTO> {
        Envelope(UserDTO(try context.requireUser()))
    }

    /// The signed-in person's own data (GDPR art. 15), in the shape staff get from `/users/{id}/export`.
    @Sendable func exportMe(_ request: Request, context: TenantRequestContext) async throws -> Envelope<CustomerDataDTO> {
        _ = try context.requireUser()
        return Envelope(CustomerDataDTO(try await privacy.exportOwn(in: context.tenant.id, by: context.actor), shop: context.tenant))
    }

    @Sendable func updateMe(_ request: Request, context: TenantRequestContext) async throws -> Envelope<UserDTO> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: ProfileRequest.self, context: context)
        let updated = try await accounts.updateProfile(
            in: context.tenant.id, userID: user.id, .init(email: input.email, firstName: input.firstName, lastName: input.lastName,
                                                     currentPassword: input.currentPassword),
            by: context.actor
        )
        return Envelope(UserDTO(updated))
    }

    @Sendable func changePassword(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: Bool]> {
        let user = try context.requireUser()
        let input = try await request.decodeJSON(as: PasswordRequest.self, context: context)
        try await accounts.changePassword(in: context.tenant.id, userID: user.id, current: input.currentPassword, new: input.newPassword,
                                          by: context.actor)
        return Envelope(["passwordChanged": true])
    }

    private func answer(_ signIn: SignIn, _ context: TenantRequestContext) async throws -> TokenResponse {
        let issued = try await tokens.issue(for: signIn.user, in: context.tenant.id)
        return TokenResponse(accessToken: issued.token, refreshToken: signIn.refreshToken, expiresIn: issued.expiresIn, user: .init(signIn.user),
                             twoFactorEnrolmentRequired: signIn.mustEnrolTwoFactor)
    }
}
