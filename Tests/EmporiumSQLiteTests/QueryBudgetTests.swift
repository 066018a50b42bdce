import EmporiumCore
@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// A request's reads cannot outrun its `QUERY_BUDGET_MS` of database time: a statement still running
/// when the budget is spent is interrupted, the request is told `busy`, and the connection serves
/// the next read. Time not spent in the database (waiting for a core, bcrypt) does not count.
@Suite("Query budget: reads past a request's database time are interrupted")
struct QueryBudgetTests {
    /// Never ends on its own: only the budget can stop it.
    static let endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"

    @Test func anEndlessReadIsStoppedWhenTheBudgetIsSpentOnTheWriterAndOnAReader() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        try await registry.withDatabase(tenant) { database in
            // The first reads of a cold file run on the writer's connection, the later ones on readers.
            for _ in 0..<(TenantDatabase.readsOnWriter + 2) {
                let started = ContinuousClock.now
                await #expect(throws: QueryBudget.exceeded) {
                    try await QueryBudget.within(milliseconds: 100) {
                        try await database.read { db in try Int.fetchOne(db, sql: Self.endless) }
                    }
                }
                // Only a guard against a read that is never stopped: the throw above is the check. Beside
                // the whole suite on two cores this took 10-11.5 s of wall time for 100 ms of database time.
                #expect(ContinuousClock.now - started < .seconds(60))
            }
            // Without a budget (background jobs) and within one, ordinary reads go on as before.
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") } == 0)
            let counted = try await QueryBudget.within(milliseconds: 5_000) {
                try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") }
            }
            #expect(counted == 0)
        }
        await registry.closeAll()
    }

    @Test func theStorageAnswersBusyAndASpentBudgetStopsTheRequestsNextReadAtOnce() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let storage = SQLiteTenantStorage(registry: registry)
        try await QueryBudget.within(milliseconds: 50) {
            await #expect(throws: QueryBudget.exceeded) {
                try await storage.read(tenant) { tx in try Int.fetchOne((tx as! SQLiteTenantTransaction).db, sql: Self.endless) }
            }
            #expect(QueryBudget.current?.remainingNanoseconds == 0)
            await #expect(throws: QueryBudget.exceeded) {
                try await storage.read(tenant) { tx in try tx.settings.setting("k") }
            }
        }
        await registry.closeAll()
    }

    /// A request that waited (for a core, for bcrypt) before its reads has lost none of its budget.
    @Test func onlyDatabaseTimeCounts() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let storage = SQLiteTenantStorage(registry: registry)
        let setting = try await QueryBudget.within(milliseconds: 100) {
            try await Task.sleep(for: .milliseconds(300))
            let first = try await storage.read(tenant) { tx in try tx.settings.setting("k") }
            #expect((QueryBudget.current?.remainingNanoseconds ?? 0) > 0)
            return first
        }
        #expect(setting == nil)
        await registry.closeAll()
    }
}
