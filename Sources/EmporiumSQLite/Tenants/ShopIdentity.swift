import EmporiumCore
import Foundation
import GRDB

/// The `shop_identity` row of a shop's file: which shop it belongs to, and (in backups) the shop's
/// system record, so a backup can be checked against its target and a shop recreated from one file.
enum ShopIdentity {
    /// Records `tenantID` as the file's owner if none is recorded yet; returns the recorded owner.
    static func claim(_ db: Database, for tenantID: UUID) throws -> UUID {
        try db.execute(sql: "INSERT OR IGNORE INTO shop_identity (singleton, tenant_id) VALUES (1, ?)", arguments: [tenantID.lowercased])
        return try owner(db) ?? tenantID
    }

    static func owner(_ db: Database) throws -> UUID? {
        guard try db.hasTable("shop_identity") else { return nil }
        return try String.fetchOne(db, sql: "SELECT tenant_id FROM shop_identity WHERE singleton = 1").flatMap(UUID.init(uuidString:))
    }

    static func record(_ db: Database) throws -> String? {
        guard try db.hasTable("shop_identity") else { return nil }
        return try String.fetchOne(db, sql: "SELECT tenant_record FROM shop_identity WHERE singleton = 1")
    }

    /// Makes `tenantID` the owner and stores `record` (the copy in a backup, or a forced restore).
    static func write(_ db: Database, tenantID: UUID, record: String?) throws {
        try db.execute(sql: """
            INSERT INTO shop_identity (singleton, tenant_id, tenant_record) VALUES (1, ?, ?)
            ON CONFLICT (singleton) DO UPDATE SET tenant_id = excluded.tenant_id, tenant_record = excluded.tenant_record
            """, arguments: [tenantID.lowercased, record])
    }
}
