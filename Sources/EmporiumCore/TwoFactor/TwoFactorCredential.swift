import Foundation

/// One account's second factor as stored: the TOTP secret sealed with `ENCRYPTION_KEY` (a copy of
/// the database does not give the codes away), the last step accepted (a code is good once), the
/// hashes of the unused recovery codes, and its own failure counter and lock.
public struct TwoFactorCredential: Sendable, Equatable {
    public var sealedSecret: String
    /// nil while enrolment waits for the first code: an unconfirmed secret is not asked for at sign-in.
    public var confirmedAt: Date?
    public var lastUsedStep: Int64?
    /// `salt:SHA-256(salt ‖ code)` (hex) of each unused recovery code.
    public var recoveryCodeHashes: [String]
    public var failures: Int
    public var lockedUntil: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(sealedSecret: String, confirmedAt: Date? = nil, lastUsedStep: Int64? = nil, recoveryCodeHashes: [String] = [],
                failures: Int = 0, lockedUntil: Date? = nil, createdAt: Date, updatedAt: Date) {
        self.sealedSecret = sealedSecret
        self.confirmedAt = confirmedAt
        self.lastUsedStep = lastUsedStep
        self.recoveryCodeHashes = recoveryCodeHashes
        self.failures = failures
        self.lockedUntil = lockedUntil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isEnabled: Bool { confirmedAt != nil }
}

/// What a user or operator sees about their own second factor.
public struct TwoFactorStatus: Sendable, Equatable {
    public let enabled: Bool
    public let confirmedAt: Date?
    public let recoveryCodesRemaining: Int
    /// The shop requires it of this account (always false for operators).
    public let required: Bool

    public init(_ credential: TwoFactorCredential?, required: Bool) {
        enabled = credential?.isEnabled ?? false
        confirmedAt = credential?.confirmedAt
        recoveryCodesRemaining = credential?.isEnabled == true ? credential?.recoveryCodeHashes.count ?? 0 : 0
        self.required = required
    }
}

/// The start of an enrolment: the secret to type or scan into an authenticator app.
public struct TwoFactorSetup: Sendable, Equatable {
    /// Base32, as authenticator apps take it when typed.
    public let secret: String
    /// `otpauth://totp/…`, the content of the QR code apps scan.
    public let otpauthURI: String
}
