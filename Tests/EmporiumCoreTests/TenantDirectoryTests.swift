import EmporiumCore
import Foundation
import Synchronization
import Testing

/// An in-memory `TenantStore` that counts lookups, to see what the cache saves.
final class MemoryTenantStore: TenantStore {
    private let state = Mutex<(tenants: [Tenant], lookups: Int)>(([], 0))

    var lookups: Int { state.withLock { $0.lookups } }

    func insert(_ tenant: Tenant) async throws {
        try state.withLock { state in
            if state.tenants.contains(where: { $0.subdomain == tenant.subdomain || ($0.domain != nil && $0.domain == tenant.domain) }) {
                throw DomainError.conflict("taken")
            }
            state.tenants.append(tenant)
        }
    }
    func update(_ tenant: Tenant) async throws {
        state.withLock { state in state.tenants = state.tenants.map { $0.id == tenant.id ? tenant : $0 } }
    }
    func delete(id: UUID) async throws { state.withLock { $0.tenants.removeAll { $0.id == id } } }
    func tenant(id: UUID) async throws -> Tenant? { find { $0.id == id } }
    func tenant(subdomain: String) async throws -> Tenant? { find { $0.subdomain == subdomain } }
    func tenant(domain: String) async throws -> Tenant? { find { $0.domain == domain } }
    func list(status: TenantStatus?, offset: Int, limit: Int) async throws -> [Tenant] {
        state.withLock { Array($0.tenants.filter { status == nil || $0.status == status }.dropFirst(offset).prefix(limit)) }
    }
    func count(status: TenantStatus?) async throws -> Int {
        state.withLock { $0.tenants.filter { status == nil || $0.status == status }.count }
    }
    private func find(_ match: (Tenant) -> Bool) -> Tenant? {
        state.withLock { state in
            state.lookups += 1
            return state.tenants.first(where: match)
        }
    }
}

/// A provisioner that can be told to fail, to check the service leaves no half-created shop.
final class FakeProvisioner: TenantDatabaseProvisioner {
    let fail: Bool
    let amounts: Bool
    init(fail: Bool = false, amounts: Bool = false) {
        self.fail = fail
        self.amounts = amounts
    }
    func holdsAmounts(tenantID: UUID) async throws -> Bool { amounts }
    func provision(tenantID: UUID) async throws {
        if fail { throw DomainError.unavailable("disk full") }
    }
    func archive(tenantID: UUID, label: String) async throws -> String { "\(label).sqlite" }
}

@Suite("Tenant resolution and the tenant use cases")
struct TenantDirectoryTests {
    func service(_ store: MemoryTenantStore, failing: Bool = false) -> (TenantService, TenantDirectory) {
        let directory = TenantDirectory(store: store, ttl: 60)
        return (TenantService(store: store, provisioner: FakeProvisioner(fail: failing), directory: directory), directory)
    }

    @Test func hostResolvesSubdomainOfBaseDomainThenCustomDomain() async throws {
        let store = MemoryTenantStore()
        let (tenants, directory) = service(store)
        let shop = try await tenants.create(NewTenant(name: "Shop", subdomain: "shop", domain: "www.shop.example"))
        #expect(try await directory.resolve(host: "shop.platform.example:8080", baseDomain: "platform.example")?.id == shop.id)
        #expect(try await directory.resolve(host: "SHOP.platform.example.", baseDomain: "platform.example")?.id == shop.id)
        #expect(try await directory.resolve(host: "www.shop.example", baseDomain: "platform.example")?.id == shop.id)
        #expect(try await directory.resolve(host: "a.shop.platform.example", baseDomain: "platform.example") == nil)
        #expect(try await directory.resolve(host: "platform.example", baseDomain: "platform.example") == nil)
        #expect(try await directory.resolve(host: "[::1]:3000", baseDomain: "platform.example") == nil)
    }

    @Test func repeatedLookupsAreServedFromMemoryUntilTheShopChanges() async throws {
        let store = MemoryTenantStore()
        let (tenants, directory) = service(store)
        _ = try await tenants.create(NewTenant(name: "Shop", subdomain: "shop"))
        for _ in 1...50 { _ = try await directory.resolve(reference: "shop") }
        #expect(store.lookups == 1)
        // Unknown names are cached too: a flood of bogus ids costs one query each, not one per request
        for _ in 1...50 { _ = try await directory.resolve(reference: "ghost") }
        #expect(store.lookups == 2)
        // A change made through the service is seen at once
        _ = try await tenants.setStatus("shop", to: .suspended)
        #expect(try await directory.resolve(reference: "shop")?.status == .suspended)
    }

    @Test func failedProvisioningLeavesNoTenantBehind() async throws {
        let store = MemoryTenantStore()
        let (tenants, _) = service(store, failing: true)
        await #expect(throws: DomainError.unavailable("disk full")) {
            _ = try await tenants.create(NewTenant(name: "Shop", subdomain: "shop"))
        }
        #expect(try await store.count(status: nil) == 0)
    }

    @Test func everyInvalidFieldIsReportedAtOnce() async throws {
        let (tenants, _) = service(MemoryTenantStore())
        do {
            _ = try await tenants.create(NewTenant(name: " ", subdomain: "-x-", domain: "nodots", plan: "a b"))
            Issue.record("accepted")
        } catch DomainError.validation(let issues) {
            #expect(Set(issues.map(\.field)) == ["name", "subdomain", "domain", "plan"])
        }
    }
}

extension TenantDirectoryTests {
    @Test func oversizedReferencesAreRefusedWithoutAQuery() async throws {
        let store = MemoryTenantStore()
        let directory = TenantDirectory(store: store)
        #expect(try await directory.resolve(reference: String(repeating: "a", count: 10_000)) == nil)
        #expect(try await directory.resolve(host: String(repeating: "a.", count: 200) + "com", baseDomain: nil) == nil)
        #expect(store.lookups == 0)
        #expect(await directory.statistics().entries == 0)
    }
}
