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
    @Test(arguments: [(SQLiteTenantStore.listSQL, 2), (SQLiteTenantStore.listByStatusSQL, 3)])
    func theShopListWalksAnIndexInListOrder(_ sql: String, placeholders: Int) throws {
        let system = try SystemDatabase(config: try temporaryConfig())
        let plan = try system.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql,
                             arguments: StatementArguments(Array(repeating: DatabaseValue.null, count: placeholders))).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX tenants_") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}
