import EmporiumCore
import Foundation
import GRDB

struct SQLitePersonalDataRepository: PersonalDataRepository {
    let db: Database

    /// Rows on the account, rows by the user, and failed sign-ins naming the address (indexes on
    /// `user_id` and `(resource_type, resource_id)` serve the first two arms).
    private static let aboutThePerson = """
        (resource_type = 'user' AND resource_id = ?1)
        OR user_id = ?1
        OR (action = 'auth.login_failed' AND resource_type = 'user' AND resource_id IS NULL
            AND json_extract(new_values, '$.email') = ?2 COLLATE NOCASE)
        """

    func auditEntries(concerning userID: UUID, email: String) throws -> [AuditEntry] {
        try AuditEntryRecord.fetchAll(db, sql: """
            SELECT * FROM audit_logs
            WHERE \(Self.aboutThePerson)
               OR (resource_type = 'order' AND resource_id IN (SELECT id FROM orders WHERE customer_id = ?1))
            ORDER BY created_at, rowid
            """, arguments: [userID.lowercased, email]).map(\.entry)
    }

    func signInAddresses(userID: UUID) throws -> [SignInRecord] {
        try UserSignInAddressRecord.filter(UserSignInAddressRecord.owner == userID.lowercased).order(Column("last_seen").desc).fetchAll(db)
            .map { SignInRecord(address: $0.address, lastSeen: $0.lastSeen) }
    }

    func scrubAuditEntries(concerning userID: UUID, email: String) throws -> Int {
        try db.execute(sql: """
            UPDATE audit_logs SET old_values = NULL, new_values = NULL, ip_address = NULL, user_agent = NULL
            WHERE \(Self.aboutThePerson)
            """, arguments: [userID.lowercased, email])
        return db.changesCount
    }

    func replaceCheckout(_ checkout: OrderCheckout, of orderID: UUID) throws {
        guard var order = try OrderRecord.fetchOne(db, key: orderID.lowercased) else { return }
        order.checkout = checkout
        try order.update(db, columns: [OrderRecord.CodingKeys.checkout.stringValue])
    }

    func detachOrders(customerID: UUID) throws {
        let id = customerID.lowercased
        try db.execute(sql: """
            UPDATE order_status_history SET by_user_id = NULL
            WHERE by_user_id = ?1 AND order_id IN (SELECT id FROM orders WHERE customer_id = ?1)
            """, arguments: [id])
        try DiscountRedemptionRecord.filter(DiscountRedemptionRecord.Columns.customerID == id)
            .updateAll(db, DiscountRedemptionRecord.Columns.customerID.set(to: nil))
        try OrderRecord.filter(OrderRecord.Columns.customerID == id).updateAll(db, [
            OrderRecord.Columns.customerID.set(to: nil), OrderRecord.Columns.idempotencyKey.set(to: nil), OrderRecord.Columns.requestHash.set(to: nil),
        ])
    }

    func deleteAuditEntries(before cutoff: Date, limit: Int) throws -> Int {
        try db.execute(sql: """
            DELETE FROM audit_logs WHERE rowid IN (SELECT rowid FROM audit_logs WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """, arguments: [cutoff.sqlText, limit])
        return db.changesCount
    }
}
