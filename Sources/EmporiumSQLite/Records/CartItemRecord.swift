import Foundation
import GRDB

/// A row of a shop's `cart_items`: one variant in a signed-in customer's cart.
struct CartItemRecord: StoredRecord {
    static let databaseTableName = "cart_items"

    var userID: UUID
    var variantID: UUID
    var productID: UUID
    var quantity: Int
    var addedAt: Date

    enum CodingKeys: String, CodingKey {
        case quantity
        case userID = "user_id", variantID = "variant_id", productID = "product_id", addedAt = "added_at"
    }

    enum Columns {
        static let userID = Column(CodingKeys.userID)
        static let variantID = Column(CodingKeys.variantID)
        static let productID = Column(CodingKeys.productID)
        static let quantity = Column(CodingKeys.quantity)
        static let addedAt = Column(CodingKeys.addedAt)
    }
}
