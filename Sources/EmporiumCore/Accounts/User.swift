import Foundation

/// A person with an account in one shop: staff or customer.
public struct User: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var email: String
    public var passwordHash: String
    public var firstName: String
    public var lastName: String
    public var role: Role
    /// Permissions added on top of the role's set.
    public var extraPermissions: Set<Permission>
    public var lastLogin: Date?
    public var loginAttempts: Int
    public var lockedUntil: Date?
    /// Tokens issued before this instant are refused (password change, deletion, forced sign-out).
    public var tokensValidAfter: Date?
    /// When the person proved `email` is theirs (the verification link); nil until then and
    /// again after the address changes.
    public var emailVerifiedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: UUID, email: String, passwordHash: String, firstName: String, lastName: String, role: Role,
        extraPermissions: Set<Permission> = [], lastLogin: Date? = nil, loginAttempts: Int = 0, lockedUntil: Date? = nil,
        tokensValidAfter: Date? = nil, emailVerifiedAt: Date? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.firstName = firstName
        self.lastName = lastName
        self.role = role
        self.extraPermissions = extraPermissions
        self.lastLogin = lastLogin
        self.loginAttempts = loginAttempts
        self.lockedUntil = lockedUntil
        self.tokensValidAfter = tokensValidAfter
        self.emailVerifiedAt = emailVerifiedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The role's permissions plus the user's own additions, sorted for stable tokens.
    public var permissions: [Permission] {
        role.permissions.union(extraPermissions).sorted()
    }

    public func isLocked(at now: Date) -> Bool {
        if let lockedUntil, lockedUntil > now { return true }
        return false
    }

    /// The audit view of a user: never the password hash.
    public var auditValues: JSONValue {
        .object([
            "email": .string(email), "firstName": .string(firstName), "lastName": .string(lastName),
            "role": .string(role.rawValue), "permissions": .array(extraPermissions.sorted().map { .string($0.rawValue) }),
        ])
    }
}

/// Who is acting: the signed-in user with the permissions the database currently grants
/// (not the ones frozen in the token), and where the request came from, for the audit log.
public struct Actor: Sendable, Equatable {
    public let userID: UUID?
    public let role: Role?
    public let permissions: Set<Permission>
    public let ip: String?
    public let userAgent: String?
    /// A staff session in a shop that requires a second factor this account has not set up: it
    /// holds no permissions, and `require` says why (`TwoFactorPolicy`).
    public let mustEnrolTwoFactor: Bool

    public init(userID: UUID?, role: Role?, permissions: Set<Permission>, ip: String?, userAgent: String?, mustEnrolTwoFactor: Bool = false) {
        self.userID = userID
        self.role = role
        self.permissions = mustEnrolTwoFactor ? [] : permissions
        self.ip = ip
        self.userAgent = userAgent
        self.mustEnrolTwoFactor = mustEnrolTwoFactor
    }

    /// An unauthenticated caller (registration, login).
    public static func anonymous(ip: String?, userAgent: String?) -> Actor {
        Actor(userID: nil, role: nil, permissions: [], ip: ip, userAgent: userAgent)
    }

    /// The command line acting as the box's administrator.
    public static let commandLine = Actor(userID: nil, role: .owner, permissions: Set(Permission.all), ip: nil, userAgent: "emporium-cli")

    public func require(_ permission: Permission) throws {
        guard permissions.contains(permission) else {
            if mustEnrolTwoFactor { throw DomainError.twoFactorEnrolmentRequired }
            throw DomainError.forbidden("Requires the \(permission.rawValue) permission")
        }
    }
}
