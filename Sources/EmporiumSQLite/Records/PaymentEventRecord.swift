import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `payment_events`: a provider's event already handled, so a redelivery is
/// recognised and ignored.
struct PaymentEventRecord: StoredRecord {
    static let databaseTableName = "payment_events"

    var provider: PaymentProviderKind
    var eventID: String
    var type: String
    var orderID: UUID?
    var outcome: String
    var receivedAt: Date

    enum CodingKeys: String, CodingKey {
        case provider, type, outcome
        case eventID = "event_id", orderID = "order_id", receivedAt = "received_at"
    }
}
