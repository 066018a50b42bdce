import EmporiumCore
import Foundation
import GRDB

struct SQLiteAddressRepository: AddressRepository {
    let db: Database

    func addresses(userID: UUID) throws -> [SavedAddress] {
        try owned(by: userID).order(AddressRecord.Columns.createdAt, AddressRecord.Columns.id).fetchAll(db).map(\.saved)
    }

    func address(id: UUID, userID: UUID) throws -> SavedAddress? {
        try owned(by: userID).filter(key: id.lowercased).fetchOne(db)?.saved
    }

    func insert(_ address: SavedAddress) throws {
        try AddressRecord(address).insert(db)
    }

    /// Only its owner's address: another customer's id changes nothing.
    func update(_ address: SavedAddress) throws {
        guard try owned(by: address.userID).filter(key: address.id.lowercased).fetchCount(db) == 1 else { return }
        try AddressRecord(address).update(db, columns: [AddressRecord.CodingKeys.address.stringValue, AddressRecord.CodingKeys.updatedAt.stringValue])
    }

    func delete(id: UUID, userID: UUID) throws -> Bool {
        try owned(by: userID).filter(key: id.lowercased).deleteAll(db) > 0
    }

    func count(userID: UUID) throws -> Int {
        try owned(by: userID).fetchCount(db)
    }

    private func owned(by userID: UUID) -> QueryInterfaceRequest<AddressRecord> {
        AddressRecord.filter(AddressRecord.Columns.userID == userID.lowercased)
    }
}
