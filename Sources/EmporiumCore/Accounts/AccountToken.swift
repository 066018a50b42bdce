import Foundation

/// A single-use secret sent by mail: a password-reset link or an address-verification link.
/// Only its hash is stored (`account_tokens`).
public struct AccountToken: Sendable, Equatable {
    public enum Purpose: String, Sendable, Codable {
        case passwordReset = "password_reset"
        case emailVerification = "email_verification"

        /// How long a link works: a reset is an open door, so it closes soon.
        public var lifetime: TimeInterval {
            switch self {
            case .passwordReset: return 30 * 60
            case .emailVerification: return 7 * 24 * 3600
            }
        }
    }

    public var tokenHash: String
    public var userID: UUID
    public var purpose: Purpose
    /// The address the link went to.
    public var email: String
    public var expiresAt: Date
    public var usedAt: Date?
    public var createdAt: Date

    public init(tokenHash: String, userID: UUID, purpose: Purpose, email: String, expiresAt: Date, usedAt: Date? = nil, createdAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.purpose = purpose
        self.email = email
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.createdAt = createdAt
    }
}

public protocol AccountTokenRepository {
    func insert(_ token: AccountToken) throws
    func token(hash: String) throws -> AccountToken?
    func markUsed(hash: String, at: Date) throws
    /// Ends every unused link of the user for `purpose` (a new password, a new address).
    func revokeAll(userID: UUID, purpose: AccountToken.Purpose, at: Date) throws
    /// Links made for the user and purpose since `since`: the per-account rate limit.
    func count(userID: UUID, purpose: AccountToken.Purpose, since: Date) throws -> Int
}
