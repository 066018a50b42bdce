import EmporiumCore
import Foundation
import GRDB

/// Writes `DemoCatalog` into a shop's database once: does nothing when the shop already has products.
public struct DemoCatalogSeeder {
    let registry: TenantDatabaseRegistry

    public init(registry: TenantDatabaseRegistry) {
        self.registry = registry
    }

    /// Returns the number of products written (0 when the catalog was already there).
    @discardableResult
    public func seed(tenantID: UUID, productCount: Int = 300) async throws -> Int {
        let categories = DemoCatalog.categories
        let products = DemoCatalog.products(count: productCount)
        return try await registry.withDatabase(tenantID) { database in
            try await database.write { db in
                guard try Int.fetchOne(db, sql: "SELECT count(*) FROM products") == 0 else { return 0 }
                var categoryIDs: [String: String] = [:]
                for category in categories {
                    let id = UUID().uuidString.lowercased()
                    categoryIDs[category.slug] = id
                    try db.execute(sql: "INSERT INTO categories (id, name, slug) VALUES (?, ?, ?)", arguments: [id, category.name, category.slug])
                }
                let attributesEncoder = JSONEncoder()
                attributesEncoder.outputFormatting = .sortedKeys
                for product in products {
                    let attributes = String(decoding: try attributesEncoder.encode(product.attributes), as: UTF8.self)
                    try db.execute(
                        sql: """
                            INSERT INTO products (id, sku, name, slug, description, price_minor, status, category_id, attributes, stock)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [UUID().uuidString.lowercased(), product.sku, product.name, product.slug, product.description,
                                    product.priceMinor, product.status, categoryIDs[product.categorySlug], attributes, product.stock]
                    )
                }
                return products.count
            }
        }
    }
}
