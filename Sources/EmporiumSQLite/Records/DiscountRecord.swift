import EmporiumCore
import Foundation
import GRDB

/// A row of a shop's `discounts`: the value as `kind` and `amount`, the target as `target` and
/// `target_ids` (lowercase ids in a JSON array), as the table's checks read them.
struct DiscountRecord: StoredRecord {
    static let databaseTableName = "discounts"

    var id: UUID
    var code: String?
    var name: String
    var kind: String
    var amount: Int
    var target: String
    var targetIDs: [String]
    var minimumSubtotalMinor: Int
    var startsAt: Date?
    var endsAt: Date?
    var usageLimit: Int?
    var perCustomerLimit: Int?
    var usedCount: Int
    var active: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, name, kind, amount, target, active
        case targetIDs = "target_ids", minimumSubtotalMinor = "minimum_subtotal_minor", startsAt = "starts_at", endsAt = "ends_at"
        case usageLimit = "usage_limit", perCustomerLimit = "per_customer_limit", usedCount = "used_count"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let usedCount = Column(CodingKeys.usedCount)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ discount: Discount) {
        (id, code, name) = (discount.id, discount.code, discount.name)
        switch discount.value {
        case .percentage(let ppm): (kind, amount) = ("percentage", ppm)
        case .fixed(let minor): (kind, amount) = ("fixed", minor)
        }
        switch discount.target {
        case .order: (target, targetIDs) = ("order", [])
        case .products(let ids): (target, targetIDs) = ("products", ids.map(\.lowercased))
        case .categories(let ids): (target, targetIDs) = ("categories", ids.map(\.lowercased))
        }
        (minimumSubtotalMinor, startsAt, endsAt) = (discount.minimumSubtotalMinor, discount.startsAt, discount.endsAt)
        (usageLimit, perCustomerLimit, usedCount, active) = (discount.usageLimit, discount.perCustomerLimit, discount.usedCount, discount.active)
        (createdAt, updatedAt) = (discount.createdAt, discount.updatedAt)
    }

    func discount() throws -> Discount {
        let ids = try targetIDs.map { try UUID(stored: $0, in: Self.databaseTableName) }
        let value: DiscountValue = kind == "percentage" ? .percentage(ppm: amount) : .fixed(minor: amount)
        let scope: DiscountTarget = switch target {
        case "products": .products(ids)
        case "categories": .categories(ids)
        default: .order
        }
        return Discount(id: id, code: code, name: name, value: value, target: scope, minimumSubtotalMinor: minimumSubtotalMinor,
                        startsAt: startsAt, endsAt: endsAt, usageLimit: usageLimit, perCustomerLimit: perCustomerLimit,
                        usedCount: usedCount, active: active, createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// A row of `discount_redemptions`: one use of a discount by an order (the customer's id is
/// cleared when the customer is erased).
struct DiscountRedemptionRecord: StoredRecord {
    static let databaseTableName = "discount_redemptions"

    var discountID: UUID
    var orderID: UUID
    var customerID: UUID?
    var at: Date

    enum CodingKeys: String, CodingKey {
        case at
        case discountID = "discount_id", orderID = "order_id", customerID = "customer_id"
    }

    enum Columns {
        static let discountID = Column(CodingKeys.discountID)
        static let orderID = Column(CodingKeys.orderID)
        static let customerID = Column(CodingKeys.customerID)
    }
}
