import EmporiumCore
import Foundation

/// `GET /auth/2fa`: whether the signed-in account has a second factor, and whether the shop requires one.
struct TwoFactorStatusDTO: Encodable, Sendable {
    let enabled: Bool
    let required: Bool
    @NullWhenAbsent var confirmedAt: Date?
    let recoveryCodesRemaining: Int

    init(_ status: TwoFactorStatus) {
        enabled = status.enabled
        required = status.required
        confirmedAt = status.confirmedAt
        recoveryCodesRemaining = status.recoveryCodesRemaining
    }
}

/// `POST /auth/2fa/setup`: what the authenticator app needs. Shown once; the server keeps it sealed.
struct TwoFactorSetupDTO: Encodable, Sendable {
    let secret: String
    let otpauthUri: String

    init(_ setup: TwoFactorSetup) {
        secret = setup.secret
        otpauthUri = setup.otpauthURI
    }
}

/// `POST /auth/2fa/confirm` and `/recovery-codes`: the recovery codes, shown this once.
struct RecoveryCodesDTO: Encodable, Sendable {
    let enabled = true
    let recoveryCodes: [String]
}

struct TwoFactorPasswordRequest: Decodable, Sendable {
    let password: String
}

struct TwoFactorCodeRequest: Decodable, Sendable {
    let code: String
}

struct TwoFactorDisableRequest: Decodable, Sendable {
    let password: String
    let code: String
}
