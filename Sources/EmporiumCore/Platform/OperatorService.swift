import Foundation
import Synchronization

/// Creating platform operators and checking their sign-ins, with the same lockout rule shop users get.
public struct OperatorService: Sendable {
    let store: any OperatorStore
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let now: @Sendable () -> Date
    private let dummyHash = DummyHash()

    public init(
        store: any OperatorStore, hasher: any PasswordHasher, throttle: LoginThrottle = LoginThrottle(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
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
    /// amount of hashing work, so the answer never tells whether an email exists.
    public func authenticate(email rawEmail: String, password: String) async throws -> PlatformOperator {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        guard let op = try await store.operatorBy(email: email) else {
            _ = await hasher.verify(password, against: try await dummyHash.value(using: hasher))
            throw DomainError.unauthorized("Invalid email or password")
        }
        let timestamp = now()
        if let lockedUntil = op.lockedUntil, lockedUntil > timestamp {
            throw DomainError.accountLocked(until: lockedUntil)
        }
        guard await hasher.verify(password, against: op.passwordHash) else {
            let next = throttle.afterFailure(attempts: op.loginAttempts, now: timestamp)
            try await store.recordLogin(id: op.id, attempts: next.attempts, lockedUntil: next.lockedUntil, lastLogin: op.lastLogin)
            if let lockedUntil = next.lockedUntil {
                throw DomainError.accountLocked(until: lockedUntil)
            }
            throw DomainError.unauthorized("Invalid email or password")
        }
        try await store.recordLogin(id: op.id, attempts: 0, lockedUntil: nil, lastLogin: timestamp)
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
