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
        let settings = try JSONValue.object(tenant.settings).jsonText()
        do {
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO tenants (id, name, subdomain, domain, plan, status, settings, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [tenant.id.uuidString.lowercased(), tenant.name, tenant.subdomain, tenant.domain, tenant.plan,
                                tenant.status.rawValue, settings, tenant.createdAt, tenant.updatedAt]
                )
            }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A tenant with this subdomain or domain already exists")
        }
    }

    public func update(_ tenant: Tenant) async throws {
        let settings = try JSONValue.object(tenant.settings).jsonText()
        do {
            try await database.write { db in
                try db.execute(
                    sql: """
                        UPDATE tenants SET name = ?, subdomain = ?, domain = ?, plan = ?, status = ?, settings = ?, updated_at = ?
                        WHERE id = ?
                        """,
                    arguments: [tenant.name, tenant.subdomain, tenant.domain, tenant.plan, tenant.status.rawValue, settings,
                                tenant.updatedAt, tenant.id.uuidString.lowercased()]
                )
                if db.changesCount == 0 { throw DomainError.notFound("No tenant '\(tenant.id)'") }
            }
        } catch let error as DatabaseError {
            throw error.domainError(conflict: "A tenant with this subdomain or domain already exists")
        }
    }

    public func delete(id: UUID) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM tenants WHERE id = ?", arguments: [id.uuidString.lowercased()])
        }
    }

    public func tenant(id: UUID) async throws -> Tenant? {
        try await fetchOne("id = ?", id.uuidString.lowercased())
    }

    public func tenant(subdomain: String) async throws -> Tenant? {
        try await fetchOne("subdomain = ?", subdomain)
    }

    public func tenant(domain: String) async throws -> Tenant? {
        try await fetchOne("domain = ?", domain)
    }

    /// Oldest first, walking `tenants_created` (or `tenants_status_created`) rather than sorting
    /// every shop for each page: an agency's installation may hold thousands.
    static let listSQL = "SELECT * FROM tenants ORDER BY created_at, id LIMIT ? OFFSET ?"
    static let listByStatusSQL = "SELECT * FROM tenants WHERE status = ? ORDER BY created_at, id LIMIT ? OFFSET ?"

    public func list(status: TenantStatus?, offset: Int, limit: Int) async throws -> [Tenant] {
        try await database.read { db in
            let rows: [Row]
            if let status {
                rows = try Row.fetchAll(db, sql: Self.listByStatusSQL, arguments: [status.rawValue, limit, offset])
            } else {
                rows = try Row.fetchAll(db, sql: Self.listSQL, arguments: [limit, offset])
            }
            return try rows.map(Self.tenant(from:))
        }
    }

    public func count(status: TenantStatus?) async throws -> Int {
        try await database.read { db in
            if let status {
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM tenants WHERE status = ?", arguments: [status.rawValue]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM tenants") ?? 0
        }
    }

    private func fetchOne(_ condition: String, _ value: String) async throws -> Tenant? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE \(condition)", arguments: [value]).map(Self.tenant(from:))
        }
    }

    static func tenant(from row: Row) throws -> Tenant {
        let settingsText: String = row["settings"]
        guard case .object(let settings) = try JSONValue.parse(settingsText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "tenants.settings is not an object")
        }
        let idText: String = row["id"]
        let statusText: String = row["status"]
        guard let id = UUID(uuidString: idText), let status = TenantStatus(rawValue: statusText) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "malformed tenants row \(idText)")
        }
        return Tenant(
            id: id, name: row["name"], subdomain: row["subdomain"], domain: row["domain"], plan: row["plan"],
            status: status, settings: settings, createdAt: row["created_at"], updatedAt: row["updated_at"]
        )
    }
}
