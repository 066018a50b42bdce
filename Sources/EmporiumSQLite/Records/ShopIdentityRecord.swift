import Foundation
import GRDB

/// The one row of a shop's `shop_identity` (`ShopIdentity`).
struct ShopIdentityRecord: StoredRecord {
    static let databaseTableName = "shop_identity"

    var singleton = 1
    var tenantID: UUID
    /// The shop's system record as JSON (in backups and exports).
    var tenantRecord: String?

    enum CodingKeys: String, CodingKey {
        case singleton
        case tenantID = "tenant_id", tenantRecord = "tenant_record"
    }
}

/// A row of the system database's `system_meta`: installation-wide facts by key.
struct SystemMetaRecord: StoredRecord {
    static let databaseTableName = "system_meta"

    var key: String
    var value: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case key, value
        case updatedAt = "updated_at"
    }
}
