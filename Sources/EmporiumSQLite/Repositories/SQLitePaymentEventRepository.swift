import EmporiumCore
import Foundation
import GRDB

struct SQLitePaymentEventRepository: PaymentEventRepository {
    let db: Database

    func seen(provider: PaymentProviderKind, eventID: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM payment_events WHERE provider = ? AND event_id = ?"),
                          arguments: [provider.rawValue, eventID]) ?? false
    }

    func record(provider: PaymentProviderKind, eventID: String, type: String, orderID: UUID?, outcome: String, at: Date) throws {
        try db.executeCached(
            sql: "INSERT INTO payment_events (provider, event_id, type, order_id, outcome, received_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [provider.rawValue, eventID, type, orderID?.lowercased, outcome, at.sqlText]
        )
    }
}
