import Foundation

/// A successful sign-in, registration or refresh: the user and the new opaque refresh token.
/// The HTTP layer adds the signed access token.
public struct SignIn: Sendable {
    public let user: User
    public let refreshToken: String
    /// The shop requires a second factor of staff and this account has none: the session can
    /// only enrol (`TwoFactorPolicy`).
    public var mustEnrolTwoFactor = false
}

/// The per-request answer of `AccountService.authenticate`.
public struct Session: Sendable {
    public let user: User
    /// See `SignIn.mustEnrolTwoFactor`: the request acts with no permissions.
    public let mustEnrolTwoFactor: Bool
}

/// Sign-up, sign-in, token refresh and the signed-in user's own account. Every state change and
/// every sign-in outcome is written to the audit log in the same transaction.
public struct AccountService: Sendable {
    /// `system_config` key that closes customer sign-up when set to `false`.
    public static let registrationSetting = "auth.registrationEnabled"

    let storage: any TenantStorage
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let refreshTokens: RefreshTokens
    let refreshLifetime: TimeInterval
    let twoFactor: TwoFactorCodes
    /// Seals the verification link's token while it waits in the outbox.
    let box: SecretBox
    let now: @Sendable () -> Date
    private let dummyHash = DummyHash()

    public init(
        storage: any TenantStorage, hasher: any PasswordHasher, throttle: LoginThrottle, refreshTokens: RefreshTokens,
        refreshLifetime: TimeInterval, twoFactor: TwoFactorCodes, box: SecretBox, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.box = box
        self.twoFactor = twoFactor
        self.hasher = hasher
        self.throttle = throttle
        self.refreshTokens = refreshTokens
        self.refreshLifetime = refreshLifetime
        self.now = now
    }

    public struct Registration: Sendable {
        public var email: String
        public var password: String
        public var firstName: String
        public var lastName: String

        public init(email: String, password: String, firstName: String, lastName: String) {
            self.email = email
            self.password = password
            self.firstName = firstName
            self.lastName = lastName
        }
    }

    /// Creates a customer account and signs it in, unless the shop closed sign-up.
    public func register(in tenantID: UUID, _ input: Registration, by actor: Actor) async throws -> SignIn {
        let fields = try UserFields.validate(email: input.email, firstName: input.firstName, lastName: input.lastName)
        try PasswordPolicy.validate(input.password)
        let hash = try await hasher.hash(input.password)
        let timestamp = now()
        let token = refreshTokens.generate()
        let tokenHash = refreshTokens.hash(token)
        let lifetime = refreshLifetime
        let box = self.box
        let user = User(id: UUID(), email: fields.email, passwordHash: hash, firstName: fields.firstName, lastName: fields.lastName,
                        role: .customer, lastLogin: timestamp, createdAt: timestamp, updatedAt: timestamp)
        try await storage.write(tenantID) { tx in
            if case .bool(false) = try tx.settings.setting(Self.registrationSetting)?.value {
                throw DomainError.forbidden("This shop does not accept new sign-ups")
            }
            try tx.users.insert(user)
            try tx.refreshTokens.insert(RefreshTokenRecord(
                id: TimeOrderedUUID.make(), userID: user.id, familyID: UUID(), tokenHash: tokenHash, expiresAt: timestamp.addingTimeInterval(lifetime), createdAt: timestamp
            ))
            try tx.audit.record(AuditEntry("user.registered", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                           new: user.auditValues, at: timestamp))
            try AccountMail.sendLink(.emailVerification, to: user, tx, box: box, at: timestamp)
        }
        return SignIn(user: user, refreshToken: token)
    }

    /// Outcome of a sign-in attempt, decided inside the transaction and thrown after it commits,
    /// so failed attempts and lockouts are recorded rather than rolled back.
    private enum Attempt: Sendable {
        case success(User, mustEnrol: Bool = false)
        case failure(DomainError)
    }

