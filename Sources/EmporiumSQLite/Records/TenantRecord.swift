import EmporiumCore
import Foundation
import GRDB

/// A row of the system database's `tenants`.
struct TenantRecord: StoredRecord {
    static let databaseTableName = "tenants"

    var id: UUID
    var name: String
    var subdomain: String
    var domain: String?
    var plan: String
    var status: TenantStatus
    var settings: JSONValue
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, subdomain, domain, plan, status, settings
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let subdomain = Column(CodingKeys.subdomain)
        static let domain = Column(CodingKeys.domain)
        static let status = Column(CodingKeys.status)
        static let createdAt = Column(CodingKeys.createdAt)
    }

    init(_ tenant: Tenant) {
        (id, name, subdomain, domain, plan, status) = (tenant.id, tenant.name, tenant.subdomain, tenant.domain, tenant.plan, tenant.status)
        (settings, createdAt, updatedAt) = (.object(tenant.settings), tenant.createdAt, tenant.updatedAt)
    }

    func tenant() throws -> Tenant {
        guard case .object(let fields) = settings else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "tenants.settings is not an object")
        }
        return Tenant(id: id, name: name, subdomain: subdomain, domain: domain, plan: plan, status: status, settings: fields,
                      createdAt: createdAt, updatedAt: updatedAt)
    }
}
