@testable import EmporiumSQLite
import EmporiumCore
import Foundation
import GRDB
import Testing

/// The statements on the checkout and product-page paths must find their row through an index:
/// a scan costs nothing in a small test shop and everything in a real one (one `id OR slug` lookup
/// scanned all products on every order line until profiling found it).
@Suite("Query plans of hot statements")
struct QueryPlanTests {
    /// `EXPLAIN QUERY PLAN` of `sql` in a fresh shop file, one line per step.
    func plan(of sql: String, _ arguments: StatementArguments) async throws -> [String] {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let tenant = UUID()
        try await registry.provision(tenantID: tenant)
        let plan = try await registry.withDatabase(tenant) { database in
            try await database.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
        }
        await registry.closeAll()
        return plan
    }

    @Test(arguments: [SQLiteCatalogRepository.productByID, SQLiteCatalogRepository.productBySlug])
    func productLookupsUseAnIndex(_ sql: String) async throws {
        let placeholders = sql.filter { $0 == "?" }.count
        let plan = try await plan(of: sql, StatementArguments(Array(repeating: DatabaseValue.null, count: placeholders)))
        #expect(!plan.isEmpty)
        #expect(plan.allSatisfy { !$0.hasPrefix("SCAN") }, "\(plan)")
        #expect(plan.first?.hasPrefix("SEARCH p USING INDEX") == true, "\(plan)")
    }

    @Test func theUnpaidOrderCapWalksOnlyTheCustomersRecentOrders() async throws {
        // Checked on every order: through (status, created_at) it walked every pending order of the
        // shop, and checkout fell from 2,021 to 852 orders/s under the load harness.
        let plan = try await plan(of: SQLiteOrderRepository.pendingCountSQL, ["x", "2026", 3])
        #expect(plan.contains { $0.contains("USING INDEX orders_customer (customer_id=? AND created_at>?)") }, "\(plan)")
    }
}

/// The platform's shop list pages through every shop of the installation: with 10,000 shops a page
/// must walk an index in list order, not sort the whole table first.
@Suite("Query plans of the shop list")
struct TenantListPlanTests {
    @Test(arguments: [nil, TenantStatus.active])
    func theShopListWalksAnIndexInListOrder(_ status: TenantStatus?) throws {
        let system = try SystemDatabase(config: try temporaryConfig())
        let plan = try system.pool.read { db in
            let page = try SQLiteTenantStore.listRequest(status: status).limit(20, offset: 40).makePreparedRequest(db).statement
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + page.sql, arguments: page.arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX tenants_") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}

/// A listing's facets (count, category names, price range) read every product it selects: a search
/// must walk its hits in the FTS table and look each up by rowid in the narrow `product_facets`
/// (through a temporary list of hits into `products` it took 506 ms at 125,000 hits), and a
/// listing must read the facets' index in category order instead of sorting every product.
@Suite("Query plans of the listing's facets")
struct FacetPlanTests {
    static let storefront = "p.deleted_at IS NULL AND p.status = 'active'"

    func plan(match: String?, base: String = storefront, minPrice: Int? = nil) async throws -> [String] {
        let statement = SQLiteCatalogRepository.facetsStatement(match: match, base: base, arguments: [], minPrice: minPrice, maxPrice: nil)
        return try await QueryPlanTests().plan(of: statement.sql, statement.arguments)
    }

    @Test(arguments: [nil, 500])
    func aSearchWalksItsHitsAndLooksUpTheNarrowTable(minPrice: Int?) async throws {
        let plan = try await plan(match: "\"bamboo\"*", minPrice: minPrice)
        #expect(plan.contains { $0.hasPrefix("SCAN products_fts VIRTUAL TABLE") }, "\(plan)")
        #expect(plan.contains("SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"), "\(plan)")
        #expect(!plan.contains { $0.contains(" products ") || $0.hasSuffix(" products") || $0.contains("LIST SUBQUERY") }, "\(plan)")
    }

    @Test func aSearchWindowLooksUpItsHitsByRowid() async throws {
        let filter = Self.storefront + " AND p.category_id IN (SELECT id FROM categories WHERE id = ? OR slug = ?) AND p.price_minor >= ?"
        // A window of 100 hits: with that many in the list the planner preferred the status index.
        let plan = try await QueryPlanTests().plan(of: SQLiteCatalogRepository.windowFilterSQL(hits: 100, filter: filter),
                                                   StatementArguments(Array(1...100)) + ["x", "x", 5])
        #expect(plan.first == "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)", "\(plan)")
        #expect(!plan.contains { $0.contains("product_facets_listing") }, "\(plan)")
    }

    @Test func aListingReadsTheFacetIndexInCategoryOrder() async throws {
        let plan = try await plan(match: nil)
        #expect(plan.contains { $0.contains("USING INDEX product_facets_listing") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}

/// Cheapest first over a whole catalog: the page must come from walking the price index, which
/// stops after the page, not from sorting every product (0.77 s for a page of 1,000,000 products).
/// A category may be small, so there the planner keeps its own choice.
@Suite("Query plans of a listing's page")
struct ListingPagePlanTests {
    func plan(_ query: ProductQuery) async throws -> [String] {
        let statement = SQLiteCatalogRepository.listingPageStatement(query)
        return try await QueryPlanTests().plan(of: statement.sql, statement.arguments)
    }

    @Test(arguments: [ProductQuery(sort: .price), ProductQuery(minPriceMinor: 500, sort: .price), ProductQuery(sort: .price, includeHidden: true)])
    func cheapestFirstWalksThePriceIndexWithoutSorting(_ query: ProductQuery) async throws {
        let plan = try await plan(query)
        #expect(plan.contains { $0.hasPrefix("SCAN p USING INDEX products_price") || $0.hasPrefix("SEARCH p USING INDEX products_price") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    @Test(arguments: [ProductQuery(category: "garden", sort: .price), ProductQuery(status: .draft, sort: .price, includeHidden: true),
                      ProductQuery(sort: .popularity)])
    func aNarrowerSelectionOrAnotherOrderKeepsThePlannersChoice(_ query: ProductQuery) async throws {
        #expect(!SQLiteCatalogRepository.listingPageStatement(query).sql.contains("INDEXED BY"))
    }
}
