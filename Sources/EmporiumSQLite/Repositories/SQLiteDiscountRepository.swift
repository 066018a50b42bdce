import EmporiumCore
import Foundation
import GRDB

struct SQLiteDiscountRepository: DiscountRepository {
    let db: Database
    private typealias Columns = DiscountRecord.Columns

    func discounts(page: Page) throws -> [Discount] {
        try DiscountRecord.order(Columns.createdAt.desc, Columns.id).limit(page.limit, offset: page.offset).fetchAll(db).map { try $0.discount() }
    }

    func count() throws -> Int {
        try DiscountRecord.fetchCount(db)
    }

    func discount(id: UUID) throws -> Discount? {
        try DiscountRecord.fetchOne(db, key: id.lowercased)?.discount()
    }

    func discount(code: String) throws -> Discount? {
        try DiscountRecord.fetchOne(db, cached: "SELECT * FROM discounts WHERE code = ?", arguments: [code])?.discount()
    }

    func automatic() throws -> [Discount] {
        try DiscountRecord.fetchAll(db, cached: "SELECT * FROM discounts WHERE code IS NULL AND active = 1 ORDER BY created_at, id")
            .map { try $0.discount() }
    }

    /// A discount saved again keeps its `created_at` and its count of uses.
    func save(_ discount: Discount) throws {
        do {
            _ = try DiscountRecord(discount).upsertAndFetch(db, onConflict: ["id"]) { _ in
                [Columns.createdAt.noOverwrite, Columns.usedCount.noOverwrite]
            }
        } catch let error as DatabaseError {
            if error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK {
                throw DomainError.invalid("usageLimit", "must not be below the \(discount.usedCount) uses already counted")
            }
            throw error.domainError(conflict: "Another discount already has the code \(discount.code ?? "")")
        }
    }

    func delete(id: UUID) throws -> Bool {
        try DiscountRecord.deleteOne(db, key: id.lowercased)
    }

    /// Counts one use unless the limit is reached (one conditional UPDATE, so two checkouts
    /// racing for the last use cannot both win).
    func redeem(discountID: UUID, orderID: UUID, customerID: UUID?, at: Date) throws -> Bool {
        try db.executeCached(sql: """
            UPDATE discounts SET used_count = used_count + 1 WHERE id = ? AND (usage_limit IS NULL OR used_count < usage_limit)
            """, arguments: [discountID.lowercased])
        guard db.changesCount == 1 else { return false }
        try DiscountRedemptionRecord(discountID: discountID, orderID: orderID, customerID: customerID, at: at).insert(db)
        return true
    }

    func uses(discountID: UUID, customerID: UUID) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM discount_redemptions WHERE discount_id = ? AND customer_id = ?"),
                         arguments: [discountID.lowercased, customerID.lowercased]) ?? 0
    }

    func release(orderID: UUID) throws {
        let redeemed = DiscountRedemptionRecord.filter(DiscountRedemptionRecord.Columns.orderID == orderID.lowercased)
        try DiscountRecord.filter(Columns.usedCount > 0)
            .filter(redeemed.select(DiscountRedemptionRecord.Columns.discountID).contains(Columns.id))
            .updateAll(db, Columns.usedCount -= 1)
        try redeemed.deleteAll(db)
    }
}
