import Foundation

/// A person who runs the platform: creates, suspends and deletes shops. Lives in the system
/// database, never in a shop's file, and has no access to shop data through shop routes.
public struct PlatformOperator: Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var passwordHash: String
    public var firstName: String
    public var lastName: String
    public var loginAttempts: Int
    public var lockedUntil: Date?
    public var lastLogin: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, email: String, passwordHash: String, firstName: String, lastName: String,
        loginAttempts: Int = 0, lockedUntil: Date? = nil, lastLogin: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.firstName = firstName
        self.lastName = lastName
        self.loginAttempts = loginAttempts
        self.lockedUntil = lockedUntil
        self.lastLogin = lastLogin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The platform_operators table of the system database.
public protocol OperatorStore: Sendable {
    /// Throws `DomainError.conflict` when the email is taken.
    func insert(_ op: PlatformOperator) async throws
    func operatorBy(email: String) async throws -> PlatformOperator?
    func operatorBy(id: UUID) async throws -> PlatformOperator?
    /// Counts one failed sign-in under `rule` in one write transaction (concurrent failures all
    /// count) and answers the lock now in force, if any. A locked account's failures do not count.
    func recordFailedLogin(id: UUID, at: Date, rule: LoginThrottle) async throws -> Date?
    /// Clears the counter and the lock, sets `last_login` and remembers `address` (if any).
    func recordSuccessfulLogin(id: UUID, address: String?, at: Date, keep: Int) async throws
    func isKnownSignInAddress(id: UUID, address: String, since: Date) async throws -> Bool
    func twoFactor(operatorID: UUID) async throws -> TwoFactorCredential?
    /// The operators that have a second factor (re-sealing after a key rotation).
    func operatorsWithTwoFactor() async throws -> [UUID]
    /// Runs `body` on the operator's second factor in one write transaction and stores what it
    /// leaves there (nil deletes), so concurrent wrong codes all count.
    func changeTwoFactor<T: Sendable>(operatorID: UUID, _ body: @escaping @Sendable (inout TwoFactorCredential?) throws -> T) async throws -> T
}
