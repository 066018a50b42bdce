import Foundation
import Synchronization

/// Creating platform operators and checking their sign-ins, with the same lockout rule shop users get.
public struct OperatorService: Sendable {
    let store: any OperatorStore
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let twoFactor: TwoFactorCodes
    let now: @Sendable () -> Date
    private let dummyHash = DummyHash()

    public init(
        store: any OperatorStore, hasher: any PasswordHasher, throttle: LoginThrottle = LoginThrottle(), twoFactor: TwoFactorCodes,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
        self.twoFactor = twoFactor
        self.now = now
    }

    public func create(email: String, password: String, firstName: String = "Platform", lastName: String = "Operator") async throws -> PlatformOperator {
        let email = try EmailAddress.normalize(email)
        try PasswordPolicy.validate(password)
        let timestamp = now()
        let op = PlatformOperator(
            id: UUID(), email: email, passwordHash: try await hasher.hash(password),
            firstName: firstName, lastName: lastName, createdAt: timestamp, updatedAt: timestamp
        )
        try await store.insert(op)
        return op
    }

    /// Checks a sign-in. Unknown emails and wrong passwords give the same error after the same
    /// amount of hashing work, so the answer never tells whether an email exists. Failures count
    /// atomically in the store; a lock refuses the right password only from unknown addresses.
    /// An operator with a second factor also needs `code`, as shop staff do (`AccountService.login`).
    public func authenticate(email rawEmail: String, password: String, address rawAddress: String? = nil, code: String? = nil) async throws -> PlatformOperator {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let address = LoginThrottle.rememberedAddress(rawAddress)
        guard let op = try await store.operatorBy(email: email) else {
            _ = await hasher.verify(password, against: try await dummyHash.value(using: hasher))
            throw DomainError.unauthorized("Invalid email or password")
        }
        let timestamp = now()
        guard await hasher.verify(password, against: op.passwordHash) else {
            if let lockedUntil = try await store.recordFailedLogin(id: op.id, at: timestamp, rule: throttle) {
                throw DomainError.accountLocked(until: lockedUntil)
            }
            throw DomainError.unauthorized("Invalid email or password")
        }
        if let lockedUntil = op.lockedUntil, lockedUntil > timestamp {
            let since = timestamp.addingTimeInterval(-throttle.knownAddressLifetime)
            guard let address, try await store.isKnownSignInAddress(id: op.id, address: address, since: since) else {
                throw DomainError.accountLocked(until: lockedUntil)
            }
        }
        if try await store.twoFactor(operatorID: op.id)?.isEnabled == true {
            guard let code, !code.isEmpty else { throw DomainError.twoFactorRequired }
            try await spend(code, operatorID: op.id, wrong: .unauthorized("Invalid two-factor code"))
        }
        try await store.recordSuccessfulLogin(id: op.id, address: address, at: timestamp, keep: LoginThrottle.knownAddressesKept)
        return op
    }
}

/// A hash of a random password made with the configured hasher (so with the same cost as real
/// hashes), checked against when an email is unknown so that the failure takes as long as a wrong
/// password would. Made once, on first need.
final class DummyHash: Sendable {
    private let cached = Mutex<String?>(nil)

    func value(using hasher: any PasswordHasher) async throws -> String {
        if let value = cached.withLock({ $0 }) { return value }
        let value = try await hasher.hash(UUID().uuidString)
        cached.withLock { $0 = value }
        return value
    }
}
