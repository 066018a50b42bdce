import EmporiumCore
@testable import EmporiumSQLite
import Foundation
import GRDB
import Testing

/// A request's reads cannot outrun its `QUERY_BUDGET_MS`: a statement still running at the
/// deadline is interrupted, the request is told `busy`, and the connection serves the next read.
@Suite("Query budget: reads past a request's deadline are interrupted")
struct QueryBudgetTests {
    /// Never ends on its own: only the deadline can stop it.
    static let endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"

    @Test func anEndlessReadIsStoppedAtTheDeadlineOnTheWriterAndOnAReader() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        try await registry.withDatabase(tenant) { database in
            // The first reads of a cold file run on the writer's connection, the later ones on readers.
            for _ in 0..<(TenantDatabase.readsOnWriter + 2) {
                let started = ContinuousClock.now
                await #expect(throws: DatabaseError.self) {
                    try await QueryBudget.within(milliseconds: 100) {
                        try await database.read { db in try Int.fetchOne(db, sql: Self.endless) }
                    }
                }
                #expect(ContinuousClock.now - started < .seconds(10))
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

    @Test func theStorageAnswersBusyAndARequestOverItsBudgetWritesNothing() async throws {
        let (config, tenant, _) = try await closedShop()
        let registry = TenantDatabaseRegistry(config: config)
        let storage = SQLiteTenantStorage(registry: registry)
        await #expect(throws: QueryBudget.exceeded) {
            try await QueryBudget.within(milliseconds: 50) {
                try await storage.read(tenant) { tx in
                    try Int.fetchOne((tx as! SQLiteTenantTransaction).db, sql: Self.endless)
                }
            }
        }
        await #expect(throws: QueryBudget.exceeded) {
            try await QueryBudget.within(milliseconds: 0) {
                try await storage.write(tenant) { tx in try tx.settings.upsert(StoredSetting(key: "k", value: .string("v"), isEncrypted: false,
                                                                                             createdAt: Date(), updatedAt: Date())) }
            }
        }
        #expect(try await storage.read(tenant) { tx in try tx.settings.setting("k") } == nil)
        await registry.closeAll()
    }
}
