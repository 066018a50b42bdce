import EmporiumCore
import Foundation
import GRDB

struct SQLitePaymentEventRepository: PaymentEventRepository {
    let db: Database

    func seen(provider: PaymentProviderKind, eventID: String) throws -> Bool {
        try PaymentEventRecord.exists(db, key: ["provider": provider.rawValue, "event_id": eventID])
    }

    func record(provider: PaymentProviderKind, eventID: String, type: String, orderID: UUID?, outcome: String, at: Date) throws {
        try PaymentEventRecord(provider: provider, eventID: eventID, type: type, orderID: orderID, outcome: outcome, receivedAt: at).insert(db)
    }
}
