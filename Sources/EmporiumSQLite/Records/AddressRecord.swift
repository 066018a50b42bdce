import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `addresses`: a customer's saved address, kept as one JSON object.
struct AddressRecord: StoredRecord {
    static let databaseTableName = "addresses"

    var id: UUID
    var userID: UUID
    var address: PostalAddress
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, address
        case userID = "user_id", createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let userID = Column(CodingKeys.userID)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ saved: SavedAddress) {
        (id, userID, address, createdAt, updatedAt) = (saved.id, saved.userID, saved.address, saved.createdAt, saved.updatedAt)
    }

    var saved: SavedAddress {
        SavedAddress(id: id, userID: userID, address: address, createdAt: createdAt, updatedAt: updatedAt)
    }
}
