import EmporiumCore
import Foundation
import Hummingbird

/// `/auth/2fa/*`: a staff member sets up, confirms, renews and switches off their own second
/// factor (docs/security/two-factor.md). Open to a session that must still enrol; rate-limited
/// per client address with the rest of `/auth`.
struct TwoFactorController {
    let twoFactor: TwoFactorService

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get(use: status)
            .post("setup", use: setup)
            .post("confirm", use: confirm)
            .post("recovery-codes", use: renewRecoveryCodes)
            .post("disable", use: disable)
    }

    @Sendable func status(_ request: Request, context: TenantRequestContext) async throws -> Envelope<TwoFactorStatusDTO> {
        _ = try context.requireUser()
        return Envelope(TwoFactorStatusDTO(try await twoFactor.status(in: context.tenant.id, by: context.actor)))
    }

    @Sendable func setup(_ request: Request, context: TenantRequestContext) async throws -> Envelope<TwoFactorSetupDTO> {
        _ = try context.requireUser()
        let input = try await request.decodeJSON(as: TwoFactorPasswordRequest.self, context: context)
        return Envelope(TwoFactorSetupDTO(try await twoFactor.setup(in: context.tenant.id, password: input.password, issuer: context.tenant.name,
                                                                    by: context.actor)))
    }

    @Sendable func confirm(_ request: Request, context: TenantRequestContext) async throws -> Envelope<RecoveryCodesDTO> {
        _ = try context.requireUser()
        let input = try await request.decodeJSON(as: TwoFactorCodeRequest.self, context: context)
        return Envelope(RecoveryCodesDTO(recoveryCodes: try await twoFactor.confirm(in: context.tenant.id, code: input.code, by: context.actor)))
    }

    @Sendable func renewRecoveryCodes(_ request: Request, context: TenantRequestContext) async throws -> Envelope<RecoveryCodesDTO> {
        _ = try context.requireUser()
        let input = try await request.decodeJSON(as: TwoFactorCodeRequest.self, context: context)
        return Envelope(RecoveryCodesDTO(recoveryCodes: try await twoFactor.regenerateRecoveryCodes(in: context.tenant.id, code: input.code,
                                                                                                    by: context.actor)))
    }

    @Sendable func disable(_ request: Request, context: TenantRequestContext) async throws -> Envelope<[String: Bool]> {
        _ = try context.requireUser()
        let input = try await request.decodeJSON(as: TwoFactorDisableRequest.self, context: context)
        try await twoFactor.disable(in: context.tenant.id, password: input.password, code: input.code, by: context.actor)
        return Envelope(["enabled": false])
    }
}
