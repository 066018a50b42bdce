import EmporiumCore
import Foundation
import Hummingbird

/// `/platform/auth/2fa/*`: a platform operator's own second factor, the same steps as shop staff
/// (`TwoFactorController`).
struct PlatformTwoFactorController {
    let operators: OperatorService

    func addRoutes(to group: RouterGroup<PlatformRequestContext>) {
        group.get(use: status)
            .post("setup", use: setup)
            .post("confirm", use: confirm)
            .post("recovery-codes", use: renewRecoveryCodes)
            .post("disable", use: disable)
    }

    @Sendable func status(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<TwoFactorStatusDTO> {
        Envelope(TwoFactorStatusDTO(try await operators.twoFactorStatus(operatorID: context.principal.id)))
    }

    @Sendable func setup(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<TwoFactorSetupDTO> {
        let input = try await request.decodeJSON(as: TwoFactorPasswordRequest.self, context: context)
        return Envelope(TwoFactorSetupDTO(try await operators.setupTwoFactor(operatorID: context.principal.id, password: input.password)))
    }

    @Sendable func confirm(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<RecoveryCodesDTO> {
        let input = try await request.decodeJSON(as: TwoFactorCodeRequest.self, context: context)
        return Envelope(RecoveryCodesDTO(recoveryCodes: try await operators.confirmTwoFactor(operatorID: context.principal.id, code: input.code)))
    }

    @Sendable func renewRecoveryCodes(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<RecoveryCodesDTO> {
        let input = try await request.decodeJSON(as: TwoFactorCodeRequest.self, context: context)
        return Envelope(RecoveryCodesDTO(recoveryCodes: try await operators.regenerateRecoveryCodes(operatorID: context.principal.id,
                                                                                                   code: input.code)))
    }

    @Sendable func disable(_ request: Request, context: PlatformRequestContext) async throws -> Envelope<[String: Bool]> {
        let input = try await request.decodeJSON(as: TwoFactorDisableRequest.self, context: context)
        try await operators.disableTwoFactor(operatorID: context.principal.id, password: input.password, code: input.code)
        return Envelope(["enabled": false])
    }
}
