import EmporiumCore
import EmporiumSQLite
import Foundation
import GRDB
import Testing

@Suite("Each shop's rows live in its own file")
struct TenantIsolationTests {
    @Test func rowsWrittenForTenantAAreInvisibleToTenantB() async throws {
        // Given two provisioned shops
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let shopA = UUID(), shopB = UUID()
        try await registry.provision(tenantID: shopA)
        try await registry.provision(tenantID: shopB)

        // When a category is written through A's database
        try await registry.withDatabase(shopA) { database in
            try await database.write { db in
                try db.execute(sql: "INSERT INTO categories (id, name, slug) VALUES (?, 'Secret', 'secret')", arguments: [UUID().uuidString.lowercased()])
            }
        }

        // Then B sees nothing, A sees its row, and the two files are different files
        let countA = try await registry.withDatabase(shopA) { db in try await db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM categories") } }
        let countB = try await registry.withDatabase(shopB) { db in try await db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM categories") } }
        #expect(countA == 1)
        #expect(countB == 0)
        let pathA = await registry.path(for: shopA), pathB = await registry.path(for: shopB)
        #expect(pathA != pathB)
        let inodeA = try FileManager.default.attributesOfItem(atPath: pathA)[.systemFileNumber] as? Int
        let inodeB = try FileManager.default.attributesOfItem(atPath: pathB)[.systemFileNumber] as? Int
        #expect(inodeA != inodeB)
        await registry.closeAll()
    }

    @Test func aMissingTenantFileIsUnavailableAndNeverRecreated() async throws {
        let config = try temporaryConfig()
        let registry = TenantDatabaseRegistry(config: config)
        let ghost = UUID()
        await #expect(throws: DomainError.unavailable("This shop's data is not available")) {
            try await registry.withDatabase(ghost) { _ in }
        }
        #expect(!FileManager.default.fileExists(atPath: await registry.path(for: ghost)))
    }

    @Test func openFilesStayWithinMaxOpenTenantsAndEvictedFilesStillWork() async throws {
        // Given a registry that keeps at most 3 files open
        let config = try temporaryConfig(["MAX_OPEN_TENANTS": "3"])
        let registry = TenantDatabaseRegistry(config: config)
        let shops = (0..<8).map { _ in UUID() }
        for shop in shops {
            try await registry.provision(tenantID: shop)
            #expect(await registry.openCount <= 3)
        }
        // When every shop is used in turn, twice
        for shop in shops + shops {
            let value = try await registry.withDatabase(shop) { db in try await db.read { try Int.fetchOne($0, sql: "SELECT 41 + 1") } }
            #expect(value == 42)
            #expect(await registry.openCount <= 3)
        }
        await registry.closeAll()
        #expect(await registry.openCount == 0)
    }

    @Test func aLeasedDatabaseIsNotClosedUnderARunningCallWhenEvicted() async throws {
        let config = try temporaryConfig(["MAX_OPEN_TENANTS": "1"])
        let registry = TenantDatabaseRegistry(config: config)
        let busy = UUID(), other = UUID()
        try await registry.provision(tenantID: busy)
        try await registry.provision(tenantID: other)
        // While `busy` is leased, opening `other` must not close it under us.
        let result = try await registry.withDatabase(busy) { database in
            try await registry.withDatabase(other) { db in _ = try await db.read { try Int.fetchOne($0, sql: "SELECT 1") } }
            return try await database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM users") }
        }
        #expect(result == 0)
        await registry.closeAll()
    }
}
