import EmporiumCore
import Foundation
import GRDB

/// The `shop_identity` row of a shop's file: which shop it belongs to, and (in backups) the shop's
/// system record, so a backup can be checked against its target and a shop recreated from one file.
enum ShopIdentity {
    /// Records `tenantID` as the file's owner if none is recorded yet; returns the recorded owner.
    static func claim(_ db: Database, for tenantID: UUID) throws -> UUID {
        try ShopIdentityRecord(tenantID: tenantID).insert(db, onConflict: .ignore)
        return try owner(db) ?? tenantID
    }

    static func owner(_ db: Database) throws -> UUID? {
        guard try db.hasTable(ShopIdentityRecord.databaseTableName) else { return nil }
        return try ShopIdentityRecord.fetchOne(db, key: 1)?.tenantID
    }

    static func record(_ db: Database) throws -> String? {
        guard try db.hasTable(ShopIdentityRecord.databaseTableName) else { return nil }
        return try ShopIdentityRecord.fetchOne(db, key: 1)?.tenantRecord
    }

    /// Makes `tenantID` the owner and stores `record` (the copy in a backup, or a forced restore).
    static func write(_ db: Database, tenantID: UUID, record: String?) throws {
        try ShopIdentityRecord(tenantID: tenantID, tenantRecord: record).upsert(db)
    }
}
