import EmporiumCore
import Foundation
import GRDB

struct SQLiteCartRepository: CartRepository {
    let db: Database

    func lines(userID: UUID) throws -> [(productID: UUID, variantID: UUID, quantity: Int)] {
        try Row.fetchAll(db, sql: "SELECT product_id, variant_id, quantity FROM cart_items WHERE user_id = ? ORDER BY added_at, variant_id",
                         arguments: [userID.lowercased]).compactMap { row in
            let product: String = row["product_id"], variant: String = row["variant_id"]
            guard let productID = UUID(uuidString: product), let variantID = UUID(uuidString: variant) else { return nil }
            return (productID, variantID, row["quantity"])
        }
    }

    func setQuantity(userID: UUID, productID: UUID, variantID: UUID, quantity: Int, at date: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO cart_items (user_id, variant_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (user_id, variant_id) DO UPDATE SET quantity = excluded.quantity
                """,
            arguments: [userID.lowercased, variantID.lowercased, productID.lowercased, quantity, date]
        )
    }

    func remove(userID: UUID, variantID: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM cart_items WHERE user_id = ? AND variant_id = ?", arguments: [userID.lowercased, variantID.lowercased])
        return db.changesCount > 0
    }

    func clear(userID: UUID) throws {
        try db.execute(sql: "DELETE FROM cart_items WHERE user_id = ?", arguments: [userID.lowercased])
    }
}
