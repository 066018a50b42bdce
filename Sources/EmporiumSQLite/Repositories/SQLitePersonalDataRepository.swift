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
        try Row.fetchAll(db, sql: """
            SELECT * FROM audit_logs
            WHERE \(Self.aboutThePerson)
               OR (resource_type = 'order' AND resource_id IN (SELECT id FROM orders WHERE customer_id = ?1))
            ORDER BY created_at, rowid
            """, arguments: [userID.lowercased, email]).map(SQLiteAuditRepository.decode)
    }

    func signInAddresses(userID: UUID) throws -> [SignInRecord] {
        try Row.fetchAll(db, sql: "SELECT address, last_seen FROM sign_in_addresses WHERE user_id = ? ORDER BY last_seen DESC",
                         arguments: [userID.lowercased]).map { SignInRecord(address: $0["address"], lastSeen: $0["last_seen"]) }
    }

    func scrubAuditEntries(concerning userID: UUID, email: String) throws -> Int {
        try db.execute(sql: """
            UPDATE audit_logs SET old_values = NULL, new_values = NULL, ip_address = NULL, user_agent = NULL
            WHERE \(Self.aboutThePerson)
            """, arguments: [userID.lowercased, email])
        return db.changesCount
    }

    func replaceCheckout(_ checkout: OrderCheckout, of orderID: UUID) throws {
        try db.execute(sql: "UPDATE orders SET checkout = ? WHERE id = ?", arguments: [try JSONColumn.text(checkout), orderID.lowercased])
    }

    func detachOrders(customerID: UUID) throws {
        let id = customerID.lowercased
        try db.execute(sql: """
            UPDATE order_status_history SET by_user_id = NULL
            WHERE by_user_id = ?1 AND order_id IN (SELECT id FROM orders WHERE customer_id = ?1)
            """, arguments: [id])
        try db.execute(sql: "UPDATE discount_redemptions SET customer_id = NULL WHERE customer_id = ?", arguments: [id])
        try db.execute(sql: "UPDATE orders SET customer_id = NULL, idempotency_key = NULL, request_hash = NULL WHERE customer_id = ?",
                       arguments: [id])
    }

    func deleteAuditEntries(before cutoff: Date, limit: Int) throws -> Int {
        try db.execute(sql: """
            DELETE FROM audit_logs WHERE rowid IN (SELECT rowid FROM audit_logs WHERE created_at < ? ORDER BY created_at LIMIT ?)
            """, arguments: [cutoff.sqlText, limit])
        return db.changesCount
    }
}
