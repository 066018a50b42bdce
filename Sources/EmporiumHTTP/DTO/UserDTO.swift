import EmporiumCore
import Foundation

/// A user as the API shows it: never the password hash, lockout counters or token state.
struct UserDTO: Encodable, Sendable {
    let id: String
    let email: String
    let firstName: String
    let lastName: String
    let role: String
    let permissions: [String]
    /// Whether the person confirmed `email` through the mailed link.
    let emailVerified: Bool
    @NullWhenAbsent var lastLogin: Date?
    let createdAt: Date
    let updatedAt: Date

    init(_ user: User) {
        self.id = user.id.lowercased
        self.email = user.email
        self.firstName = user.firstName
        self.lastName = user.lastName
        self.role = user.role.rawValue
        self.permissions = user.permissions.map(\.rawValue)
        self.emailVerified = user.emailVerifiedAt != nil
        self.lastLogin = user.lastLogin
        self.createdAt = user.createdAt
        self.updatedAt = user.updatedAt
    }
}

extension TokenResponse.User {
    init(_ user: User) {
        self.init(id: user.id.lowercased, email: user.email, firstName: user.firstName, lastName: user.lastName,
                  role: user.role.rawValue, permissions: user.permissions.map(\.rawValue))
    }
}

struct AuditEntryDTO: Encodable, Sendable {
    let id: String
    @NullWhenAbsent var userId: String?
    let action: String
    let resourceType: String
    @NullWhenAbsent var resourceId: String?
    @NullWhenAbsent var oldValues: JSONValue?
    @NullWhenAbsent var newValues: JSONValue?
    @NullWhenAbsent var ipAddress: String?
    @NullWhenAbsent var userAgent: String?
    let createdAt: Date

    init(_ entry: AuditEntry) {
        self.id = entry.id.lowercased
        self.userId = entry.userID?.lowercased
        self.action = entry.action
        self.resourceType = entry.resourceType
        self.resourceId = entry.resourceID
        self.oldValues = entry.oldValues
        self.newValues = entry.newValues
        self.ipAddress = entry.ip
        self.userAgent = entry.userAgent
        self.createdAt = entry.createdAt
    }
}

struct SettingDTO: Encodable, Sendable {
    let key: String
    let value: JSONValue
    let encrypted: Bool
    let updatedAt: Date

    init(_ view: SettingView) {
        self.key = view.key
        self.value = view.value
        self.encrypted = view.encrypted
        self.updatedAt = view.updatedAt
    }
}
