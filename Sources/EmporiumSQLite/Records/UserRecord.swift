import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `users`.
struct UserRecord: StoredRecord {
    static let databaseTableName = "users"

    var id: UUID
    var email: String
    var passwordHash: String
    var firstName: String
    var lastName: String
    var role: Role
    /// Extra permissions by name, sorted.
    var permissions: [String]
    var lastLogin: Date?
    var loginAttempts: Int
    var lockedUntil: Date?
    var tokensValidAfter: Date?
    var emailVerifiedAt: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, role, permissions
        case passwordHash = "password_hash", firstName = "first_name", lastName = "last_name", lastLogin = "last_login"
        case loginAttempts = "login_attempts", lockedUntil = "locked_until", tokensValidAfter = "tokens_valid_after", emailVerifiedAt = "email_verified_at"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let email = Column(CodingKeys.email)
        static let firstName = Column(CodingKeys.firstName)
        static let lastName = Column(CodingKeys.lastName)
        static let role = Column(CodingKeys.role)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ user: User) {
        (id, email, passwordHash, firstName, lastName, role) = (user.id, user.email, user.passwordHash, user.firstName, user.lastName, user.role)
        permissions = user.extraPermissions.sorted().map(\.rawValue)
        (lastLogin, loginAttempts, lockedUntil, tokensValidAfter) = (user.lastLogin, user.loginAttempts, user.lockedUntil, user.tokensValidAfter)
        emailVerifiedAt = user.emailVerifiedAt
        (createdAt, updatedAt) = (user.createdAt, user.updatedAt)
    }

    var user: User {
        User(id: id, email: email, passwordHash: passwordHash, firstName: firstName, lastName: lastName, role: role,
             extraPermissions: Set(permissions.map(Permission.init(rawValue:))), lastLogin: lastLogin, loginAttempts: loginAttempts,
             lockedUntil: lockedUntil, tokensValidAfter: tokensValidAfter, emailVerifiedAt: emailVerifiedAt, createdAt: createdAt, updatedAt: updatedAt)
    }
}
