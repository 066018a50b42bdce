@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// A search's page in relevance order comes from a window of the best hits ranked by the FTS table
/// alone, falling back to the full ranked scan. The pages must be exactly the scan's, whatever hides
/// products (drafts, inactive, deleted), filters them (status, category, price) or ties their rank.
@Suite("Search pages from the ranking window equal the full ranked scan")
struct SearchRankingWindowTests {
    /// 400 products of the load catalog (8 materials × 12 things, many equal ranks), a third of
    /// them hidden or deleted, some names repeating a word so ranks differ.
    func withSearchShop(_ body: @escaping @Sendable (Database) throws -> Void) async throws {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let shop = UUID()
        try await registry.provision(tenantID: shop)
        let seed = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Load/seed.sql").path, encoding: .utf8).replacingOccurrences(of: ":count", with: "400")
        try await registry.withDatabase(shop) { database in
            try await database.pool.writeWithoutTransaction { db in
                try db.execute(sql: seed)
                try db.execute(sql: """
                    UPDATE products SET name = name || ' copper copper' WHERE seq % 5 = 0;
                    UPDATE products SET status = 'draft' WHERE seq % 7 = 0;
                    UPDATE products SET status = 'inactive' WHERE seq % 13 = 0;
                    UPDATE products SET deleted_at = '2026-01-01 00:00:00.000' WHERE seq % 11 = 0;
                    """)
            }
            try await database.pool.read(body)
        }
        await registry.closeAll()
    }

    struct Case: Sendable {
        let name: String
        let sql: String
        let includeHidden: Bool
        var status: ProductStatus? = nil
        var category: String? = nil
        var minPrice: Int? = nil
        var maxPrice: Int? = nil
    }

    static let cases = [
        Case(name: "storefront", sql: "p.deleted_at IS NULL AND p.status = 'active'", includeHidden: false),
        Case(name: "staff, every status", sql: "p.deleted_at IS NULL", includeHidden: true),
        Case(name: "staff, drafts", sql: "p.deleted_at IS NULL AND p.status = 'draft'", includeHidden: true, status: .draft),
        Case(name: "category", sql: "p.deleted_at IS NULL AND p.status = 'active' AND p.category_id IN (SELECT id FROM categories WHERE slug = 'kitchen')",
             includeHidden: false, category: "kitchen"),
        Case(name: "price range", sql: "p.deleted_at IS NULL AND p.status = 'active' AND p.price_minor BETWEEN 5000 AND 12000",
             includeHidden: false, minPrice: 5000, maxPrice: 12000),
    ]
    static let searches = ["copper", "copper kettle", "copp", "lamp", "kettle 17", "nothing"]
    static let pages = [(1, 1), (1, 5), (3, 5), (1, 20), (2, 20), (4, 20), (1, 100), (2, 100), (30, 20)]

    @Test func everyPageEqualsTheFullRankedScan() async throws {
        try await withSearchShop { db in
            let repository = SQLiteCatalogRepository(db: db)
            var compared = 0
            for filter in Self.cases {
                for search in Self.searches {
                    let match = try #require(SearchText.matchExpression(search))
                    for (number, limit) in Self.pages {
                        let page = Page(page: number, limit: limit)
                        let expected = try String.fetchAll(db, sql: """
                            SELECT p.id FROM products_fts JOIN products p ON p.seq = products_fts.rowid
                            WHERE products_fts MATCH ? AND \(filter.sql)
                            ORDER BY bm25(products_fts, 10.0, 1.0, 5.0, 2.0), p.seq LIMIT ? OFFSET ?
                            """, arguments: [match, limit, page.offset])
                        let query = ProductQuery(page: page, match: match, category: filter.category, status: filter.status,
                                                 minPriceMinor: filter.minPrice, maxPriceMinor: filter.maxPrice, includeHidden: filter.includeHidden)
                        let shown = try repository.products(query).products.map(\.id.lowercased)
                        #expect(shown == expected, "\(filter.name), \"\(search)\", page \(number) of \(limit)")
                        compared += expected.count
                    }
                }
            }
            #expect(compared > 1_000, "the cases must show products, not only empty pages")
        }
    }

    /// Both paths are taken: the window decides a storefront's first page, while a filter that
    /// passes few hits (drafts) or a deep page falls back to the scan.
    @Test func theWindowDecidesShallowPagesAndStepsAsideOtherwise() async throws {
        try await withSearchShop { db in
            let repository = SQLiteCatalogRepository(db: db)
            let match = try #require(SearchText.matchExpression("copper"))
            let storefront = "p.deleted_at IS NULL AND p.status = 'active'"
            #expect(try repository.rankedWindow(match: match, filter: storefront, arguments: [], page: Page(page: 1, limit: 20))?.count == 20)
            #expect(try repository.rankedWindow(match: match, filter: "p.deleted_at IS NULL AND p.status = 'draft'", arguments: [],
                                                page: Page(page: 1, limit: 20)) == nil)
            #expect(try repository.rankedWindow(match: match, filter: storefront, arguments: [], page: Page(page: 30, limit: 20)) == nil)
        }
    }
}