    /// Checks email and password. Unknown emails and wrong passwords give the same error after the
    /// same hashing work; `LOGIN_MAX_ATTEMPTS` failures lock password sign-in (423) for the right
    /// password too — except from an address this account signed in from before (`LoginThrottle`).
    /// An account with a second factor also needs `code` (TOTP or recovery code): without one the
    /// right password answers `twoFactorRequired`; wrong codes count against the factor's own lock.
    public func login(in tenantID: UUID, email rawEmail: String, password: String, code: String? = nil, by actor: Actor) async throws -> SignIn {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let existing = try await storage.read(tenantID) { tx in try tx.users.user(email: email) }
        let passwordMatches: Bool
        if let existing {
            passwordMatches = await hasher.verify(password, against: existing.passwordHash)
        } else {
            _ = await hasher.verify(password, against: try await dummyHash.value(using: hasher))
            passwordMatches = false
        }
        let timestamp = now()
        let token = refreshTokens.generate()
        let tokenHash = refreshTokens.hash(token)
        let throttle = self.throttle
        let lifetime = refreshLifetime
        let address = LoginThrottle.rememberedAddress(actor.ip)
        let twoFactor = self.twoFactor
        let attempt = try await storage.write(tenantID) { tx -> Attempt in
            let invalid = DomainError.unauthorized("Invalid email or password")
            // Re-read inside the transaction: concurrent failures must all count.
            guard var user = try tx.users.user(email: email), user.id == existing?.id else {
                try tx.audit.record(AuditEntry("auth.login_failed", on: "user", id: nil, by: actor,
                                               new: .object(["email": .string(String(email.prefix(255))), "reason": .string("unknown email")]), at: timestamp))
                return .failure(invalid)
            }
            if let lockedUntil = user.lockedUntil, lockedUntil > timestamp {
                // A lock stops password guessing, not the owner: the right password from an address
                // this account signed in from before still passes; failures while locked do not count.
                let known = try address.map { address in
                    try tx.users.isKnownSignInAddress(userID: user.id, address: address, since: timestamp.addingTimeInterval(-throttle.knownAddressLifetime))
                } ?? false
                guard passwordMatches, known else {
                    try tx.audit.record(AuditEntry("auth.login_refused_locked", on: "user", id: user.id.lowercased, by: actor, userID: user.id, at: timestamp))
                    return .failure(.accountLocked(until: lockedUntil))
                }
            }
            guard passwordMatches else {
                let next = throttle.afterFailure(attempts: user.loginAttempts, now: timestamp)
                user.loginAttempts = next.attempts
                user.lockedUntil = next.lockedUntil
                user.updatedAt = timestamp
                try tx.users.update(user)
                try tx.audit.record(AuditEntry("auth.login_failed", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                               new: .object(["reason": .string("wrong password")]), at: timestamp))
                if let lockedUntil = next.lockedUntil {
                    // Sessions already issued stay valid: locking must not let a stranger sign the owner out.
                    try tx.audit.record(AuditEntry("auth.account_locked", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                                   new: .object(["lockedUntil": .string(lockedUntil.formatted(.iso8601))]), at: timestamp))
                    return .failure(.accountLocked(until: lockedUntil))
                }
                return .failure(invalid)
            }
            var secondFactor: JSONValue?
            if let credential = try tx.twoFactor.credential(userID: user.id), credential.isEnabled {
                guard let code, !code.isEmpty else { return .failure(.twoFactorRequired) }
                switch try twoFactor.check(code, against: credential) {
                case .accepted(let spent, let usedRecoveryCode):
                    try tx.twoFactor.save(spent, userID: user.id)
                    secondFactor = usedRecoveryCode
                        ? .object(["secondFactor": .string("recovery_code"), "recoveryCodesRemaining": .number(Double(spent.recoveryCodeHashes.count))])
                        : .object(["secondFactor": .string("totp")])
                case .rejected(let counted, let lockedUntil):
                    try tx.twoFactor.save(counted, userID: user.id)
                    try tx.audit.record(AuditEntry("auth.two_factor_failed", on: "user", id: user.id.lowercased, by: actor, userID: user.id, at: timestamp))
                    if let lockedUntil {
                        try tx.audit.record(AuditEntry("auth.two_factor_locked", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                                       new: .object(["lockedUntil": .string(lockedUntil.formatted(.iso8601))]), at: timestamp))
                        return .failure(.accountLocked(until: lockedUntil))
                    }
                    return .failure(.unauthorized("Invalid two-factor code"))
                case .locked(let until):
                    try tx.audit.record(AuditEntry("auth.login_refused_locked", on: "user", id: user.id.lowercased, by: actor, userID: user.id,
                                                   new: .object(["secondFactor": .bool(true)]), at: timestamp))
                    return .failure(.accountLocked(until: until))
                }
            }
            user.loginAttempts = 0
            user.lockedUntil = nil
            user.lastLogin = timestamp
            user.updatedAt = timestamp
            try tx.users.update(user)
            if let address {
                // A first sign-in from an address the account never used tells the holder, unless it
                // is the account's very first sign-in (its sign-up signed it in without an address list).
                let seenBefore = try tx.users.isKnownSignInAddress(userID: user.id, address: address, since: .distantPast)
                let hadSignedIn = try tx.users.hasSignInAddresses(userID: user.id)
                try tx.users.rememberSignInAddress(userID: user.id, address: address, at: timestamp, keep: LoginThrottle.knownAddressesKept)
                if !seenBefore, hadSignedIn {
                    try AccountMail.notify(.newSignIn, user, facts: ["address": .string(actor.ip ?? address),
                                                                    "userAgent": .string(String((actor.userAgent ?? "unknown browser").prefix(200)))],
                                           tx, at: timestamp)
                }
            }
            try tx.refreshTokens.insert(RefreshTokenRecord(
                id: TimeOrderedUUID.make(), userID: user.id, familyID: UUID(), tokenHash: tokenHash, expiresAt: timestamp.addingTimeInterval(lifetime), createdAt: timestamp
            ))
            try tx.audit.record(AuditEntry("auth.login", on: "user", id: user.id.lowercased, by: actor, userID: user.id, new: secondFactor, at: timestamp))
            return .success(user, mustEnrol: try TwoFactorPolicy.mustEnrol(user, tx))
        }
        switch attempt {
        case .success(let user, let mustEnrol): return SignIn(user: user, refreshToken: token, mustEnrolTwoFactor: mustEnrol)
        case .failure(let error): throw error
        }
    }

