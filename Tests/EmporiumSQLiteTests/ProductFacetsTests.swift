@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// `product_facets` (migration 0013) is a narrow copy of the products' columns the listing facets
/// read. It must be filled for a shop file that existed before it, stay equal to `products` through
/// every kind of change, and give the facets the old query over `products` gave.
@Suite("Product facets: a narrow copy of products kept in step")
struct ProductFacetsTests {
    static let tenant = UUID(uuidString: "4298528e-40fd-4fc0-94f4-605a8e4e8894")!
    static let projection = "SELECT seq, category_id, price_minor, status, deleted_at FROM %@ ORDER BY seq"

    static func rows(_ db: Database, _ table: String) throws -> [[DatabaseValue]] {
        try Row.fetchAll(db, sql: String(format: projection, table)).map { Array($0.databaseValues) }
    }

    /// The facets as the query over `products` computed them before 0013 (the reference).
    static func referenceFacets(_ db: Database, match: String?, base: String, minPrice: Int?, maxPrice: Int?)
        throws -> (total: Int, categoryNames: [String], priceRange: [Int]) {
        var condition = base
        var arguments: StatementArguments = []
        if let match { condition += " AND p.seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)"; arguments += [match] }
        var inRange = condition
        if let minPrice { inRange += " AND p.price_minor >= \(minPrice)" }
        if let maxPrice { inRange += " AND p.price_minor <= \(maxPrice)" }
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM products p WHERE \(inRange)", arguments: arguments) ?? 0
        let names = try String.fetchAll(db, sql: """
            SELECT DISTINCT c.name FROM products p JOIN categories c ON c.id = p.category_id WHERE \(condition) ORDER BY c.name
            """, arguments: arguments)
        let range = try Row.fetchOne(db, sql: "SELECT min(p.price_minor) AS low, max(p.price_minor) AS high FROM products p WHERE \(condition)",
                                     arguments: arguments)
        let low: Int? = range?["low"], high: Int? = range?["high"]
        return (total, names, [low, high].compactMap { $0 })
    }

    static let filters = [
        "p.deleted_at IS NULL AND p.status = 'active'",
        "p.deleted_at IS NULL",
        "p.deleted_at IS NULL AND p.status = 'draft'",
        "p.deleted_at IS NULL AND p.status = 'active' AND p.category_id IN (SELECT id FROM categories WHERE slug = 'kitchen')",
    ]

    @Test func aShopFromBeforeIsFilledAndEveryChangeIsFollowed() async throws {
        let registry = TenantDatabaseRegistry(config: try temporaryConfig())
        let path = await registry.path(for: Self.tenant)
        try unpackFixture("shop-before-variants.sqlite.gz", to: path)
        try await registry.withDatabase(Self.tenant) { database in
            let (products, facets) = try await database.pool.read { db in (try Self.rows(db, "products"), try Self.rows(db, "product_facets")) }
            #expect(products.count > 90 && products.contains { !$0[4].isNull }, "the fixture holds products, one of them deleted")
            #expect(facets == products, "the migration copies every product, deleted ones too")
            try await database.pool.write { db in
                let category = try #require(try String.fetchOne(db, sql: "SELECT category_id FROM products WHERE category_id IS NOT NULL LIMIT 1"))
                try db.execute(sql: """
                    UPDATE products SET price_minor = price_minor + 101 WHERE seq % 3 = 0;
                    UPDATE products SET status = 'draft' WHERE seq % 4 = 0;
                    UPDATE products SET deleted_at = '2026-01-01 00:00:00.000' WHERE seq % 5 = 0;
                    UPDATE products SET views = views + 1, sales = sales + 1;
                    INSERT INTO products (id, sku, name, slug, price_minor, status, category_id)
                    VALUES ('00000000-0000-4000-8000-0000000000f1', 'FACET-1', 'Facet kettle', 'facet-kettle', 777, 'active', ?);
                    INSERT INTO products (id, sku, name, slug, price_minor, status)
                    VALUES ('00000000-0000-4000-8000-0000000000f2', 'FACET-2', 'Facet lamp', 'facet-lamp', 5, 'active');
                    DELETE FROM products WHERE id = '00000000-0000-4000-8000-0000000000f2';
                    """, arguments: [category])
                try db.execute(sql: "DELETE FROM categories WHERE id = ?", arguments: [category])
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM product_facets WHERE category_id = ?", arguments: [category]) == 0,
                        "a deleted category's products lose it in the facets too")
            }
            try await database.pool.read { db in
                #expect(try Self.rows(db, "product_facets") == Self.rows(db, "products"))
                for base in Self.filters {
                    for match in [nil, "\"kettle\"*", "\"a\"*", "\"nothing\"*"] as [String?] {
                        for (minPrice, maxPrice) in [(nil, nil), (500, nil), (1000, 5000)] as [(Int?, Int?)] {
                            let facets = try SQLiteCatalogRepository.facets(db, match: match, base: base, arguments: [],
                                                                           minPrice: minPrice, maxPrice: maxPrice)
                            let reference = try Self.referenceFacets(db, match: match, base: base, minPrice: minPrice, maxPrice: maxPrice)
                            let label = "\(base) \(match ?? "-") \(minPrice ?? -1)…\(maxPrice ?? -1)"
                            #expect(facets.total == reference.total, "\(label)")
                            #expect(facets.categoryNames == reference.categoryNames, "\(label)")
                            #expect([facets.priceRange?.0, facets.priceRange?.1].compactMap { $0 } == reference.priceRange, "\(label)")
                        }
                    }
                }
                #expect(try SQLiteCatalogRepository.facets(db, match: "\"kettle\"*", base: Self.filters[0], arguments: [],
                                                           minPrice: nil, maxPrice: nil).total > 0, "the searches find something")
            }
        }
        await registry.closeAll()
    }
}
