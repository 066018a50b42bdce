import EmporiumCore
import EmporiumSQLite
import Foundation
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
