import Foundation

/// A platform operator's own second factor: the same steps and rules as a shop's staff
/// (`TwoFactorService`), over the system database. `emporium operator two-factor-reset` on the
/// box is the way back for an operator who lost both phone and recovery codes.
extension OperatorService {
    public func twoFactorStatus(operatorID: UUID) async throws -> TwoFactorStatus {
        TwoFactorStatus(try await store.twoFactor(operatorID: operatorID), required: false)
    }

    public func setupTwoFactor(operatorID: UUID, password: String) async throws -> TwoFactorSetup {
        let op = try await verified(operatorID, password: password)
        let (credential, setup) = try twoFactor.newCredential(account: op.email, issuer: "Emporium platform")
        try await store.changeTwoFactor(operatorID: op.id) { stored in
            if stored?.isEnabled == true {
                throw DomainError.conflict("Two-factor sign-in is already on; switch it off first to use another device")
            }
            stored = credential
        }
        return setup
    }

    public func confirmTwoFactor(operatorID: UUID, code: String) async throws -> [String] {
        let recovery = twoFactor.newRecoveryCodes()
        let codes = twoFactor
        let timestamp = now()
        return try await store.changeTwoFactor(operatorID: operatorID) { stored -> Result<[String], DomainError> in
            guard let credential = stored, !credential.isEnabled else {
                throw DomainError.conflict("Start with /platform/auth/2fa/setup: there is no set-up waiting for a code")
            }
            let outcome = try codes.check(code, against: credential, allowRecovery: false)
            guard var confirmed = outcome.accepted else {
                stored = outcome.counted ?? credential
                return .failure(outcome.refusal(wrong: .invalid("code", "is not the current code of the app")))
            }
            confirmed.confirmedAt = timestamp
            confirmed.recoveryCodeHashes = recovery.hashes
            stored = confirmed
            return .success(recovery.codes)
        }.get()
    }

    public func regenerateRecoveryCodes(operatorID: UUID, code: String) async throws -> [String] {
        let recovery = twoFactor.newRecoveryCodes()
        try await spend(code, operatorID: operatorID, wrong: .invalid("code", "is not a current or recovery code")) { stored in
            stored?.recoveryCodeHashes = recovery.hashes
        }
        return recovery.codes
    }

    public func disableTwoFactor(operatorID: UUID, password: String, code: String) async throws {
        _ = try await verified(operatorID, password: password)
        try await spend(code, operatorID: operatorID, wrong: .invalid("code", "is not a current or recovery code")) { stored in stored = nil }
    }

    /// The box's administrator removes an operator's second factor. False when there was none.
    public func resetTwoFactor(email rawEmail: String) async throws -> Bool {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard let op = try await store.operatorBy(email: email) else { throw DomainError.notFound("No operator \(email)") }
        return try await store.changeTwoFactor(operatorID: op.id) { stored in
            defer { stored = nil }
            return stored != nil
        }
    }

    /// After an `ENCRYPTION_KEY` rotation: every operator secret the previous key sealed, sealed again.
    @discardableResult
    public func resealTwoFactorSecrets() async throws -> Int {
        var moved = 0
        for id in try await store.operatorsWithTwoFactor() {
            let codes = twoFactor
            let resealed = try await store.changeTwoFactor(operatorID: id) { stored -> Bool in
                guard let current = stored, let resealed = codes.resealed(current) else { return false }
                stored = resealed
                return true
            }
            if resealed { moved += 1 }
        }
        return moved
    }

    /// Checks `code` against the operator's enabled credential and spends it; a wrong code is
    /// counted (and stored) and answers `wrong`, or the lock once it trips. `then` changes the
    /// credential further in the same transaction once the code passed.
    func spend(_ code: String, operatorID: UUID, wrong: DomainError,
               then: @escaping @Sendable (inout TwoFactorCredential?) -> Void = { _ in }) async throws {
        let codes = twoFactor
        try await store.changeTwoFactor(operatorID: operatorID) { stored -> Result<Void, DomainError> in
            guard let credential = stored, credential.isEnabled else {
                throw DomainError.conflict("Two-factor sign-in is not on for this operator")
            }
            let outcome = try codes.check(code, against: credential)
            guard let spent = outcome.accepted else {
                stored = outcome.counted ?? credential
                return .failure(outcome.refusal(wrong: wrong))
            }
            stored = spent
            then(&stored)
            return .success(())
        }.get()
    }

    private func verified(_ operatorID: UUID, password: String) async throws -> PlatformOperator {
        guard let op = try await store.operatorBy(id: operatorID) else { throw DomainError.unauthorized("Invalid or expired token") }
        guard await hasher.verify(password, against: op.passwordHash) else { throw DomainError.invalid("password", "is not correct") }
        return op
    }
}
