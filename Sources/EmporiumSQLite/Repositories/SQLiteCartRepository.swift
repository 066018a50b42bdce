import EmporiumCore
import Foundation
import GRDB

struct SQLiteCartRepository: CartRepository {
    let db: Database

    func lines(userID: UUID) throws -> [(productID: UUID, variantID: UUID, quantity: Int)] {
        try cart(of: userID).order(CartItemRecord.Columns.addedAt, CartItemRecord.Columns.variantID).fetchAll(db)
            .map { ($0.productID, $0.variantID, $0.quantity) }
    }

    /// A variant already in the cart keeps its place and takes the new quantity.
    func setQuantity(userID: UUID, productID: UUID, variantID: UUID, quantity: Int, at date: Date) throws {
        let line = cart(of: userID).filter(CartItemRecord.Columns.variantID == variantID.lowercased)
        if try line.updateAll(db, CartItemRecord.Columns.quantity.set(to: quantity)) == 0 {
            try CartItemRecord(userID: userID, variantID: variantID, productID: productID, quantity: quantity, addedAt: date).insert(db)
        }
    }

    func remove(userID: UUID, variantID: UUID) throws -> Bool {
        try cart(of: userID).filter(CartItemRecord.Columns.variantID == variantID.lowercased).deleteAll(db) > 0
    }

    func clear(userID: UUID) throws {
        try cart(of: userID).deleteAll(db)
    }

    private func cart(of userID: UUID) -> QueryInterfaceRequest<CartItemRecord> {
        CartItemRecord.filter(CartItemRecord.Columns.userID == userID.lowercased)
    }
}
