import EmporiumCore
import EmporiumSQLite
import Foundation
import TestScratch
import Testing

@Suite("The tenants table")
struct TenantStoreTests {
    @Test func roundTripsEveryFieldAndRefusesDuplicates() async throws {
        let backend = try SQLiteBackend(config: try temporaryConfig())
        let now = Date(timeIntervalSince1970: 1_790_000_000.123)
        let tenant = Tenant(
            id: UUID(), name: "Zeta", subdomain: "zeta", domain: "zeta.example.com", plan: "pro", status: .active,
            settings: ["currency": .string("EUR"), "taxIncluded": .bool(true)], createdAt: now, updatedAt: now
        )
        try await backend.tenants.insert(tenant)
        for found in [try await backend.tenants.tenant(id: tenant.id), try await backend.tenants.tenant(subdomain: "zeta"),
                      try await backend.tenants.tenant(domain: "zeta.example.com")] {
            let found = try #require(found)
            #expect(found.id == tenant.id)
            #expect(found.name == "Zeta")
            #expect(found.domain == "zeta.example.com")
            #expect(found.plan == "pro")
            #expect(found.status == .active)
            #expect(found.settings == tenant.settings)
            // Timestamps are stored with millisecond precision
            #expect(abs(found.createdAt.timeIntervalSince(now)) < 0.001)
            #expect(abs(found.updatedAt.timeIntervalSince(now)) < 0.001)
        }

        var twin = tenant
        twin.id = UUID()
        await #expect(throws: DomainError.self) { try await backend.tenants.insert(twin) }
        #expect(try await backend.tenants.count(status: nil) == 1)
        await backend.shutdown()
    }
}

@Suite("The encryption key check at start-up")
struct EncryptionKeyCheckTests {
    @Test func aChangedEncryptionKeyStopsTheStartNamingTheVariable() async throws {
        let dataDir = scratchPath("emporium-key")
        let first = try ConfigLoader(environment: ["DATA_DIR": dataDir, "EMPORIUM_ENV": "test", "ENCRYPTION_KEY": String(repeating: "a", count: 40)]).load()
        await (try SQLiteBackend(config: first)).shutdown()
        let same = try SQLiteBackend(config: first)
        await same.shutdown()
        let changed = try ConfigLoader(environment: ["DATA_DIR": dataDir, "EMPORIUM_ENV": "test", "ENCRYPTION_KEY": String(repeating: "b", count: 40)]).load()
        do {
            _ = try SQLiteBackend(config: changed)
            Issue.record("a different ENCRYPTION_KEY was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("ENCRYPTION_KEY"))
        }
    }
}
