import EmporiumCore
import Foundation
import GRDB

struct SQLiteCartRepository: CartRepository {
    let db: Database

    func lines(userID: UUID) throws -> [(productID: UUID, quantity: Int)] {
        try Row.fetchAll(db, sql: "SELECT product_id, quantity FROM cart_items WHERE user_id = ? ORDER BY added_at, product_id",
                         arguments: [userID.lowercased]).compactMap { row in
            let id: String = row["product_id"]
            return UUID(uuidString: id).map { ($0, row["quantity"]) }
        }
    }

    func setQuantity(userID: UUID, productID: UUID, quantity: Int, at date: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = excluded.quantity
                """,
            arguments: [userID.lowercased, productID.lowercased, quantity, date]
        )
    }

    func remove(userID: UUID, productID: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM cart_items WHERE user_id = ? AND product_id = ?", arguments: [userID.lowercased, productID.lowercased])
        return db.changesCount > 0
    }

    func clear(userID: UUID) throws {
        try db.execute(sql: "DELETE FROM cart_items WHERE user_id = ?", arguments: [userID.lowercased])
    }
}
