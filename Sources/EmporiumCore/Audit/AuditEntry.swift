import Foundation

/// One row of the audit log: who did what to which resource, with the values before and after.
/// Built by the use cases, written by the same transaction as the change it records.
public struct AuditEntry: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID?
    public var action: String
    public var resourceType: String
    public var resourceID: String?
    public var oldValues: JSONValue?
    public var newValues: JSONValue?
    public var ip: String?
    public var userAgent: String?
    public var createdAt: Date

    public init(
        id: UUID = TimeOrderedUUID.make(), userID: UUID?, action: String, resourceType: String, resourceID: String?,
        oldValues: JSONValue? = nil, newValues: JSONValue? = nil, ip: String?, userAgent: String?, createdAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.oldValues = oldValues
        self.newValues = newValues
        self.ip = ip
        self.userAgent = userAgent
        self.createdAt = createdAt
    }

    /// An entry attributed to `actor` (or to `userID` when the actor is anonymous, e.g. a login).
    public init(_ action: String, on resourceType: String, id resourceID: String?, by actor: Actor, userID: UUID? = nil,
                old: JSONValue? = nil, new: JSONValue? = nil, at now: Date) {
        self.init(userID: actor.userID ?? userID, action: action, resourceType: resourceType, resourceID: resourceID,
                  oldValues: old, newValues: new, ip: actor.ip, userAgent: actor.userAgent.map { String($0.prefix(500)) }, createdAt: now)
    }
}

/// Filters of `GET /audit-logs`.
public struct AuditFilter: Sendable, Equatable {
    public var action: String?
    public var resourceType: String?
    public var userID: UUID?
    public var from: Date?
    public var to: Date?

    public init(action: String? = nil, resourceType: String? = nil, userID: UUID? = nil, from: Date? = nil, to: Date? = nil) {
        self.action = action
        self.resourceType = resourceType
        self.userID = userID
        self.from = from
        self.to = to
    }
}
