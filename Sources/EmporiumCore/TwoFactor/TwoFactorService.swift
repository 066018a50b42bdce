import Foundation

/// A staff member's own second factor — set up, confirm, replace recovery codes, switch off — and
/// an admin's reset for someone who lost their phone. Setting up and switching off ask for the
/// password again, so a stolen session can neither lock the owner out nor strip the factor.
/// Every change is audited; secrets and codes never reach the audit log.
public struct TwoFactorService: Sendable {
    let storage: any TenantStorage
    let hasher: any PasswordHasher
    let codes: TwoFactorCodes
    let now: @Sendable () -> Date

    public init(storage: any TenantStorage, hasher: any PasswordHasher, codes: TwoFactorCodes, now: @escaping @Sendable () -> Date = { Date() }) {
        self.storage = storage
        self.hasher = hasher
        self.codes = codes
        self.now = now
    }

    public func status(in tenantID: UUID, by actor: Actor) async throws -> TwoFactorStatus {
        let userID = try Self.signedIn(actor)
        return try await storage.read(tenantID) { tx in
            guard let user = try tx.users.user(id: userID) else { throw DomainError.unauthorized("Invalid or expired token") }
            let required = try TwoFactorPolicy.canEnrol(user.role) && TwoFactorPolicy.isRequired(tx)
            return TwoFactorStatus(try tx.twoFactor.credential(userID: userID), required: required)
        }
    }