    /// Rotates a refresh token: the presented one is marked used and a new member of its family is
    /// issued. A token presented again after use revokes the whole family (it was stolen or replayed).
    public func refresh(in tenantID: UUID, token: String, by actor: Actor) async throws -> SignIn {
        let presented = refreshTokens.hash(token)
        let next = refreshTokens.generate()
        let nextHash = refreshTokens.hash(next)
        let timestamp = now()
        let lifetime = refreshLifetime
        let attempt = try await storage.write(tenantID) { tx -> Attempt in
            let invalid = DomainError.unauthorized("Invalid or expired refresh token")
            guard let record = try tx.refreshTokens.token(hash: presented), record.revokedAt == nil, record.expiresAt > timestamp else {
                return .failure(invalid)
            }
            if record.usedAt != nil {
                try tx.refreshTokens.revokeFamily(record.familyID, at: timestamp)
                try tx.audit.record(AuditEntry("auth.refresh_reuse_detected", on: "user", id: record.userID.lowercased, by: actor,
                                               userID: record.userID, new: .object(["family": .string(record.familyID.lowercased)]), at: timestamp))
                return .failure(invalid)
            }
            // A sign-in lock does not end sessions: the holder of a valid refresh token signed in before it.
            guard let user = try tx.users.user(id: record.userID) else {
                return .failure(invalid)
            }
            try tx.refreshTokens.markUsed(id: record.id, at: timestamp)
            try tx.refreshTokens.insert(RefreshTokenRecord(
                id: TimeOrderedUUID.make(), userID: user.id, familyID: record.familyID, tokenHash: nextHash,
                expiresAt: timestamp.addingTimeInterval(lifetime), createdAt: timestamp
            ))
            return .success(user, mustEnrol: try TwoFactorPolicy.mustEnrol(user, tx))
        }
        switch attempt {
        case .success(let user, let mustEnrol): return SignIn(user: user, refreshToken: next, mustEnrolTwoFactor: mustEnrol)
        case .failure(let error): throw error
        }
    }

