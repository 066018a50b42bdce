import EmporiumCore
import EmporiumSchema
@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// Migration 0008 on a real shop file of the previous release: everything it held still reads,
/// orders keep total = subtotal, and paid orders get gapless invoice numbers in the order they were paid.
@Suite("Checkout migration on a shop file made by the previous release")
struct CheckoutMigrationTests {
    /// A fresh copy of the fixture, decompressed under the registry's path for `tenant`.
    func previousReleaseShop() async throws -> (registry: TenantDatabaseRegistry, tenant: UUID, path: String) {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        // The shop the file records as its owner (`shop_identity`): the registry refuses any other.
        let tenant = UUID(uuidString: "cf61649c-14ff-4e08-ab9c-51e79d369a1f")!
        let path = await registry.path(for: tenant)
        try unpackFixture("shop-made-by-0.3.sqlite.gz", to: path)
        return (registry, tenant, path)
    }

    @Test func everythingReadsAndPaidOrdersGetGaplessInvoiceNumbersInPaymentOrder() async throws {
        let (registry, tenant, path) = try await previousReleaseShop()
        let before = try DatabaseQueue(path: path)
        let (migrations, orderCount, paidIDs, productCount) = try await before.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM orders") ?? 0,
             try String.fetchAll(db, sql: "SELECT order_id FROM order_status_history WHERE status = 'paid' ORDER BY at, order_id"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM products") ?? 0)
        }
        try before.close()
        #expect(migrations.last == "0007_sign_in_addresses", "the fixture is the previous release's schema")
        #expect(orderCount == 40 && paidIDs.count >= 30)

        let storage = SQLiteTenantStorage(registry: registry)
        let (orders, listing) = try await storage.read(tenant) { tx in
            (try tx.orders.list(OrderFilter(), page: Page(page: 1, limit: 100)), try tx.catalog.products(ProductQuery(page: Page(page: 1, limit: 100), status: nil)))
        }
        await registry.closeAll()
        #expect(orders.count == orderCount)
        #expect(listing.total > 0 && listing.total <= productCount)
        for order in orders {
            #expect(order.totals == .plain(subtotalMinor: order.lines.reduce(0) { $0 + $1.lineTotalMinor }), "order \(order.number) keeps total = subtotal")
            #expect(order.checkout == .none)
            #expect(order.lines.allSatisfy { $0.discountMinor == 0 && $0.taxMinor == 0 })
        }
        let invoiced = orders.filter { $0.invoiceNumber != nil }
        #expect(Set(invoiced.map(\.id.lowercased)) == Set(paidIDs))
        #expect(invoiced.compactMap(\.invoiceNumber).sorted() == Array(1...paidIDs.count), "numbers 1…N without gaps")
        let byNumber = invoiced.sorted { $0.invoiceNumber! < $1.invoiceNumber! }.map(\.id.lowercased)
        #expect(byNumber == paidIDs, "numbered in the order the orders were paid")
        #expect(listing.products.allSatisfy { $0.weightGrams == 0 })
    }
}
