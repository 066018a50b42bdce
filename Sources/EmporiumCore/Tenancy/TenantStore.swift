import Foundation

/// The tenants table of the system database.
///
/// Implementations translate their unique-constraint failures into `DomainError.conflict`, so the
/// service does not need to race a "check then insert".
public protocol TenantStore: Sendable {
    func insert(_ tenant: Tenant) async throws
    func update(_ tenant: Tenant) async throws
    func delete(id: UUID) async throws
    func tenant(id: UUID) async throws -> Tenant?
    func tenant(subdomain: String) async throws -> Tenant?
    func tenant(domain: String) async throws -> Tenant?
    /// Tenants ordered by creation, optionally only those in `status`.
    func list(status: TenantStatus?, offset: Int, limit: Int) async throws -> [Tenant]
    func count(status: TenantStatus?) async throws -> Int
}

/// Creates, archives and forgets the per-tenant database files.
public protocol TenantDatabaseProvisioner: Sendable {
    /// Creates the tenant's file and applies every tenant migration.
    func provision(tenantID: UUID) async throws
    /// Copies the tenant's file into the archive folder, then removes the live file.
    /// Returns the archive's file name.
    func archive(tenantID: UUID, label: String) async throws -> String
    /// Whether the shop's file holds amounts in its currency's minor units (a priced variant, an
    /// order, a shipping zone, a fixed discount): its currency must not change under them.
    func holdsAmounts(tenantID: UUID) async throws -> Bool
}
