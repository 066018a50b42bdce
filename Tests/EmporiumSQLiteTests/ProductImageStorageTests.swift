import EmporiumCore
import EmporiumSQLite
import Foundation
import GRDB
import Testing

@Suite("Product pictures in a shop's file")
struct ProductImageStorageTests {
    /// `SQLiteProductImageRepository.delete` removes the image row only: its renditions must go
    /// with it through the schema's cascade, or a shop file keeps every picture ever removed.
    @Test func removingAnImageRemovesItsRenditions() async throws {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let shop = UUID()
        try await registry.provision(tenantID: shop)
        let product = UUID().uuidString.lowercased(), image = UUID().uuidString.lowercased()
        let counts = try await registry.withDatabase(shop) { database in
            try await database.write { db -> (Int, Int) in
                try db.execute(sql: "INSERT INTO products (id, sku, name, slug, price_minor) VALUES (?, 'POT', 'Pot', 'pot', 100)", arguments: [product])
                try db.execute(sql: """
                    INSERT INTO product_images (id, product_id, position, format, width, height, bytes, sha256, created_at)
                    VALUES (?, ?, 1, 'png', 300, 200, 463, ?, '2026-12-04 00:00:00.000')
                    """, arguments: [image, product, String(repeating: "a", count: 64)])
                for width in [160, 300] {
                    try db.execute(sql: "INSERT INTO product_image_renditions (image_id, width, height, media_type, etag, data) VALUES (?, ?, 1, 'image/webp', '\"e\"', x'00')",
                                   arguments: [image, width])
                }
                let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM product_image_renditions") ?? -1
                try db.execute(sql: "DELETE FROM product_images WHERE id = ?", arguments: [image])
                return (before, try Int.fetchOne(db, sql: "SELECT count(*) FROM product_image_renditions") ?? -1)
            }
        }
        #expect(counts.0 == 2)
        #expect(counts.1 == 0)
        await registry.closeAll()
    }
}
