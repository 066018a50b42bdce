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
    let lastLogin: Date?
    let createdAt: Date
    let updatedAt: Date

    init(_ user: User) {
        self.id = user.id.lowercased
        self.email = user.email
        self.firstName = user.firstName
        self.lastName = user.lastName
        self.role = user.role.rawValue
        self.permissions = user.permissions.map(\.rawValue)
        self.lastLogin = user.lastLogin
        self.createdAt = user.createdAt
        self.updatedAt = user.updatedAt
    }

    /// `lastLogin` is always present, `null` for someone who never signed in (the document requires
    /// the key; the synthesized encoder would leave it out).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(firstName, forKey: .firstName)
        try container.encode(lastName, forKey: .lastName)
        try container.encode(role, forKey: .role)
        try container.encode(permissions, forKey: .permissions)
        try container.encode(lastLogin, forKey: .lastLogin)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey { case id, email, firstName, lastName, role, permissions, lastLogin, createdAt, updatedAt }
}

extension TokenResponse.User {
    init(_ user: User) {
        self.init(id: user.id.lowercased, email: user.email, firstName: user.firstName, lastName: user.lastName,
                  role: user.role.rawValue, permissions: user.permissions.map(\.rawValue))
    }
}

struct AuditEntryDTO: Encodable, Sendable {
    let id: String
    let userId: String?
    let action: String
    let resourceType: String
    let resourceId: String?
    let oldValues: JSONValue?
    let newValues: JSONValue?
    let ipAddress: String?
    let userAgent: String?
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

    private enum CodingKeys: String, CodingKey {
        case id, userId, action, resourceType, resourceId, oldValues, newValues, ipAddress, userAgent, createdAt
    }

    /// Absent values are written as `null`: the document lists every key as present (found by schemathesis).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(userId, forKey: .userId)
        try container.encode(action, forKey: .action)
        try container.encode(resourceType, forKey: .resourceType)
        try container.encode(resourceId, forKey: .resourceId)
        try container.encode(oldValues, forKey: .oldValues)
        try container.encode(newValues, forKey: .newValues)
        try container.encode(ipAddress, forKey: .ipAddress)
        try container.encode(userAgent, forKey: .userAgent)
        try container.encode(createdAt, forKey: .createdAt)
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
