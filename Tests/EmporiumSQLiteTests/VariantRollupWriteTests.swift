@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import GRDBSQLite
import Testing

/// A product's stock, reservations, sales, price and weight roll up from its variants (0010). Every
/// order reserves stock, so the rollup runs on the checkout path: it must write the product's row
/// and nothing that did not change (0014; 0013's facet copy only on a change of its columns), and
/// still end with the right totals.
@Suite("Variant rollup: an order's reservation writes only what changes")
struct VariantRollupWriteTests {
    func withShop(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let registry = TenantDatabaseRegistry(config: try temporaryConfig())
        let shop = UUID()
        try await registry.provision(tenantID: shop)
        let seed = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Load/seed.sql").path, encoding: .utf8).replacingOccurrences(of: ":count", with: "20")
        try await registry.withDatabase(shop) { database in
            try await database.pool.writeWithoutTransaction { db in
                try db.execute(sql: seed)
                try body(db)
            }
        }
        await registry.closeAll()
    }

    /// Rows changed (`total_changes()`, triggers included) and pages the commit wrote
    /// (`SQLITE_DBSTATUS_CACHE_WRITE`) by `body` in a transaction of its own.
    static func written(_ db: Database, _ body: () throws -> Void) throws -> (rows: Int, pages: Int32) {
        func pages() -> Int32 {
            var current: Int32 = 0, highest: Int32 = 0
            sqlite3_db_status(db.sqliteConnection, SQLITE_DBSTATUS_CACHE_WRITE, &current, &highest, 0)
            return current
        }
        let (rowsBefore, pagesBefore) = (try Int.fetchOne(db, sql: "SELECT total_changes()") ?? 0, pages())
        try db.inTransaction {
            try body()
            return .commit
        }
        return ((try Int.fetchOne(db, sql: "SELECT total_changes()") ?? 0) - rowsBefore, pages() - pagesBefore)
    }

    @Test func aReservationChangesTheVariantAndItsProductOnlyAndTotalsFollow() async throws {
        try await withShop { db in
            let catalog = SQLiteCatalogRepository(db: db)
            let variant = try #require(try Row.fetchOne(db, sql: "SELECT id, product_id FROM product_variants LIMIT 1"))
            let variantID = try #require(UUID(uuidString: variant["id"])), productID: String = variant["product_id"]
            let product = { try #require(try Row.fetchOne(db, sql: "SELECT stock, reserved, sales, price_minor FROM products WHERE id = ?",
                                                           arguments: [productID])) }

            var reserved = false
            let reservation = try Self.written(db) { reserved = try catalog.reserve(variantID: variantID, quantity: 3) }
            #expect(reserved)
            #expect(reservation.rows == 2, "the variant's row and its product's; the facet copy only changes with its columns")
            #expect(reservation.pages == 2, "the two rows' pages; not the product's price and sales index entries, which hold the same values")
            #expect(try product()["reserved"] as Int == 3)

            // A sale changes the sales total too (the product's row and its sales index entry).
            let sale = try Self.written(db) { try catalog.adjust(variantID: variantID, stock: -3, reserved: -3, sales: 3) }
            #expect(sale.pages == 3, "the variant's page, the product's and the sales index's")
            let sold = try product()
            #expect(sold["reserved"] as Int == 0 && sold["sales"] as Int == 3)

            // A new price reaches the product and the search facets.
            try db.execute(sql: "UPDATE product_variants SET price_minor = 4242 WHERE id = ?", arguments: [variantID.lowercased])
            #expect(try product()["price_minor"] as Int == 4242)
            #expect(try Int.fetchOne(db, sql: "SELECT f.price_minor FROM product_facets f JOIN products p ON p.seq = f.seq WHERE p.id = ?",
                                     arguments: [productID]) == 4242)
        }
    }
}