    /// Revokes the family of the presented refresh token. Unknown tokens are ignored, so logout never
    /// tells an attacker whether a token existed.
    public func logout(in tenantID: UUID, token: String, by actor: Actor) async throws {
        let presented = refreshTokens.hash(token)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard let record = try tx.refreshTokens.token(hash: presented) else { return }
            try tx.refreshTokens.revokeFamily(record.familyID, at: timestamp)
            try tx.audit.record(AuditEntry("auth.logout", on: "user", id: record.userID.lowercased, by: actor, userID: record.userID, at: timestamp))
        }
    }

    /// The per-request check behind every protected route: the user still exists and the token was issued after the user's last forced sign-out.
    /// It also says whether the account still has to enrol a second factor the shop requires.
    public func authenticate(in tenantID: UUID, userID: UUID, issuedAt: Date) async throws -> Session {
        let found = try await storage.read(tenantID) { tx -> Session? in
            try tx.users.user(id: userID).map { Session(user: $0, mustEnrolTwoFactor: try TwoFactorPolicy.mustEnrol($0, tx)) }
        }
        guard let found else { throw DomainError.unauthorized("Invalid or expired token") }
        let user = found.user
        // No lock check here: failed sign-ins lock new password sign-ins only, never issued tokens.
        if let validAfter = user.tokensValidAfter, issuedAt < validAfter.addingTimeInterval(-0.999) {
            throw DomainError.unauthorized("Invalid or expired token")
        }
        return found
    }

    public struct ProfilePatch: Sendable {
        public var email: String?
        public var firstName: String?
        public var lastName: String?
        /// Needed when `email` changes the address: the address is where a reset would go, so a
        /// stolen access token alone must not be able to take the account over.
        public var currentPassword: String?

        public init(email: String? = nil, firstName: String? = nil, lastName: String? = nil, currentPassword: String? = nil) {
            self.email = email
            self.firstName = firstName
            self.lastName = lastName
            self.currentPassword = currentPassword
        }
    }

    /// `PATCH /auth/me`: name and email only; role and permissions are the admins' business.
    public func updateProfile(in tenantID: UUID, userID: UUID, _ patch: ProfilePatch, by actor: Actor) async throws -> User {
        let stored = try await storage.read(tenantID) { tx in try tx.users.user(id: userID) }
        guard let stored else { throw DomainError.unauthorized("Invalid or expired token") }
        let addressChanges = try patch.email.map {
            try UserFields.validate(email: $0, firstName: stored.firstName, lastName: stored.lastName).email != stored.email
        } ?? false
        if addressChanges {
            guard let current = patch.currentPassword, !current.isEmpty else {
                throw DomainError.invalid("currentPassword", "is required to change the e-mail address")
            }
            guard await hasher.verify(current, against: stored.passwordHash) else {
                throw DomainError.invalid("currentPassword", "is not correct")
            }
        }
        let timestamp = now()
        let box = self.box
        return try await storage.write(tenantID) { tx in
            guard var user = try tx.users.user(id: userID) else { throw DomainError.unauthorized("Invalid or expired token") }
            // The password checked above must still be the account's: a change in between is a retry.
            if addressChanges, user.passwordHash != stored.passwordHash {
                throw DomainError.conflict("The password changed meanwhile; try again")
            }
            let before = user.auditValues
            let fields = try UserFields.validate(email: patch.email ?? user.email, firstName: patch.firstName ?? user.firstName,
                                                 lastName: patch.lastName ?? user.lastName)
            let oldEmail = user.email
            user.email = fields.email
            user.firstName = fields.firstName
            user.lastName = fields.lastName
            user.updatedAt = timestamp
            if oldEmail != user.email { user.emailVerifiedAt = nil }
            try tx.users.update(user)
            try tx.audit.record(AuditEntry("user.profile_updated", on: "user", id: user.id.lowercased, by: actor,
                                           old: before, new: user.auditValues, at: timestamp))
            if oldEmail != user.email {
                // Both addresses hear of it: the old one is where the real holder still reads.
                let facts: [String: JSONValue] = ["oldEmail": .string(oldEmail), "newEmail": .string(user.email)]
                try AccountMail.notify(.emailChanged, user, to: oldEmail, facts: facts, tx, at: timestamp)
                try AccountMail.notify(.emailChanged, user, facts: facts, tx, at: timestamp)
                try tx.accountTokens.revokeAll(userID: user.id, purpose: .passwordReset, at: timestamp)
                try AccountMail.sendLink(.emailVerification, to: user, tx, box: box, at: timestamp)
            }
            return user
        }
    }

    /// Changes the password after checking the current one, then revokes every refresh token and
    /// every access token issued before now.
    public func changePassword(in tenantID: UUID, userID: UUID, current: String, new: String, by actor: Actor) async throws {
        try PasswordPolicy.validate(new, field: "newPassword")
        let user = try await storage.read(tenantID) { tx in try tx.users.user(id: userID) }
        guard let user else { throw DomainError.unauthorized("Invalid or expired token") }
        guard await hasher.verify(current, against: user.passwordHash) else {
            throw DomainError.invalid("currentPassword", "is not correct")
        }
        let hash = try await hasher.hash(new)
        let timestamp = now()
        try await storage.write(tenantID) { tx in
            guard var current = try tx.users.user(id: userID) else { throw DomainError.unauthorized("Invalid or expired token") }
            current.passwordHash = hash
            current.tokensValidAfter = timestamp
            current.updatedAt = timestamp
            try tx.users.update(current)
            try tx.refreshTokens.revokeAll(userID: userID, at: timestamp)
            try tx.accountTokens.revokeAll(userID: userID, purpose: .passwordReset, at: timestamp)
            try tx.audit.record(AuditEntry("auth.password_changed", on: "user", id: userID.lowercased, by: actor, at: timestamp))
            try AccountMail.notify(.passwordChanged, current, tx, at: timestamp)
        }
    }
}

extension UUID {
    /// The lower-case form used on the wire and in the database.
    public var lowercased: String { uuidString.lowercased() }
}
