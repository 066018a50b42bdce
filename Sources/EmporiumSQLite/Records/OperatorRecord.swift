import EmporiumCore
import Foundation
import GRDB

/// A row of the system database's `platform_operators`.
struct OperatorRecord: StoredRecord {
    static let databaseTableName = "platform_operators"

    var id: UUID
    var email: String
    var passwordHash: String
    var firstName: String
    var lastName: String
    var loginAttempts: Int
    var lockedUntil: Date?
    var lastLogin: Date?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email
        case passwordHash = "password_hash", firstName = "first_name", lastName = "last_name", loginAttempts = "login_attempts"
        case lockedUntil = "locked_until", lastLogin = "last_login", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let email = Column(CodingKeys.email)
        static let loginAttempts = Column(CodingKeys.loginAttempts)
        static let lockedUntil = Column(CodingKeys.lockedUntil)
        static let lastLogin = Column(CodingKeys.lastLogin)
        static let updatedAt = Column(CodingKeys.updatedAt)
    }

    init(_ op: PlatformOperator) {
        (id, email, passwordHash, firstName, lastName) = (op.id, op.email, op.passwordHash, op.firstName, op.lastName)
        (loginAttempts, lockedUntil, lastLogin, createdAt, updatedAt) = (op.loginAttempts, op.lockedUntil, op.lastLogin, op.createdAt, op.updatedAt)
    }

    var platformOperator: PlatformOperator {
        PlatformOperator(id: id, email: email, passwordHash: passwordHash, firstName: firstName, lastName: lastName, loginAttempts: loginAttempts,
                         lockedUntil: lockedUntil, lastLogin: lastLogin, createdAt: createdAt, updatedAt: updatedAt)
    }
}
