import EmporiumCore
import Foundation
import GRDB

/// `TenantStore` over the system database's `tenants` table.
public struct SQLiteTenantStore: TenantStore {
    let database: SystemDatabase

    public init(_ database: SystemDatabase) {
        self.database = database
    }

    public func insert(_ tenant: Tenant) async throws {
        do {
            try await database.write { db in try TenantRecord(tenant).insert(db) }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A tenant with this subdomain or domain already exists")
        }
    }

    public func update(_ tenant: Tenant) async throws {
        do {
            try await database.write { db in
                do {
                    try TenantRecord(tenant).update(db)
                } catch RecordError.recordNotFound {
                    throw DomainError.notFound("No tenant '\(tenant.id)'")
                }
            }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A tenant with this subdomain or domain already exists")
        }
    }

    public func delete(id: UUID) async throws {
        _ = try await database.write { db in try TenantRecord.deleteOne(db, key: id.lowercased) }
    }

    public func tenant(id: UUID) async throws -> Tenant? {
        try await database.read { db in try TenantRecord.fetchOne(db, key: id.lowercased)?.tenant() }
    }

    public func tenant(subdomain: String) async throws -> Tenant? {
        try await database.read { db in try TenantRecord.filter(TenantRecord.Columns.subdomain == subdomain).fetchOne(db)?.tenant() }
    }

    public func tenant(domain: String) async throws -> Tenant? {
        try await database.read { db in try TenantRecord.filter(TenantRecord.Columns.domain == domain).fetchOne(db)?.tenant() }
    }

    /// Oldest first, walking `tenants_created` (or `tenants_status_created`) rather than sorting
    /// every shop for each page: an agency's installation may hold thousands.
    static func listRequest(status: TenantStatus?) -> QueryInterfaceRequest<TenantRecord> {
        tenants(status: status).order(TenantRecord.Columns.createdAt, TenantRecord.Columns.id)
    }

    /// Every shop, or those with `status`.
    static func tenants(status: TenantStatus?) -> QueryInterfaceRequest<TenantRecord> {
        status.map { TenantRecord.filter(TenantRecord.Columns.status == $0.rawValue) } ?? TenantRecord.all()
    }

    public func list(status: TenantStatus?, offset: Int, limit: Int) async throws -> [Tenant] {
        try await database.read { db in
            try Self.listRequest(status: status).limit(limit, offset: offset).fetchAll(db).map { try $0.tenant() }
        }
    }

    public func count(status: TenantStatus?) async throws -> Int {
        try await database.read { db in
            try Self.tenants(status: status).fetchCount(db)
        }
    }
}
