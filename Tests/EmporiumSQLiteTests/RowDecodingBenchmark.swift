@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// Why the catalog listing keeps a hand-written row decoder (`SQLiteCatalogRepository.product`,
/// `.variant`) where every other read goes through its record: the same rows decoded both ways,
/// timed and printed. A benchmark, not a test of speed — nothing asserts a time, only that both
/// ways read the same products. Run it optimized (docs/performance.md, "Records"):
///
///     EMPORIUM_BENCHMARKS=1 swift test -Xswiftc -O --build-path .build-bench --filter RowDecodingBenchmark
@Suite("Benchmark: product rows by hand and through their records",
       .enabled(if: ProcessInfo.processInfo.environment["EMPORIUM_BENCHMARKS"] != nil,
                "a benchmark: set EMPORIUM_BENCHMARKS=1 and build optimized (docs/performance.md)"))
struct RowDecodingBenchmark {
    /// The listing's rows decoded through `ProductRecord` and `ProductVariantRecord`.
    static func productThroughRecord(_ row: Row) throws -> Product {
        let record = try ProductRecord(row: row)
        guard case .object(let attributes) = record.attributes else { throw DatabaseError(resultCode: .SQLITE_CORRUPT) }
        return Product(id: record.id, sku: record.sku, name: record.name, slug: record.slug, description: record.description,
                       priceMinor: record.priceMinor, status: record.status, categoryID: record.categoryID, categoryName: row["category_name"],
                       images: record.images, media: SQLiteProductImageRepository.media(record.media), attributes: attributes, stock: record.stock,
                       reserved: record.reserved, lowStockThreshold: record.lowStockThreshold, weightGrams: record.weightGrams, views: record.views,
                       sales: record.sales, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }

    static func variantThroughRecord(_ row: Row) throws -> ProductVariant {
        let record = try ProductVariantRecord(row: row)
        guard case .object(let attributes) = record.attributes else { throw DatabaseError(resultCode: .SQLITE_CORRUPT) }
        return ProductVariant(id: record.id, productID: record.productID, sku: record.sku, options: record.options, priceMinor: record.priceMinor,
                              stock: record.stock, reserved: record.reserved, sales: record.sales, weightGrams: record.weightGrams,
                              attributes: attributes, position: record.position, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }

    @Test func productAndVariantRows() async throws {
        let registry = TenantDatabaseRegistry(config: try temporaryConfig())
        let shop = UUID()
        try await registry.provision(tenantID: shop)
        let seed = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Load/seed.sql").path, encoding: .utf8).replacingOccurrences(of: ":count", with: "2000")
        let products = SQLiteCatalogRepository.selectProduct + " WHERE p.deleted_at IS NULL ORDER BY p.seq"
        let variants = "SELECT * FROM product_variants WHERE deleted_at IS NULL ORDER BY product_id, position"
        try await registry.withDatabase(shop) { database in
            try await database.pool.writeWithoutTransaction { db in
                try db.execute(sql: seed)
                let rounds = 20
                let clock = ContinuousClock()
                func time<T: Equatable>(_ name: String, _ sql: String, _ decode: (Row) throws -> T) throws -> (Duration, [T]) {
                    var decoded: [T] = []
                    let start = clock.now
                    for _ in 0..<rounds { decoded = try Row.decodedAll(db, sql: sql, decode) }
                    return (clock.now - start, decoded)
                }
                for (name, sql) in [("products", products), ("variants", variants)] {
                    let (hand, record): (Duration, Duration)
                    if name == "products" {
                        let byHand = try time("hand", sql, SQLiteCatalogRepository.product), byRecord = try time("record", sql, Self.productThroughRecord)
                        #expect(byHand.1 == byRecord.1 && byHand.1.count == 2000)
                        (hand, record) = (byHand.0, byRecord.0)
                    } else {
                        let byHand = try time("hand", sql, SQLiteCatalogRepository.variant), byRecord = try time("record", sql, Self.variantThroughRecord)
                        #expect(byHand.1 == byRecord.1 && byHand.1.count == 2000)
                        (hand, record) = (byHand.0, byRecord.0)
                    }
                    let perRow = { (total: Duration) in Double(total.components.attoseconds / 1_000_000_000 + total.components.seconds * 1_000_000_000) / Double(rounds * 2000) }
                    print(String(format: "BENCHMARK %@ rows: by hand %.2f µs/row, through the record %.2f µs/row (%.2f×)", name,
                                 perRow(hand) / 1000, perRow(record) / 1000, perRow(record) / perRow(hand)))
                }
            }
        }
        await registry.closeAll()
    }
}
