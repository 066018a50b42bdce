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
        let now = Date()
        return try await registry.withDatabase(tenantID) { database in
            try await database.write { db in
                guard try ProductRecord.fetchCount(db) == 0 else { return 0 }
                var categoryIDs: [String: UUID] = [:]
                for category in categories {
                    let record = CategoryRecord(id: UUID(), name: category.name, slug: category.slug, parentID: nil, createdAt: now, updatedAt: now)
                    categoryIDs[category.slug] = record.id
                    try record.insert(db)
                }
                for product in products {
                    // The schema's trigger gives each product its default variant.
                    try ProductRecord(seq: nil, id: UUID(), sku: product.sku, name: product.name, slug: product.slug, description: product.description,
                                      priceMinor: product.priceMinor, status: ProductStatus(rawValue: product.status) ?? .draft,
                                      categoryID: categoryIDs[product.categorySlug], images: [],
                                      attributes: .object(product.attributes.mapValues(JSONValue.string)), stock: product.stock, reserved: 0,
                                      lowStockThreshold: 10, weightGrams: 0, views: 0, sales: 0, media: .array([]), deletedAt: nil,
                                      createdAt: now, updatedAt: now).insert(db)
                }
                return products.count
            }
        }
    }
}
