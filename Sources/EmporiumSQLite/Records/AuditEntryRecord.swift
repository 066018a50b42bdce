import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `audit_logs`.
struct AuditEntryRecord: StoredRecord {
    static let databaseTableName = "audit_logs"

    var id: UUID
    var userID: UUID?
    var action: String
    var resourceType: String
    var resourceID: String?
    var oldValues: JSONValue?
    var newValues: JSONValue?
    var ipAddress: String?
    var userAgent: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, action
        case userID = "user_id", resourceType = "resource_type", resourceID = "resource_id", oldValues = "old_values"
        case newValues = "new_values", ipAddress = "ip_address", userAgent = "user_agent", createdAt = "created_at"
    }

    enum Columns {
        static let userID = Column(CodingKeys.userID)
        static let action = Column(CodingKeys.action)
        static let resourceType = Column(CodingKeys.resourceType)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ entry: AuditEntry) {
        (id, userID, action, resourceType, resourceID) = (entry.id, entry.userID, entry.action, entry.resourceType, entry.resourceID)
        (oldValues, newValues, ipAddress, userAgent, createdAt) = (entry.oldValues, entry.newValues, entry.ip, entry.userAgent, entry.createdAt)
    }

    var entry: AuditEntry {
        AuditEntry(id: id, userID: userID, action: action, resourceType: resourceType, resourceID: resourceID, oldValues: oldValues,
                   newValues: newValues, ip: ipAddress, userAgent: userAgent, createdAt: createdAt)
    }
}
