import EmporiumCore
@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// Migration 0010 on a real shop file of the release before variants: every product becomes its
/// own default variant with its stock, reservations and sales; carts and order lines move onto
/// it; an unpaid order placed before the upgrade still releases its stock when it expires.
@Suite("Variants migration on a shop file made by the release before variants")
struct VariantMigrationTests {
    static let tenant = UUID(uuidString: "4298528e-40fd-4fc0-94f4-605a8e4e8894")!
    static let deletedProduct = "b7aab4b1-7d80-406d-8050-401a84fdc855"

    func previousReleaseShop() async throws -> (registry: TenantDatabaseRegistry, path: String) {
        let registry = TenantDatabaseRegistry(config: try temporaryConfig())
        let path = await registry.path(for: Self.tenant)
        try unpackFixture("shop-before-variants.sqlite.gz", to: path)
        return (registry, path)
    }

    struct Before {
        var migrations: [String]
        var products: [String: (sku: String, price: Int, stock: Int, reserved: Int, sales: Int)]
        var cart: [(user: String, product: String, quantity: Int)]
        var orderLines: Int
    }

    func read(_ path: String) throws -> Before {
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        return try database.read { db in
            var products: [String: (sku: String, price: Int, stock: Int, reserved: Int, sales: Int)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, sku, price_minor, stock, reserved, sales FROM products WHERE deleted_at IS NULL") {
                products[row["id"]] = (row["sku"], row["price_minor"], row["stock"], row["reserved"], row["sales"])
            }
            return Before(
                migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                products: products,
                cart: try Row.fetchAll(db, sql: "SELECT user_id, product_id, quantity FROM cart_items ORDER BY user_id, product_id").map {
                    ($0["user_id"], $0["product_id"], $0["quantity"])
                },
                orderLines: try Int.fetchOne(db, sql: "SELECT count(*) FROM order_items") ?? 0
            )
        }
    }

    @Test func everyProductBecomesItsDefaultVariantAndCartsAndOrdersFollow() async throws {
        let (registry, path) = try await previousReleaseShop()
        let before = try read(path)
        #expect(before.migrations.last == "0009_payments", "the fixture is the previous release's schema")
        #expect(before.products.values.contains { $0.reserved > 0 } && before.cart.count == 2 && before.orderLines > 40)

        let storage = SQLiteTenantStorage(registry: registry)
        let listing = try await storage.read(Self.tenant) { tx in
            try tx.catalog.products(ProductQuery(page: Page(page: 1, limit: 100), status: nil, includeHidden: true))
        }
        #expect(listing.total == before.products.count)
        for product in listing.products {
            let old = try #require(before.products[product.id.lowercased])
            #expect(product.variants.count == 1)
            let variant = product.variants[0]
            #expect(variant.options.isEmpty && variant.sku == old.sku && variant.priceMinor == old.price)
            #expect(variant.stock == old.stock && variant.reserved == old.reserved && variant.sales == old.sales)
            #expect(product.stock == old.stock && product.reserved == old.reserved && product.sales == old.sales && product.priceMinor == old.price,
                    "the product's totals are what they were")
            #expect(product.media.isEmpty, "0011_product_images: no pictures yet, and the listing reads the new column")
        }
        let variantOf = Dictionary(uniqueKeysWithValues: listing.products.map { ($0.id, $0.variants[0].id) })

        let (carts, orders, deleted, found) = try await storage.read(Self.tenant) { tx in
            let users = Set(before.cart.map(\.user)).compactMap(UUID.init(uuidString:))
            return (try users.flatMap { try tx.carts.lines(userID: $0) },
                    try tx.orders.list(OrderFilter(), page: Page(page: 1, limit: 100)),
                    try tx.catalog.product(reference: Self.deletedProduct),
                    try tx.catalog.products(ProductQuery(page: Page(page: 1, limit: 10), match: SearchText.matchExpression(before.products.first!.value.sku),
                                                         includeHidden: true)).total)
        }
        #expect(carts.count == before.cart.count)
        #expect(carts.allSatisfy { variantOf[$0.productID] == $0.variantID }, "cart lines sit on their product's default variant")
        #expect(deleted == nil, "a deleted product stays deleted")
        #expect(found >= 1, "search still finds products by SKU")
        let lines = orders.flatMap(\.lines)
        #expect(lines.count == before.orderLines)
        #expect(lines.allSatisfy { $0.variantID != nil && $0.options.isEmpty }, "every old line names a variant")
        #expect(lines.filter { variantOf[$0.productID] != nil }.allSatisfy { variantOf[$0.productID] == $0.variantID })

        // The unpaid order placed before the upgrade expires and gives its units back.
        let pending = try #require(orders.first { $0.status == .pending })
        let held = Dictionary(pending.lines.map { ($0.productID, $0.quantity) }, uniquingKeysWith: +)
        let later = Date().addingTimeInterval(365 * 86_400)
        let expired = try await OrderService(storage: storage, cache: MemoryCache(), reservationTTL: 60, now: { later }).expireReservations(in: Self.tenant)
        #expect(expired == 1)
        let released = try await storage.read(Self.tenant) { tx in try held.keys.compactMap { try tx.catalog.product(reference: $0.lowercased) } }
        for product in released {
            let old = try #require(before.products[product.id.lowercased])
            #expect(product.reserved == old.reserved - (held[product.id] ?? 0) && product.variants[0].reserved == product.reserved)
        }
        await registry.closeAll()
    }
}
