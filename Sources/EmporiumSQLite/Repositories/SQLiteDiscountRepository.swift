import EmporiumCore
import Foundation
import GRDB

struct SQLiteDiscountRepository: DiscountRepository {
    let db: Database

    func discounts(page: Page) throws -> [Discount] {
        try Row.fetchAll(db, sql: "SELECT * FROM discounts ORDER BY created_at DESC, id LIMIT ? OFFSET ?", arguments: [page.limit, page.offset]).map(decode)
    }

    func count() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM discounts") ?? 0
    }

    func discount(id: UUID) throws -> Discount? {
        try Row.fetchOne(db, sql: "SELECT * FROM discounts WHERE id = ?", arguments: [id.lowercased]).map(decode)
    }

    func discount(code: String) throws -> Discount? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM discounts WHERE code = ?"), arguments: [code]).map(decode)
    }

    func automatic() throws -> [Discount] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM discounts WHERE code IS NULL AND active = 1 ORDER BY created_at, id")).map(decode)
    }

    func save(_ discount: Discount) throws {
        let (kind, amount): (String, Int) = switch discount.value {
        case .percentage(let ppm): ("percentage", ppm)
        case .fixed(let minor): ("fixed", minor)
        }
        let (target, ids): (String, [UUID]) = switch discount.target {
        case .order: ("order", [])
        case .products(let ids): ("products", ids)
        case .categories(let ids): ("categories", ids)
        }
        do {
            try db.execute(sql: """
                INSERT INTO discounts (id, code, name, kind, amount, target, target_ids, minimum_subtotal_minor, starts_at, ends_at,
                                       usage_limit, per_customer_limit, used_count, active, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, kind = excluded.kind, amount = excluded.amount,
                    target = excluded.target, target_ids = excluded.target_ids, minimum_subtotal_minor = excluded.minimum_subtotal_minor,
                    starts_at = excluded.starts_at, ends_at = excluded.ends_at, usage_limit = excluded.usage_limit,
                    per_customer_limit = excluded.per_customer_limit, active = excluded.active, updated_at = excluded.updated_at
                """, arguments: [discount.id.lowercased, discount.code, discount.name, kind, amount, target,
                                 try JSONColumn.text(ids.map(\.lowercased)), discount.minimumSubtotalMinor, discount.startsAt, discount.endsAt,
                                 discount.usageLimit, discount.perCustomerLimit, discount.usedCount, discount.active, discount.createdAt,
                                 discount.updatedAt])
        } catch let error as DatabaseError {
            if error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK {
                throw DomainError.invalid("usageLimit", "must not be below the \(discount.usedCount) uses already counted")
            }
            throw error.domainError(conflict: "Another discount already has the code \(discount.code ?? "")")
        }
    }

    func delete(id: UUID) throws -> Bool {
        try db.execute(sql: "DELETE FROM discounts WHERE id = ?", arguments: [id.lowercased])
        return db.changesCount > 0
    }

    func redeem(discountID: UUID, orderID: UUID, customerID: UUID?, at: Date) throws -> Bool {
        try db.executeCached(sql: """
            UPDATE discounts SET used_count = used_count + 1 WHERE id = ? AND (usage_limit IS NULL OR used_count < usage_limit)
            """, arguments: [discountID.lowercased])
        guard db.changesCount == 1 else { return false }
        try db.executeCached(sql: "INSERT INTO discount_redemptions (discount_id, order_id, customer_id, at) VALUES (?, ?, ?, ?)",
                             arguments: [discountID.lowercased, orderID.lowercased, customerID?.lowercased, at])
        return true
    }

    func uses(discountID: UUID, customerID: UUID) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM discount_redemptions WHERE discount_id = ? AND customer_id = ?"),
                         arguments: [discountID.lowercased, customerID.lowercased]) ?? 0
    }

    func release(orderID: UUID) throws {
        try db.executeCached(sql: """
            UPDATE discounts SET used_count = used_count - 1
            WHERE used_count > 0 AND id IN (SELECT discount_id FROM discount_redemptions WHERE order_id = ?)
            """, arguments: [orderID.lowercased])
        try db.executeCached(sql: "DELETE FROM discount_redemptions WHERE order_id = ?", arguments: [orderID.lowercased])
    }

    private func decode(_ row: Row) throws -> Discount {
        let id: String = row["id"], kind: String = row["kind"], target: String = row["target"], amount: Int = row["amount"]
        let ids = try JSONColumn.value([String].self, row["target_ids"], table: "discounts").compactMap(UUID.init(uuidString:))
        guard let uuid = UUID(uuidString: id) else { throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed discounts row") }
        let value: DiscountValue = kind == "percentage" ? .percentage(ppm: amount) : .fixed(minor: amount)
        let scope: DiscountTarget = switch target {
        case "products": .products(ids)
        case "categories": .categories(ids)
        default: .order
        }
        return Discount(id: uuid, code: row["code"], name: row["name"], value: value, target: scope, minimumSubtotalMinor: row["minimum_subtotal_minor"],
                        startsAt: row["starts_at"], endsAt: row["ends_at"], usageLimit: row["usage_limit"], perCustomerLimit: row["per_customer_limit"],
                        usedCount: row["used_count"], active: row["active"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
