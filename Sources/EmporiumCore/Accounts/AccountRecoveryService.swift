import Foundation

/// Password reset and address verification by mailed link, for customers and staff alike. Asking
/// for a reset answers the same whether or not the address has an account, and does the same
/// database work either way, so the answer tells nobody who shops here.
public struct AccountRecoveryService: Sendable {
    /// Reset links one account may be sent per hour; more requests are accepted and ignored.
    public static let resetsPerHour = 3
    /// Verification links one account may ask for per hour.
    public static let verificationsPerHour = 3

    let storage: any TenantStorage
    let hasher: any PasswordHasher
    let box: SecretBox
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, hasher: any PasswordHasher, box: SecretBox, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.hasher = hasher
        self.box = box
        self.now = now
    }

    /// `POST /auth/password-reset`: queues a reset link to the account at `email`, if there is one
    /// and it has not had `resetsPerHour` links this hour. Never says which.
    public func requestReset(in tenantID: UUID, email rawEmail: String, by actor: Actor) async throws {
        let email = try EmailAddress.normalize(rawEmail)
        let timestamp = now()
        let box = self.box
        try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(email: email) else {
                try tx.audit.record(AuditEntry("auth.password_reset_requested", on: "user", id: nil, by: actor,
                                               new: .object(["email": .string(email), "outcome": .string("unknown email")]), at: timestamp))
                return
            }
            let recent = try tx.accountTokens.count(userID: user.id, purpose: .passwordReset, since: timestamp.addingTimeInterval(-3600))
            guard recent < Self.resetsPerHour else {
                try tx.audit.record(AuditEntry("auth.password_reset_requested", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                               new: .object(["outcome": .string("rate limited")]), at: timestamp))
                return
            }
            try AccountMail.sendLink(.passwordReset, to: user, tx, box: box, at: timestamp)
            try tx.audit.record(AuditEntry("auth.password_reset_requested", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                           new: .object(["outcome": .string("sent")]), at: timestamp))
        }
    }

    /// `POST /auth/password-reset/confirm`: sets the new password with an unused, unexpired link
    /// to the account's current address, then signs every session out, lifts a sign-in lock and
    /// ends the account's other reset links.
    public func confirmReset(in tenantID: UUID, token: String, newPassword: String, by actor: Actor) async throws {
        try PasswordPolicy.validate(newPassword, field: "newPassword")
        let hash = try await hasher.hash(newPassword)
        let tokenHash = AccountMail.hash(token)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            let user = try Self.redeem(tokenHash, purpose: .passwordReset, tx, at: timestamp)
            var updated = user
            updated.passwordHash = hash
            updated.tokensValidAfter = timestamp
            updated.loginAttempts = 0
            updated.lockedUntil = nil
            // The link reached the address: it is the holder's.
            updated.emailVerifiedAt = updated.emailVerifiedAt ?? timestamp
            updated.updatedAt = timestamp
            try tx.users.update(updated)
            try tx.refreshTokens.revokeAll(userID: user.id, at: timestamp)
            try tx.accountTokens.revokeAll(userID: user.id, purpose: .passwordReset, at: timestamp)
            try tx.audit.record(AuditEntry("auth.password_reset", on: "user", id: user.id.lowercased, by: actor, userID: user.id, at: timestamp))
            try AccountMail.notify(.passwordChanged, updated, tx, at: timestamp)
        }
    }

    /// `POST /auth/verify-email`: marks the account's address as confirmed.
    public func verifyEmail(in tenantID: UUID, token: String, by actor: Actor) async throws -> User {
        let tokenHash = AccountMail.hash(token)
        let timestamp = now()
        return try await storage.write(tenantID) { tx in
            var user = try Self.redeem(tokenHash, purpose: .emailVerification, tx, at: timestamp)
            if user.emailVerifiedAt == nil {
                user.emailVerifiedAt = timestamp
                user.updatedAt = timestamp
                try tx.users.update(user)
            }
            try tx.audit.record(AuditEntry("auth.email_verified", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                           new: .object(["email": .string(user.email)]), at: timestamp))
            return user
        }
    }

    /// `POST /auth/verify-email/resend`: another link for the signed-in account, unless its address
    /// is confirmed already or it had `verificationsPerHour` links this hour (409).
    public func resendVerification(in tenantID: UUID, by actor: Actor) async throws {
        guard let userID = actor.userID else { throw DomainError.unauthorized("Sign in first: a bearer token is required") }
        let timestamp = now()
        let box = self.box
        try await storage.write(tenantID) { tx in
            guard let user = try tx.users.user(id: userID) else { throw DomainError.unauthorized("Invalid or expired token") }
            guard user.emailVerifiedAt == nil else { throw DomainError.conflict("\(user.email) is confirmed already") }
            let recent = try tx.accountTokens.count(userID: user.id, purpose: .emailVerification, since: timestamp.addingTimeInterval(-3600))
            guard recent < Self.verificationsPerHour else {
                throw DomainError.conflict("\(Self.verificationsPerHour) links were sent this hour: use one of them, or ask again later")
            }
            try AccountMail.sendLink(.emailVerification, to: user, tx, box: box, at: timestamp)
        }
    }

    /// The account a link belongs to, with the link spent. One error for every way a link can be
    /// bad (unknown, used, expired, for another purpose, for an address the account no longer has).
    static func redeem(_ tokenHash: String, purpose: AccountToken.Purpose, _ tx: any TenantTransaction, at timestamp: Date) throws -> User {
        let invalid = DomainError.invalid("token", "This link is invalid or has expired: ask for a new one")
        guard let token = try tx.accountTokens.token(hash: tokenHash), token.purpose == purpose, token.usedAt == nil, token.expiresAt > timestamp,
              let user = try tx.users.user(id: token.userID), user.email == token.email else {
            throw invalid
        }
        try tx.accountTokens.markUsed(hash: tokenHash, at: timestamp)
        return user
    }
}
