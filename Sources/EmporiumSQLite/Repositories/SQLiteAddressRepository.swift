import EmporiumCore
import Foundation
import GRDB

struct SQLiteAddressRepository: AddressRepository {
    let db: Database

    func addresses(userID: UUID) throws -> [SavedAddress] {
        try Row.fetchAll(db, sql: "SELECT * FROM addresses WHERE user_id = ? ORDER BY created_at, id", arguments: [userID.lowercased]).map(decode)
    }

    func address(id: UUID, userID: UUID) throws -> SavedAddress? {
        try Row.fetchOne(db, sql: "SELECT * FROM addresses WHERE id = ? AND user_id = ?", arguments: [id.lowercased, userID.lowercased]).map(decode)
    }

    func insert(_ address: SavedAddress) throws {
        try db.execute(sql: "INSERT INTO addresses (id, user_id, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [address.id.lowercased, address.userID.lowercased, try JSONColumn.text(address.address), address.createdAt, address.updatedAt])
    }

    func update(_ address: SavedAddress) throws {
        try db.execute(sql: "UPDATE addresses SET address = ?, updated_at = ? WHERE id = ? AND user_id = ?",
                       arguments: [try JSONColumn.text(address.address), address.updatedAt, address.id.lowercased, address.userID.lowercased])
    }

    func delete(id: UUID, userID: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM addresses WHERE id = ? AND user_id = ?", arguments: [id.lowercased, userID.lowercased])
        return db.changesCount > 0
    }

    func count(userID: UUID) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM addresses WHERE user_id = ?", arguments: [userID.lowercased]) ?? 0
    }

    private func decode(_ row: Row) throws -> SavedAddress {
        let id: String = row["id"], user: String = row["user_id"]
        guard let uuid = UUID(uuidString: id), let userID = UUID(uuidString: user) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed addresses row")
        }
        return SavedAddress(id: uuid, userID: userID, address: try JSONColumn.value(PostalAddress.self, row["address"], table: "addresses"),
                            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