    /// Starts (or restarts) enrolment: a new secret, not asked for at sign-in until `confirm`.
    /// `issuer` names the entry in the authenticator app (the shop's name).
    public func setup(in tenantID: UUID, password: String, issuer: String, by actor: Actor) async throws -> TwoFactorSetup {
        let user = try await verifiedUser(in: tenantID, password: password, by: actor)
        guard TwoFactorPolicy.canEnrol(user.role) else { throw DomainError.forbidden("Two-factor sign-in is for staff accounts") }
        let (credential, setup) = try codes.newCredential(account: user.email, issuer: issuer)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            if try tx.twoFactor.credential(userID: user.id)?.isEnabled == true {
                throw DomainError.conflict("Two-factor sign-in is already on; switch it off first to use another device")
            }
            try tx.twoFactor.save(credential, userID: user.id)
            try tx.audit.record(AuditEntry("auth.two_factor_setup_started", on: "user", id: user.id.lowercased, by: actor, at: timestamp))
        }
        return setup
    }

    /// Finishes enrolment with a first code from the app; answers the recovery codes, shown once.
    public func confirm(in tenantID: UUID, code: String, by actor: Actor) async throws -> [String] {
        let userID = try Self.signedIn(actor)
        let recovery = codes.newRecoveryCodes()
        let codes = self.codes
        let timestamp = now()
        return try await storage.write(tenantID) { tx -> Result<[String], DomainError> in
            guard let credential = try tx.twoFactor.credential(userID: userID), !credential.isEnabled else {
                throw DomainError.conflict("Start with /auth/2fa/setup: there is no set-up waiting for a code")
            }
            let outcome = try codes.check(code, against: credential, allowRecovery: false)
            guard var confirmed = outcome.accepted else {
                if let counted = outcome.counted { try tx.twoFactor.save(counted, userID: userID) }
                return .failure(outcome.refusal(wrong: .invalid("code", "is not the current code of the app")))
            }
            confirmed.confirmedAt = timestamp
            confirmed.recoveryCodeHashes = recovery.hashes
            try tx.twoFactor.save(confirmed, userID: userID)
            try tx.audit.record(AuditEntry("auth.two_factor_enabled", on: "user", id: userID.lowercased, by: actor, at: timestamp))
            if let user = try tx.users.user(id: userID) {
                try AccountMail.notify(.twoFactorChanged, user, facts: ["enabled": true], tx, at: timestamp)
            }
            return .success(recovery.codes)
        }.get()
    }

    /// New recovery codes for old ones (lost, or mostly used); needs a current code.
    public func regenerateRecoveryCodes(in tenantID: UUID, code: String, by actor: Actor) async throws -> [String] {
        let userID = try Self.signedIn(actor)
        let recovery = codes.newRecoveryCodes()
        let timestamp = now()
        return try await checked(in: tenantID, userID: userID, code: code) { tx, credential in
            var renewed = credential
            renewed.recoveryCodeHashes = recovery.hashes
            try tx.twoFactor.save(renewed, userID: userID)
            try tx.audit.record(AuditEntry("auth.two_factor_recovery_codes_renewed", on: "user", id: userID.lowercased, by: actor, at: timestamp))
            return recovery.codes
        }
    }

    /// Switches the second factor off: password and a current code (or a recovery code). Refused
    /// while the shop requires it of staff.
    public func disable(in tenantID: UUID, password: String, code: String, by actor: Actor) async throws {
        let user = try await verifiedUser(in: tenantID, password: password, by: actor)
        let timestamp = now()
        try await checked(in: tenantID, userID: user.id, code: code) { tx, _ in
            if TwoFactorPolicy.canEnrol(user.role), try TwoFactorPolicy.isRequired(tx) {
                throw DomainError.conflict("This shop requires two-factor sign-in for staff; it cannot be switched off")
            }
            _ = try tx.twoFactor.delete(userID: user.id)
            try tx.audit.record(AuditEntry("auth.two_factor_disabled", on: "user", id: user.id.lowercased, by: actor, at: timestamp))
            try AccountMail.notify(.twoFactorChanged, user, facts: ["enabled": false], tx, at: timestamp)
        }
    }

    /// An admin removes someone's second factor (lost phone, no recovery codes left). Their
    /// sessions end too: whoever holds the phone may hold a session. Owners are reset by owners only.
    public func reset(in tenantID: UUID, userID: UUID, by actor: Actor) async throws {
        try actor.require(.usersWrite)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard var user = try tx.users.user(id: userID) else { throw DomainError.notFound("No user \(userID.lowercased)") }
            try UserService.checkOwnerRule(actor: actor, touching: user.role)
            try UserService.checkReach(actor: actor, over: user)
            guard try tx.twoFactor.delete(userID: userID) else { throw DomainError.notFound("This user has no two-factor sign-in") }
            user.tokensValidAfter = timestamp
            user.updatedAt = timestamp
            try tx.users.update(user)
            try tx.refreshTokens.revokeAll(userID: userID, at: timestamp)
            try tx.audit.record(AuditEntry("user.two_factor_reset", on: "user", id: userID.lowercased, by: actor, at: timestamp))
            try AccountMail.notify(.twoFactorChanged, user, facts: ["enabled": false], tx, at: timestamp)
        }
    }

    /// After an `ENCRYPTION_KEY` rotation: every secret the previous key sealed, sealed again.
    @discardableResult
    public func resealSecrets(in tenantID: UUID) async throws -> Int {
        let codes = self.codes
        return try await storage.write(tenantID) { tx in
            var moved = 0
            for (userID, credential) in try tx.twoFactor.all() {
                guard let resealed = codes.resealed(credential) else { continue }
                try tx.twoFactor.save(resealed, userID: userID)
                moved += 1
            }
            return moved
        }
    }

    // MARK: - Checks

    static func signedIn(_ actor: Actor) throws -> UUID {
        guard let userID = actor.userID else { throw DomainError.unauthorized("Sign in first") }
        return userID
    }

    private func verifiedUser(in tenantID: UUID, password: String, by actor: Actor) async throws -> User {
        let userID = try Self.signedIn(actor)
        let user = try await storage.read(tenantID) { tx in try tx.users.user(id: userID) }
        guard let user else { throw DomainError.unauthorized("Invalid or expired token") }
        guard await hasher.verify(password, against: user.passwordHash) else { throw DomainError.invalid("password", "is not correct") }
        return user
    }

    /// Runs `body` once `code` passed against the user's enabled credential, with the code spent;
    /// a wrong code is counted (and committed) instead.
    private func checked<T: Sendable>(
        in tenantID: UUID, userID: UUID, code: String,
        _ body: @escaping @Sendable (any TenantTransaction, TwoFactorCredential) throws -> T
    ) async throws -> T {
        let codes = self.codes
        return try await storage.write(tenantID) { tx -> Result<T, DomainError> in
            guard let credential = try tx.twoFactor.credential(userID: userID), credential.isEnabled else {
                throw DomainError.conflict("Two-factor sign-in is not on for this account")
            }
            let outcome = try codes.check(code, against: credential)
            guard let spent = outcome.accepted else {
                if let counted = outcome.counted { try tx.twoFactor.save(counted, userID: userID) }
                return .failure(outcome.refusal(wrong: .invalid("code", "is not a current or recovery code")))
            }
            try tx.twoFactor.save(spent, userID: userID)
            return .success(try body(tx, spent))
        }.get()
    }
}
